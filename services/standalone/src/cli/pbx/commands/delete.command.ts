import { Manifest } from '../manifest/manifest';
import { kindSlug, resourceRef } from '../manifest/pbx-document';
import { readSource } from '../manifest/source-file';
import { EXIT_OK, EXIT_REFUSED, PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import { FILENAME_OPTION } from './apply.command';
import type { PbxCommand } from './pbx-command';
import { parseResourceArgument } from './resource-argument';

export const deleteCommand: PbxCommand = {
  name: 'delete',
  summary: 'delete resources by name or by file',
  usage: [
    'pbx delete <kind> <name> [--ignore-not-found]',
    'pbx delete -f <file|-> [--ignore-not-found]',
  ],
  description:
    'Deletes the named resource, or every resource a file describes (last document first, so\n' +
    'that what a file creates early, and later documents may depend on, goes last).',
  options: [
    { ...FILENAME_OPTION, description: 'delete every resource of this file; - reads stdin' },
    { name: 'ignore-not-found', description: 'a resource that does not exist is not an error' },
  ],
  examples: ['pbx delete group acme', 'pbx delete -f examples/acme.yaml'],

  async run(args, { io, connect }) {
    const file = args.value('filename');
    const targets: { kind: string; name: string }[] = [];
    if (file !== undefined) {
      if (args.positionals.length > 0) {
        throw new PbxCliError(
          PbxCliErrorCode.Usage,
          'give either -f <file> or <kind> <name>, not both',
        );
      }
      const manifest = Manifest.parse(await readSource(file, io.stdin, io.cwd));
      for (const document of [...manifest.documents].reverse()) {
        targets.push({ kind: kindSlug(document.kind), name: document.metadata.name });
      }
    } else {
      const { kind, name } = parseResourceArgument(args.positionals, 'delete');
      if (name === undefined) {
        throw new PbxCliError(
          PbxCliErrorCode.Usage,
          `pbx delete needs a name: pbx delete ${kind} <name>`,
        );
      }
      targets.push({ kind, name });
    }

    const client = connect();
    let status = EXIT_OK;
    for (const { kind, name } of targets) {
      try {
        await client.delete(kind, name);
        io.stdout.write(`${resourceRef(kind, name)} deleted\n`);
      } catch (error) {
        // One missing resource does not stop the others being deleted.
        if (!(error instanceof PbxCliError) || error.code !== PbxCliErrorCode.NotFound) throw error;
        if (args.flag('ignore-not-found')) continue;
        io.stderr.write(`error: ${error.message}\n`);
        status = EXIT_REFUSED;
      }
    }
    return status;
  },
};
