/** What a redacted value reads in a log line; the same word `redactConfig` uses. */
export const LOG_REDACT_CENSOR = '[secret]';

/**
 * Keys whose values never reach a log line. A leading `*` matches one level only, so
 * `{ user: { password } }` is covered and `{ a: { b: { password } } }` is not: log config
 * through `redactConfig` and keep secrets out of deep structures. Messages are not scanned.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  // Config keys whose URL may hold a password (DATABASE_URL, REDIS_URL).
  'databaseUrl',
  '*.databaseUrl',
  'redisUrl',
  '*.redisUrl',
];
