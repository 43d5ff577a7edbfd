export { type CreateLoggerOptions, createLogger } from './create-logger';
export { LOG_REDACT_CENSOR, LOG_REDACT_PATHS } from './log-redaction';
export { PinoNestLogger } from './pino-nest-logger';
export { type TextSink, createPrettyDestination } from './pretty-destination';
