import { logCreator, logLevel as KafkaJsLogLevel } from 'kafkajs';

export type KafkaBusLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaBusLogEntry {
  readonly level: Exclude<KafkaBusLogLevel, 'nothing'>;
  readonly namespace: string;
  readonly message: string;
  readonly extra: Readonly<Record<string, unknown>>;
}

export type KafkaBusLogger = (entry: KafkaBusLogEntry) => void;

export function toKafkaJsLogLevel(level: KafkaBusLogLevel): KafkaJsLogLevel {
  switch (level) {
    case 'nothing':
      return KafkaJsLogLevel.NOTHING;
    case 'error':
      return KafkaJsLogLevel.ERROR;
    case 'warn':
      return KafkaJsLogLevel.WARN;
    case 'info':
      return KafkaJsLogLevel.INFO;
    case 'debug':
      return KafkaJsLogLevel.DEBUG;
    default:
      return assertUnreachable(level);
  }
}

function fromKafkaJsLevel(level: KafkaJsLogLevel): KafkaBusLogEntry['level'] {
  if (level <= KafkaJsLogLevel.ERROR) return 'error';
  if (level === KafkaJsLogLevel.WARN) return 'warn';
  if (level === KafkaJsLogLevel.INFO) return 'info';
  return 'debug';
}

/**
 * kafkajs logs to the console unless given a logCreator; this one hands entries to `logger`
 * and drops them when there is none, so the library never writes to stdout on its own.
 */
export function kafkaLogCreator(logger: KafkaBusLogger | undefined): logCreator {
  return () => (entry) => {
    if (logger === undefined) return;
    const {
      message,
      timestamp: _timestamp,
      logger: _name,
      ...extra
    } = entry.log as unknown as Record<string, unknown>;
    try {
      logger({
        level: fromKafkaJsLevel(entry.level),
        namespace: entry.namespace,
        message: typeof message === 'string' ? message : String(message),
        extra,
      });
    } catch {
      // A failing logger must not break the client that called it.
    }
  };
}

function assertUnreachable(value: never): never {
  throw new Error(`unexpected log level ${String(value)}`);
}
