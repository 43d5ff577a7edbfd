import { ConfigError, ConfigErrorCode } from './config.error';

/** sysexits.h EX_CONFIG: the process is misconfigured; restarting it will not help. */
export const EX_CONFIG = 78;

/** Where `exitOnConfigError` reports; the process's stderr and exit unless a test passes its own. */
export interface ConfigErrorExit {
  writeError(text: string): void;
  exit(code: number): never;
}

const processExit: ConfigErrorExit = {
  writeError: (text) => {
    process.stderr.write(text);
  },
  exit: (code) => process.exit(code),
};

/**
 * Runs `load` (usually `() => loadConfig(schema)`). An invalid environment is an operator's
 * mistake, so it is reported as one `configuration error: ` line per problem, without a stack
 * trace, and the process exits with EX_CONFIG (78). Any other error, an invalid schema included,
 * is a bug and is rethrown.
 */
export function exitOnConfigError<T>(load: () => T, out: ConfigErrorExit = processExit): T {
  try {
    return load();
  } catch (error: unknown) {
    if (!(error instanceof ConfigError) || error.code !== ConfigErrorCode.InvalidEnvironment)
      throw error;
    out.writeError(error.problems.map((problem) => `configuration error: ${problem}\n`).join(''));
    return out.exit(EX_CONFIG);
  }
}
