import { PbxCliError, PbxCliErrorCode } from '../pbx-cli.error';

/** One option of a command: `--dry-run`, or `-f, --filename <file|->` when it takes a value. */
export interface OptionSpec {
  readonly name: string;
  readonly short?: string;
  /** The placeholder shown in help; set when the option takes a value. */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly description: string;
}

export interface ParsedArgv {
  readonly positionals: readonly string[];
  flag(name: string): boolean;
  value(name: string): string | undefined;
}

export const HELP_FLAGS: readonly string[] = ['-h', '--help'];

/** Whether the arguments ask for help (`-h`/`--help` before any `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => HELP_FLAGS.includes(arg));
}

/** `-f, --filename <file|->` for help texts. */
export function optionLabel(spec: OptionSpec): string {
  const names = spec.short === undefined ? `--${spec.name}` : `-${spec.short}, --${spec.name}`;
  return spec.value === undefined ? names : `${names} ${spec.value}`;
}

function displayName(spec: OptionSpec): string {
  return spec.short === undefined ? `--${spec.name}` : `-${spec.short}/--${spec.name}`;
}

function usageError(message: string): PbxCliError {
  return new PbxCliError(PbxCliErrorCode.Usage, message);
}

/**
 * Reads `argv` against the options of one command: `--name value`, `--name=value`, `-f value`,
 * `-fvalue`, flags, and `--` before positionals that start with a dash. `-` alone is a
 * positional or a value (stdin). Throws a usage error naming the first thing it cannot read.
 */
export function parseArgv(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgv {
  const positionals: string[] = [];
  const values = new Map<string, string | true>();

  const set = (spec: OptionSpec, value: string | true): void => {
    if (values.has(spec.name)) throw usageError(`option ${displayName(spec)} is given twice`);
    if (typeof value === 'string' && spec.choices && !spec.choices.includes(value)) {
      throw usageError(
        `option ${displayName(spec)} must be one of ${spec.choices.join(', ')}; got "${value}"`,
      );
    }
    values.set(spec.name, value);
  };

  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const equals = long ? arg.indexOf('=') : -1;
    const name = long ? arg.slice(2, equals === -1 ? undefined : equals) : arg.slice(1, 2);
    const spec = specs.find((candidate) =>
      long ? candidate.name === name : candidate.short === name,
    );
    if (spec === undefined) throw usageError(`unknown option "${long ? `--${name}` : `-${name}`}"`);

    // The value glued to the option: `--output=yaml` or `-oyaml`.
    const glued = long
      ? equals === -1
        ? undefined
        : arg.slice(equals + 1)
      : arg.slice(2) || undefined;
    if (spec.value === undefined) {
      if (glued !== undefined) throw usageError(`option ${displayName(spec)} takes no value`);
      set(spec, true);
      continue;
    }
    if (glued !== undefined) {
      set(spec, glued);
      continue;
    }
    const next = argv[index + 1];
    // A following option means the value was forgotten; `-` (stdin) is a value.
    if (next === undefined || (next.startsWith('-') && next !== '-')) {
      throw usageError(`option ${displayName(spec)} needs a value ${spec.value}`);
    }
    set(spec, next);
    index += 1;
  }

  return {
    positionals,
    flag: (name) => values.get(name) === true,
    value: (name) => {
      const value = values.get(name);
      return typeof value === 'string' ? value : undefined;
    },
  };
}
