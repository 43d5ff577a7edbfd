import { secret } from './config-field';
import { requires } from './config-rule';
import { type ConfigOf, defineSchema } from './config-schema';
import { brokers, int, logLevel, path, port, text, url } from './field-builders';

/**
 * What every process reads, in either shape (ARCHITECTURE.md): an unset DATABASE_URL,
 * KAFKA_BROKERS or REDIS_URL selects the embedded or in-process adapter. Services extend it with
 * `extendSchema(platformConfigSchema, {...})`.
 */
export const platformConfigSchema = defineSchema(
  {
    PBX_HTTP_PORT: port().default(8080),
    PBX_HTTP_HOST: text().default('0.0.0.0'),
    PBX_DATA_DIR: path().default('./.data'),
    // Secret because the URL may hold the password.
    DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })).optional(),
    KAFKA_BROKERS: brokers().optional(),
    KAFKA_CLIENT_ID: text().optional(),
    // How soon a consumer group notices a member that went away (and rebalances).
    KAFKA_SESSION_TIMEOUT_MS: int({ min: 3_000, max: 300_000 }).default(30_000),
    KAFKA_HEARTBEAT_INTERVAL_MS: int({ min: 100, max: 60_000 }).default(3_000),
    REDIS_URL: secret(url({ protocols: ['redis', 'rediss'] })).optional(),
    LOG_LEVEL: logLevel().default('info'),
    PBX_SERVICE: text().optional(),
    PBX_DB_CONNECT_TIMEOUT_MS: int({ min: 100, max: 300_000 }).default(5_000),
    PBX_DB_RETRY_MAX_MS: int({ min: 100, max: 3_600_000 }).default(30_000),
    PBX_SHUTDOWN_TIMEOUT_MS: int({ min: 0, max: 600_000 }).default(10_000),
    // Bearer token of the operator API. The standalone shape creates one in PBX_DATA_DIR when
    // unset; a service started on its own refuses operator calls without it.
    PBX_OPERATOR_TOKEN: secret(text()).optional(),
    PBX_TLS_CERT_FILE: path().optional(),
    PBX_TLS_KEY_FILE: path().optional(),
  },
  [
    // A certificate is useless without its key and the other way round.
    requires('PBX_TLS_CERT_FILE', ['PBX_TLS_KEY_FILE']),
    requires('PBX_TLS_KEY_FILE', ['PBX_TLS_CERT_FILE']),
  ],
);

export type PlatformConfig = ConfigOf<typeof platformConfigSchema>;
