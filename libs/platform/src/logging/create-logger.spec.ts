import { createLogger } from './create-logger';
import { LOG_REDACT_PATHS } from './log-redaction';
import { captureLog } from './log-capture.spec-helper';

describe(createLogger.name, () => {
  it('writes one JSON object per line with service, level word and ISO time', () => {
    const out = captureLog();
    const logger = createLogger({ level: 'info', service: 'routing', destination: out });
    logger.info({ callId: 'c-1' }, 'call routed');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0].endsWith('\n')).toBe(true);
    const [record] = out.records();
    expect(record).toMatchObject({
      level: 'info',
      service: 'routing',
      callId: 'c-1',
      msg: 'call routed',
    });
    expect(record.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps service in lines of child loggers', () => {
    const out = captureLog();
    createLogger({ level: 'info', service: 'sip-edge', destination: out })
      .child({ component: 'registrar' })
      .warn('expired');
    expect(out.records()[0]).toMatchObject({
      service: 'sip-edge',
      component: 'registrar',
      level: 'warn',
    });
  });

  it('drops lines below the level', () => {
    const out = captureLog();
    const logger = createLogger({ level: 'warn', service: 'media', destination: out });
    logger.info('not written');
    logger.debug('not written');
    logger.error('written');
    expect(out.records().map((record) => record.msg)).toEqual(['written']);
  });

  it('writes nothing when silent', () => {
    const out = captureLog();
    createLogger({ level: 'silent', service: 'media', destination: out }).fatal('x');
    expect(out.lines).toEqual([]);
  });

  it('replaces secret keys at the top level and one level down with [secret]', () => {
    const out = captureLog();
    const logger = createLogger({ level: 'info', service: 'provisioning', destination: out });
    logger.info(
      {
        password: 'pw-top',
        secret: 'sec-top',
        token: 'tok-top',
        authorization: 'Bearer top',
        databaseUrl: 'postgres://pbx:hunter2@db/pbx',
        redisUrl: 'redis://:r3dis@cache',
        user: { name: 'alice', password: 'pw-nested', token: 'tok-nested' },
        sip: { secret: 'sec-nested', authorization: 'Digest x' },
        headers: { authorization: 'Basic abc', accept: 'application/json' },
        config: { databaseUrl: 'postgres://pbx:hunter3@db/pbx', httpPort: 8080 },
      },
      'signed in',
    );
    const [record] = out.records();
    expect(record).toMatchObject({
      password: '[secret]',
      secret: '[secret]',
      token: '[secret]',
      authorization: '[secret]',
      databaseUrl: '[secret]',
      redisUrl: '[secret]',
      user: { name: 'alice', password: '[secret]', token: '[secret]' },
      sip: { secret: '[secret]', authorization: '[secret]' },
      headers: { authorization: '[secret]', accept: 'application/json' },
      config: { databaseUrl: '[secret]', httpPort: 8080 },
    });
    expect(out.lines[0]).not.toMatch(
      /pw-top|sec-top|tok-top|Bearer|hunter|r3dis|pw-nested|tok-nested|sec-nested|Digest|Basic/,
    );
  });

  it('redacts request headers as an HTTP logger writes them', () => {
    const out = captureLog();
    createLogger({ level: 'info', service: 'provisioning', destination: out }).info(
      { req: { method: 'GET', headers: { authorization: 'Bearer abc', cookie: 'sid=1' } } },
      'request',
    );
    expect(out.records()[0]).toMatchObject({
      req: { method: 'GET', headers: { authorization: '[secret]', cookie: '[secret]' } },
    });
  });

  it('covers at least the agreed secret keys', () => {
    expect(LOG_REDACT_PATHS).toEqual(
      expect.arrayContaining([
        'password',
        '*.password',
        'secret',
        '*.secret',
        'token',
        '*.token',
        'authorization',
        '*.authorization',
        'databaseUrl',
        'redisUrl',
        'headers.authorization',
      ]),
    );
  });

  it('serializes an error with its stack', () => {
    const out = captureLog();
    createLogger({ level: 'info', service: 'billing', destination: out }).error(
      { err: new Error('rating failed') },
      'cdr',
    );
    expect(out.records()[0]).toMatchObject({ err: { type: 'Error', message: 'rating failed' } });
    expect((out.records()[0].err as { stack: string }).stack).toContain('rating failed');
  });

  it('writes one readable line per record when pretty', () => {
    const out = captureLog();
    const logger = createLogger({
      level: 'info',
      service: 'routing',
      pretty: true,
      destination: out,
    });
    logger.child({ context: 'Dialplan' }).info({ callId: 'c-1', password: 'pw' }, 'call routed');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[routing\/Dialplan\] call routed \{"callId":"c-1","password":"\[secret\]"\}\n$/,
    );
  });
});
