import { kindSlug } from '../manifest/pbx-document';
import { formatJson, formatNames, formatTable, formatYaml } from '../output/resource-output';
import { EXIT_OK } from '../pbx-cli.error';
import type { PbxCommand } from './pbx-command';
import { parseResourceArgument } from './resource-argument';

export const getCommand: PbxCommand = {
  name: 'get',
  summary: 'show resources, as a table or as a file to apply',
  usage: ['pbx get <kind> [name] [-o yaml|json|name]', 'pbx get <kind>/<name> [-o ...]'],
  description:
    'Without a name, lists every resource of the kind. -o yaml prints a pbx file that apply\n' +
    'takes back unchanged (several resources as documents separated by ---). Device passwords\n' +
    'are never shown; a device without a password keeps its credential when applied.',
  options: [
    {
      name: 'output',
      short: 'o',
      value: '<yaml|json|name>',
      choices: ['yaml', 'json', 'name'],
      description: 'a pbx file, JSON, or kind/name lines; a table if not given',
    },
  ],
  examples: [
    'pbx get group',
    'pbx get group acme -o yaml > acme.yaml',
    'pbx get group acme -o yaml | pbx apply -f -',
  ],

  async run(args, { io, connect }) {
    const { kind, name } = parseResourceArgument(args.positionals, 'get');
    const client = connect();
    const documents = name === undefined ? await client.list(kind) : [await client.get(kind, name)];
    const output = args.value('output');
    if (documents.length === 0 && output !== 'json') {
      io.stderr.write(`no ${kindSlug(kind)} resources found\n`);
      return EXIT_OK;
    }
    if (output === 'yaml') io.stdout.write(formatYaml(documents));
    else if (output === 'json')
      io.stdout.write(formatJson(name === undefined ? documents : documents[0]));
    else if (output === 'name') io.stdout.write(formatNames(documents));
    else io.stdout.write(formatTable(documents));
    return EXIT_OK;
  },
};
