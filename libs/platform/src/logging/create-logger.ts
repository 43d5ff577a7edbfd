import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino';
import { LOG_REDACT_CENSOR, LOG_REDACT_PATHS } from './log-redaction';
import { createPrettyDestination } from './pretty-destination';

export interface CreateLoggerOptions {
  readonly level: LevelWithSilent;
  /** Written in every line, so that lines from one process hosting many services stay apart. */
  readonly service: string;
  /** One readable line per record instead of JSON, for a developer's terminal. */
  readonly pretty?: boolean;
  /** Where lines go; stdout unless given (tests pass a stream they read back). */
  readonly destination?: DestinationStream;
}

/**
 * The platform's logger: one JSON object per line on stdout, with `level` as a word, `time` in
 * ISO 8601, `service`, and common secret keys replaced by `[secret]`.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const json = options.destination ?? pino.destination({ dest: 1, sync: true });
  const destination = options.pretty === true ? createPrettyDestination(json) : json;
  return pino(
    {
      level: options.level,
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...LOG_REDACT_PATHS], censor: LOG_REDACT_CENSOR },
    },
    destination,
  );
}
