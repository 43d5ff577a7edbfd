import { secret } from './config-field';
import { ConfigError, ConfigErrorCode } from './config.error';
import { defineSchema } from './config-schema';
import { brokers, int, logLevel, port, portRange, text, url } from './field-builders';
import { loadConfig } from './load-config';

const schema = defineSchema({
  PBX_HTTP_PORT: port().default(8080),
  PBX_RTP_PORTS: portRange().default({ start: 30000, end: 30999 }),
  KAFKA_BROKERS: brokers().optional(),
  LOG_LEVEL: logLevel().default('info'),
  PBX_NAME: text(),
  DATABASE_URL: secret(url({ protocols: ['postgres', 'postgresql'] })).optional(),
});

function problemsOf(load: () => unknown): readonly string[] {
  try {
    load();
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('applies defaults and maps variable names to camelCase keys', () => {
    expect(loadConfig(schema, { PBX_NAME: 'edge-1' })).toEqual({
      httpPort: 8080,
      rtpPorts: { start: 30000, end: 30999 },
      kafkaBrokers: undefined,
      logLevel: 'info',
      name: 'edge-1',
      databaseUrl: undefined,
      unknownVariables: [],
    });
  });

  it('reads given values', () => {
    const config = loadConfig(schema, {
      PBX_HTTP_PORT: '9000',
      PBX_RTP_PORTS: '20000-20099',
      KAFKA_BROKERS: 'k0:9092,k1:9092',
      LOG_LEVEL: 'debug',
      PBX_NAME: 'edge-1',
      DATABASE_URL: 'postgres://pbx:pw@db/pbx',
    });
    expect(config).toMatchObject({
      httpPort: 9000,
      rtpPorts: { start: 20000, end: 20099 },
      kafkaBrokers: ['k0:9092', 'k1:9092'],
      logLevel: 'debug',
      databaseUrl: 'postgres://pbx:pw@db/pbx',
    });
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig(schema, { PBX_NAME: 'edge-1', KAFKA_BROKERS: 'k0:9092' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.rtpPorts)).toBe(true);
    expect(Object.isFrozen(config.kafkaBrokers)).toBe(true);
    expect(Object.isFrozen(config.unknownVariables)).toBe(true);
  });

  it('reports every problem together, one line each, in schema order', () => {
    const load = (): unknown =>
      loadConfig(schema, {
        LOG_LEVEL: 'loud',
        PBX_HTTP_PORT: 'notaport',
        KAFKA_BROKERS: 'kafka',
        DATABASE_URL: 'mysql://x',
      });
    expect(problemsOf(load)).toEqual([
      'PBX_HTTP_PORT must be a port number 1-65535, got "notaport"',
      'KAFKA_BROKERS must be a comma-separated list of host:port, got "kafka"',
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
      'PBX_NAME is required',
      'DATABASE_URL must be a postgres:// or postgresql:// URL, got "mysql://x"',
    ]);
  });

  it('throws a ConfigError whose message is the problems, one per line', () => {
    const load = (): unknown => loadConfig(schema, { PBX_HTTP_PORT: '0' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      new ConfigError(ConfigErrorCode.InvalidEnvironment, [
        'PBX_HTTP_PORT must be a port number 1-65535, got "0"',
        'PBX_NAME is required',
      ]),
    );
    try {
      load();
    } catch (error: unknown) {
      expect(error).toMatchObject({ code: ConfigErrorCode.InvalidEnvironment });
      expect((error as Error).message).toBe(
        'PBX_HTTP_PORT must be a port number 1-65535, got "0"\nPBX_NAME is required',
      );
    }
  });

  it('never puts a secret value nor a URL password in an error', () => {
    const secrets = defineSchema({
      PBX_API_TOKEN: secret(int({ min: 1 })),
      DATABASE_URL: secret(url({ protocols: ['postgres'] })),
      PBX_WEBHOOK_URL: url({ protocols: ['https'] }),
    });
    const load = (): unknown =>
      loadConfig(secrets, {
        PBX_API_TOKEN: 's3cr3t-token',
        DATABASE_URL: 'mysql://pbx:hunter2@db/pbx',
        PBX_WEBHOOK_URL: 'http://hook:p4ss@example.com/in',
      });
    const message = problemsOf(load).join('\n');
    expect(message).not.toMatch(/s3cr3t|hunter2|p4ss/);
    expect(problemsOf(load)).toEqual([
      'PBX_API_TOKEN must be an integer >= 1, got an invalid value',
      'DATABASE_URL must be a postgres:// URL, got "mysql://pbx:***@db/pbx"',
      'PBX_WEBHOOK_URL must be an https:// URL, got "http://hook:***@example.com/in"',
    ]);
  });

  it('lists unknown PBX_ variables, sorted, without failing', () => {
    const config = loadConfig(schema, {
      PBX_NAME: 'edge-1',
      PBX_HTTP_PROT: '9000',
      PBX_DATA_DIRR: '/tmp',
      HOME: '/root',
      LOG_LEVELL: 'debug',
    });
    expect(config.unknownVariables).toEqual(['PBX_DATA_DIRR', 'PBX_HTTP_PROT']);
    expect(config.httpPort).toBe(8080);
  });

  it('reads process.env by default', () => {
    const before = process.env.PBX_NAME;
    process.env.PBX_NAME = 'from-process-env';
    try {
      expect(loadConfig(schema).name).toBe('from-process-env');
    } finally {
      if (before === undefined) delete process.env.PBX_NAME;
      else process.env.PBX_NAME = before;
    }
  });
});
