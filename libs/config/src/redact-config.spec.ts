import { secret } from './config-field';
import { defineSchema } from './config-schema';
import { int, text, url } from './field-builders';
import { loadConfig } from './load-config';
import { platformConfigSchema } from './platform-config.schema';
import { SECRET_PLACEHOLDER, redactConfig } from './redact-config';

describe(redactConfig.name, () => {
  it('replaces set secret fields and masks passwords of other URLs', () => {
    const schema = defineSchema({
      DATABASE_URL: secret(url({ protocols: ['postgres'] })),
      PBX_SIGNING_KEY: secret(text()),
      PBX_UNSET_SECRET: secret(text()).optional(),
      PBX_WEBHOOK_URL: url({ protocols: ['https'] }),
      PBX_WORKERS: int(),
    });
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://pbx:hunter2@db/pbx',
      PBX_SIGNING_KEY: 'k3y',
      PBX_WEBHOOK_URL: 'https://hook:p4ss@example.com/in',
      PBX_WORKERS: '4',
    });
    const redacted = redactConfig(config);
    expect(redacted).toEqual({
      databaseUrl: SECRET_PLACEHOLDER,
      signingKey: SECRET_PLACEHOLDER,
      unsetSecret: undefined,
      webhookUrl: 'https://hook:***@example.com/in',
      workers: 4,
      unknownVariables: [],
    });
    expect(JSON.stringify(redacted)).not.toMatch(/hunter2|k3y|p4ss/);
  });

  it('hides the platform database and Redis URLs', () => {
    const config = loadConfig(platformConfigSchema, {
      DATABASE_URL: 'postgresql://pbx:hunter2@db/pbx',
      REDIS_URL: 'rediss://:s3cret@cache:6380',
    });
    expect(redactConfig(config)).toMatchObject({
      databaseUrl: '[secret]',
      redisUrl: '[secret]',
      httpPort: 8080,
    });
  });

  it('leaves the config itself untouched', () => {
    const config = loadConfig(platformConfigSchema, {
      DATABASE_URL: 'postgres://pbx:hunter2@db/pbx',
    });
    redactConfig(config);
    expect(config.databaseUrl).toBe('postgres://pbx:hunter2@db/pbx');
  });

  it('masks by key name an object loadConfig did not make', () => {
    const copy = {
      databasePassword: 'hunter2',
      apiToken: 'abc',
      brokerUrls: ['amqp://u:p@mq'],
      port: 1,
    };
    expect(redactConfig(copy)).toEqual({
      databasePassword: '[secret]',
      apiToken: '[secret]',
      brokerUrls: ['amqp://u:***@mq'],
      port: 1,
    });
  });
});
