import { startPlatformProcess } from '@pbx/testing';

describe('configuration at start-up', () => {
  it('exits 78 with one line naming the variable, the problem and the expected form', async () => {
    const platform = await startPlatformProcess('standalone', {
      PBX_HTTP_PORT: 'notaport',
      LOG_LEVEL: 'loud',
      PBX_DATA_DIR: '/tmp/pbx-never-created',
    });
    const exit = await platform.exited;
    expect(exit.code).toBe(78);
    expect(platform.output()).toContain(
      'configuration error: PBX_HTTP_PORT must be a port number 1-65535, got "notaport"',
    );
    expect(platform.output()).toContain(
      'configuration error: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
    );
    expect(platform.output()).not.toContain('    at ');
  });

  it('reports every bad value at once and never echoes a secret', async () => {
    const platform = await startPlatformProcess('provisioning', {
      PBX_HTTP_PORT: '8080',
      DATABASE_URL: 'mysql://admin:hunter2@db/pbx',
      KAFKA_BROKERS: 'kafka',
    });
    const exit = await platform.exited;
    expect(exit.code).toBe(78);
    const out = platform.output();
    expect(out).toContain(
      'configuration error: DATABASE_URL must be a postgres:// or postgresql:// URL',
    );
    expect(out).toContain(
      'configuration error: KAFKA_BROKERS must be a comma-separated list of host:port, got "kafka"',
    );
    expect(out).not.toContain('hunter2');
  });
});
