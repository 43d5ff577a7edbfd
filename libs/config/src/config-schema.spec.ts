import { ConfigError, ConfigErrorCode } from './config.error';
import { requires } from './config-rule';
import { configKey, defineSchema, extendSchema } from './config-schema';
import { int, port, text } from './field-builders';
import { loadConfig } from './load-config';

function schemaProblemsOf(define: () => unknown): readonly string[] {
  try {
    define();
  } catch (error: unknown) {
    if (error instanceof ConfigError && error.code === ConfigErrorCode.InvalidSchema)
      return error.problems;
    throw error;
  }
  return [];
}

describe(configKey.name, () => {
  it.each([
    ['PBX_HTTP_PORT', 'httpPort'],
    ['PBX_SERVICE', 'service'],
    ['PBX_DB_CONNECT_TIMEOUT_MS', 'dbConnectTimeoutMs'],
    ['DATABASE_URL', 'databaseUrl'],
    ['KAFKA_BROKERS', 'kafkaBrokers'],
    ['PBX_SIP_UDP_PORT_2', 'sipUdpPort2'],
  ])('maps %s to %s', (name, key) => {
    expect(configKey(name)).toBe(key);
  });
});

describe(defineSchema.name, () => {
  it('rejects two variables that map to one key', () => {
    expect(
      schemaProblemsOf(() => defineSchema({ PBX_LOG_LEVEL: text(), LOG_LEVEL: text() })),
    ).toEqual(['PBX_LOG_LEVEL and LOG_LEVEL both map to the key logLevel']);
  });

  it('rejects a variable that maps to the reserved unknownVariables key', () => {
    expect(schemaProblemsOf(() => defineSchema({ PBX_UNKNOWN_VARIABLES: text() }))).toEqual([
      'PBX_UNKNOWN_VARIABLES maps to the reserved key unknownVariables',
    ]);
  });

  it('rejects names that are not UPPER_SNAKE_CASE', () => {
    expect(schemaProblemsOf(() => defineSchema({ pbx_port: port(), PBX__X: port() }))).toEqual([
      'pbx_port is not an UPPER_SNAKE_CASE variable name',
      'PBX__X is not an UPPER_SNAKE_CASE variable name',
    ]);
  });

  it('rejects a rule naming a variable the schema lacks, for callers outside the type checker', () => {
    const rule = requires('PBX_A', ['PBX_B']);
    expect(schemaProblemsOf(() => defineSchema({ PBX_A: text() }, [rule as never]))).toEqual([
      'a rule names PBX_B, which is not a field of the schema',
    ]);
  });
});

describe(extendSchema.name, () => {
  const base = defineSchema(
    { PBX_HTTP_PORT: port().default(8080), PBX_A: text().optional(), PBX_B: text().optional() },
    [requires('PBX_A', ['PBX_B'])],
  );

  it('adds fields and keeps the base rules', () => {
    const extended = extendSchema(base, { PBX_WORKERS: int({ min: 1 }).default(4) });
    expect(loadConfig(extended, {})).toMatchObject({ httpPort: 8080, workers: 4 });
    expect(() => loadConfig(extended, { PBX_A: 'a' })).toThrow(
      'PBX_A is set, so PBX_B is required',
    );
  });

  it('lets a service replace a base field', () => {
    const extended = extendSchema(base, { PBX_HTTP_PORT: port().default(5080) });
    expect(loadConfig(extended, {}).httpPort).toBe(5080);
  });

  it('leaves the base schema unchanged', () => {
    extendSchema(base, { PBX_WORKERS: int() });
    expect(Object.keys(base.fields)).toEqual(['PBX_HTTP_PORT', 'PBX_A', 'PBX_B']);
    expect(loadConfig(base, { PBX_WORKERS: '2' }).unknownVariables).toEqual(['PBX_WORKERS']);
  });
});
