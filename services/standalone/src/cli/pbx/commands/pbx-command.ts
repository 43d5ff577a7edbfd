import type { OptionSpec, ParsedArgv } from '../argv/argv-parser';
import type { CliIo } from '../cli-io';
import type { PlatformClient } from '../platform/platform-client';

/** What a command runs with: its I/O, and the platform, connected only when first needed. */
export interface CommandContext {
  readonly io: CliIo;
  /** Resolves the platform and credential; called after the input is checked, so that a bad file
   * is reported even where no platform is configured. */
  connect(): PlatformClient;
}

/** One `pbx` command: its help and its run, which returns the exit status or throws PbxCliError. */
export interface PbxCommand {
  readonly name: string;
  readonly summary: string;
  /** `pbx apply -f <file|-> [--dry-run] [-o text|json]`; alternatives on separate lines. */
  readonly usage: readonly string[];
  readonly description: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  run(args: ParsedArgv, context: CommandContext): Promise<number>;
}
