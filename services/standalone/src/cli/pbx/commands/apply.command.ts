import { Manifest } from '../manifest/manifest';
import { countProblems } from '../manifest/manifest-problem';
import { readSource } from '../manifest/source-file';
import { formatApplyReport } from '../output/apply-report';
import { EXIT_OK, PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';
import type { PbxCommand } from './pbx-command';

export const FILENAME_OPTION = {
  name: 'filename',
  short: 'f',
  value: '<file|->',
  description: 'the file to read; - reads stdin',
} as const;

export const applyCommand: PbxCommand = {
  name: 'apply',
  summary: 'create or update resources to match a file',
  usage: ['pbx apply -f <file|-> [--dry-run] [-o text|json]'],
  description:
    'Makes the platform match every document of the file (apiVersion pbx/v1), all or nothing.\n' +
    'Applying the same file again changes nothing and says so. A file with problems is refused\n' +
    'as a whole, each problem named by its line, and nothing is changed.',
  options: [
    FILENAME_OPTION,
    { name: 'dry-run', description: 'show what would change, change nothing' },
    {
      name: 'output',
      short: 'o',
      value: '<text|json>',
      choices: ['text', 'json'],
      description: "the result as text (default) or the platform's JSON answer",
    },
  ],
  examples: [
    'pbx apply -f examples/acme.yaml',
    'pbx apply -f company.yaml --dry-run',
    'pbx get group acme -o yaml | pbx apply -f -',
  ],

  async run(args, { io, connect }) {
    const file = args.value('filename');
    if (file === undefined) {
      throw new PbxCliError(PbxCliErrorCode.Usage, 'pbx apply needs a file: -f <file|->');
    }
    if (args.positionals.length > 0) {
      throw new PbxCliError(PbxCliErrorCode.Usage, `unexpected argument "${args.positionals[0]}"`);
    }
    const dryRun = args.flag('dry-run');
    const manifest = Manifest.parse(await readSource(file, io.stdin, io.cwd));

    const outcome = await connect().apply(manifest.documents, dryRun);
    if (outcome.kind === 'invalid') {
      const problems =
        outcome.problems.length > 0
          ? manifest.format(
              outcome.problems.map((problem) =>
                manifest.locate(problem.document, problem.path, problem.message),
              ),
            )
          : [`${manifest.label}: ${outcome.message}`];
      throw new PbxCliError(
        PbxCliErrorCode.Refused,
        `${manifest.label} was refused by the platform (${countProblems(problems.length)}); ` +
          'nothing was changed',
        problems,
      );
    }
    io.stdout.write(
      args.value('output') === 'json'
        ? `${JSON.stringify(outcome.response, null, 2)}\n`
        : formatApplyReport(outcome.response),
    );
    return EXIT_OK;
  },
};
