import { ConfigError } from './config.error';
import { loadConfig } from './load-config';
import { platformConfigSchema } from './platform-config.schema';

describe('platformConfigSchema', () => {
  it('runs with an empty environment on defaults: the standalone shape', () => {
    expect(loadConfig(platformConfigSchema, {})).toEqual({
      httpPort: 8080,
      httpHost: '0.0.0.0',
      dataDir: './.data',
      databaseUrl: undefined,
      kafkaBrokers: undefined,
      kafkaClientId: undefined,
      kafkaHeartbeatIntervalMs: 3000,
      kafkaSessionTimeoutMs: 30000,
      redisUrl: undefined,
      logLevel: 'info',
      operatorToken: undefined,
      service: undefined,
      dbConnectTimeoutMs: 5000,
      dbRetryMaxMs: 30000,
      shutdownTimeoutMs: 10000,
      tlsCertFile: undefined,
      tlsKeyFile: undefined,
      sipPort: 5060,
      sipHost: '0.0.0.0',
      sipPublicHost: undefined,
      sipTlsPort: undefined,
      sipWsPort: undefined,
      sipWssPort: undefined,
      sipNonceSecret: undefined,
      sipDigestAlgorithms: ['SHA-256', 'MD5'],
      sipWsDigestAlgorithms: ['SHA-256', 'MD5'],
      sipMaxCalls: 5000,
      sipSessionExpiresS: 1800,
      sipMinExpires: 60,
      sipMaxExpires: 3600,
      rtpPorts: { start: 30000, end: 30999 },
      mediaHost: '0.0.0.0',
      mediaPublicIp: undefined,
      turnUrls: undefined,
      turnUsername: undefined,
      turnCredential: undefined,
      turnSecret: undefined,
      turnTtlS: 86400,
      rtpTimeoutS: 60,
      noAnswerTimeoutS: 60,
      webhookMaxAttempts: 16,
      webhookBackoffBaseMs: 1000,
      webhookBackoffCapMs: 3600000,
      webhookTimeoutMs: 10000,
      webhookConcurrency: 32,
      webhookPollMs: 1000,
      webhookRetentionDays: 7,
      webhookAllowPrivateUrls: false,
      streamHeartbeatMs: 15000,
      streamStallTimeoutMs: 30000,
      streamMaxClients: 1000,
      unknownVariables: [],
    });
  });

  it('reads the distributed shape', () => {
    const config = loadConfig(platformConfigSchema, {
      PBX_HTTP_PORT: '3000',
      PBX_HTTP_HOST: '127.0.0.1',
      PBX_DATA_DIR: '/var/lib/pbx',
      DATABASE_URL: 'postgresql://pbx:pw@postgres:5432/pbx',
      KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092',
      KAFKA_CLIENT_ID: 'routing-7f9c',
      REDIS_URL: 'rediss://redis:6380',
      LOG_LEVEL: 'warn',
      PBX_SERVICE: 'routing',
      PBX_DB_CONNECT_TIMEOUT_MS: '2000',
      PBX_DB_RETRY_MAX_MS: '60000',
      PBX_SHUTDOWN_TIMEOUT_MS: '0',
    });
    expect(config).toMatchObject({
      httpPort: 3000,
      httpHost: '127.0.0.1',
      dataDir: '/var/lib/pbx',
      databaseUrl: 'postgresql://pbx:pw@postgres:5432/pbx',
      kafkaBrokers: ['kafka-0:9092', 'kafka-1:9092'],
      kafkaClientId: 'routing-7f9c',
      redisUrl: 'rediss://redis:6380',
      logLevel: 'warn',
      service: 'routing',
      dbConnectTimeoutMs: 2000,
      dbRetryMaxMs: 60000,
      shutdownTimeoutMs: 0,
    });
  });

  it('rejects a Redis URL of another scheme', () => {
    expect(() => loadConfig(platformConfigSchema, { REDIS_URL: 'http://redis' })).toThrow(
      new ConfigError(expect.anything(), [
        'REDIS_URL must be a redis:// or rediss:// URL, got "http://redis"',
      ]),
    );
  });

  it('rejects a timeout out of bounds', () => {
    expect(() => loadConfig(platformConfigSchema, { PBX_DB_CONNECT_TIMEOUT_MS: '10' })).toThrow(
      'PBX_DB_CONNECT_TIMEOUT_MS must be an integer 100-300000, got "10"',
    );
  });

  it('rejects a webhook backoff whose base is above its cap', () => {
    expect(() =>
      loadConfig(platformConfigSchema, {
        PBX_WEBHOOK_BACKOFF_BASE_MS: '60000',
        PBX_WEBHOOK_BACKOFF_CAP_MS: '1000',
      }),
    ).toThrow('PBX_WEBHOOK_BACKOFF_BASE_MS must not be above PBX_WEBHOOK_BACKOFF_CAP_MS');
  });

  it('reads TURN settings for browsers and refuses a media address that is no IP literal', () => {
    const config = loadConfig(platformConfigSchema, {
      PBX_MEDIA_PUBLIC_IP: '203.0.113.5',
      PBX_TURN_URLS: 'turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349',
      PBX_TURN_SECRET: 'a-shared-secret',
    });
    expect(config).toMatchObject({
      mediaPublicIp: '203.0.113.5',
      turnUrls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
      turnSecret: 'a-shared-secret',
      turnTtlS: 86400,
    });
    expect(() =>
      loadConfig(platformConfigSchema, { PBX_MEDIA_PUBLIC_IP: 'media.example.com' }),
    ).toThrow('PBX_MEDIA_PUBLIC_IP must be an IPv4 or IPv6 address');
    expect(() =>
      loadConfig(platformConfigSchema, { PBX_TURN_URLS: 'http://turn.example.com' }),
    ).toThrow('PBX_TURN_URLS must be a comma-separated list of stun:, turn: or turns: URIs');
  });

  it.each([
    [
      { PBX_TURN_USERNAME: 'pbx' },
      'PBX_TURN_USERNAME is set, so PBX_TURN_CREDENTIAL and PBX_TURN_URLS are required',
    ],
    [{ PBX_TURN_SECRET: 's' }, 'PBX_TURN_SECRET is set, so PBX_TURN_URLS is required'],
    [
      {
        PBX_TURN_URLS: 'turn:t.example:3478',
        PBX_TURN_SECRET: 's',
        PBX_TURN_USERNAME: 'u',
        PBX_TURN_CREDENTIAL: 'c',
      },
      'PBX_TURN_SECRET and PBX_TURN_USERNAME are both set',
    ],
  ])('refuses incomplete or conflicting TURN credentials: %j', (environment, problem) => {
    expect(() => loadConfig(platformConfigSchema, environment)).toThrow(problem);
  });
});
