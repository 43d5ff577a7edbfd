import { optionLabel, parseArgv, wantsHelp } from './argv/argv-parser';
import type { CliIo } from './cli-io';
import { applyCommand } from './commands/apply.command';
import { deleteCommand } from './commands/delete.command';
import { getCommand } from './commands/get.command';
import type { PbxCommand } from './commands/pbx-command';
import {
  EXIT_OK,
  EXIT_REFUSED,
  EXIT_USAGE,
  exitCodeOf,
  PbxCliError,
  PbxCliErrorCode,
} from './pbx-cli.error';
import { HttpPlatformClient, type PlatformClient } from './platform/platform-client';
import { resolveConnection } from './platform/platform-connection';

/** A file of garbage yields a problem a line; past this many, more help nobody. */
const MAX_DETAILS_SHOWN = 200;

export const COMMANDS: readonly PbxCommand[] = [applyCommand, getCommand, deleteCommand];

export interface RunOptions {
  /** The platform; by default the one the environment names (PBX_API_URL or the local one). */
  readonly connect?: (io: CliIo) => PlatformClient;
}

const connectFromEnvironment = (io: CliIo): PlatformClient =>
  new HttpPlatformClient(resolveConnection(io.env, io.cwd));

export function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    "pbx: the PBX platform's configuration as code",
    '',
    'usage: pbx <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}   ${command.summary}`),
    '',
    'Run "pbx <command> --help" for a command\'s options.',
    '',
    'The platform is PBX_API_URL, or the local standalone platform on PBX_HTTP_PORT (8080); the',
    'operator credential is PBX_OPERATOR_TOKEN, or the token the standalone platform wrote to',
    'PBX_DATA_DIR/operator-token (./.data) on its first start.',
    '',
    'exit status: 0 done, 1 refused or invalid input, 2 usage error, 3 platform unreachable,',
    'credential refused or platform failure',
    '',
  ].join('\n');
}

export function commandHelp(command: PbxCommand): string {
  const options = [...command.options, { name: 'help', short: 'h', description: 'show this help' }];
  const labels = options.map(optionLabel);
  const width = Math.max(...labels.map((label) => label.length));
  return [
    `pbx ${command.name}: ${command.summary}`,
    '',
    ...command.usage.map((line, index) => `${index === 0 ? 'usage: ' : '       '}${line}`),
    '',
    command.description,
    '',
    'options:',
    ...options.map((option, index) => `  ${labels[index].padEnd(width)}   ${option.description}`),
    '',
    'examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}

/**
 * Runs one `pbx` command line and returns its exit status; never throws. Output goes to `io`,
 * so that tests run it in-process with their own environment.
 */
export async function run(
  argv: readonly string[],
  io: CliIo,
  options: RunOptions = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(generalHelp());
    return EXIT_USAGE;
  }
  if (name === 'help' || name === '-h' || name === '--help') {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    if (rest[0] !== undefined && topic === undefined) return unknownCommand(rest[0], io);
    io.stdout.write(topic === undefined ? generalHelp() : commandHelp(topic));
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (command === undefined) return unknownCommand(name, io);
  if (wantsHelp(rest)) {
    io.stdout.write(commandHelp(command));
    return EXIT_OK;
  }

  const connect = options.connect ?? connectFromEnvironment;
  try {
    return await command.run(parseArgv(rest, command.options), {
      io,
      connect: () => connect(io),
    });
  } catch (error) {
    return report(error, command, io);
  }
}

function findCommand(name: string): PbxCommand | undefined {
  return COMMANDS.find((command) => command.name === name);
}

function unknownCommand(name: string, io: CliIo): number {
  io.stderr.write(
    `error: unknown command "${name}"; the commands are ${COMMANDS.map((c) => c.name).join(', ')}\n` +
      'Run "pbx --help" for usage.\n',
  );
  return EXIT_USAGE;
}

function report(error: unknown, command: PbxCommand, io: CliIo): number {
  if (!(error instanceof PbxCliError)) {
    // A bug, not a user's mistake: the stack trace is what a report of it needs.
    io.stderr.write(
      `error: pbx ${command.name} failed unexpectedly: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    return EXIT_REFUSED;
  }
  const shown = error.details.slice(0, MAX_DETAILS_SHOWN);
  const hidden = error.details.length - shown.length;
  const lines = [
    ...shown,
    ...(hidden > 0 ? [`... and ${hidden} more`] : []),
    `error: ${error.message}`,
  ];
  if (error.code === PbxCliErrorCode.Usage) {
    lines.push(
      ...command.usage.map((line, index) => `${index === 0 ? 'usage: ' : '       '}${line}`),
      `Run "pbx ${command.name} --help" for more.`,
    );
  }
  io.stderr.write(lines.map((line) => `${line}\n`).join(''));
  return exitCodeOf(error.code);
}
