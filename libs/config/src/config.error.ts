/** Error codes of the config library. */
export enum ConfigErrorCode {
  /** The environment holds missing or malformed values: an operator's mistake, reported and exited on. */
  InvalidEnvironment = 'INVALID_ENVIRONMENT',
  /** A schema is defined wrongly (clashing names, a rule naming an unknown variable): a programmer's bug. */
  InvalidSchema = 'INVALID_SCHEMA',
}

/**
 * Carries every problem found, one line each, so that an operator fixes them all in one go.
 * No line ever holds a secret's value nor a URL's password.
 */
export class ConfigError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    readonly problems: readonly string[],
  ) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}
