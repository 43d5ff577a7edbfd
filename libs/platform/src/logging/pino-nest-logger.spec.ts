import { createLogger } from './create-logger';
import { captureLog, type LogCapture } from './log-capture.spec-helper';
import { PinoNestLogger } from './pino-nest-logger';

const STACK = 'Error: boom\n    at handler (/app/main.js:10:5)\n    at run (/app/main.js:20:3)';

function setUp(level: 'trace' | 'info' = 'trace'): { out: LogCapture; nest: PinoNestLogger } {
  const out = captureLog();
  return {
    out,
    nest: new PinoNestLogger(createLogger({ level, service: 'provisioning', destination: out })),
  };
}

describe(PinoNestLogger.name, () => {
  it.each([
    ['log', 'info'],
    ['error', 'error'],
    ['warn', 'warn'],
    ['debug', 'debug'],
    ['verbose', 'trace'],
    ['fatal', 'fatal'],
  ] as const)('writes %s as pino level %s with the context field', (method, level) => {
    const { out, nest } = setUp();
    nest[method]('Mapped {/users, GET} route', 'RoutesResolver');
    expect(out.records()).toEqual([
      expect.objectContaining({
        level,
        service: 'provisioning',
        context: 'RoutesResolver',
        msg: 'Mapped {/users, GET} route',
      }),
    ]);
  });

  it('writes no context field when none is given', () => {
    const { out, nest } = setUp();
    nest.log('started');
    expect(out.records()[0]).not.toHaveProperty('context');
  });

  it('merges plain-object arguments and keeps other extras', () => {
    const { out, nest } = setUp();
    nest.log('user created', { userId: 'u-1' }, 42, 'UsersService');
    expect(out.records()[0]).toMatchObject({
      msg: 'user created',
      context: 'UsersService',
      params: { userId: 'u-1' },
      args: [42],
    });
  });

  it('writes a plain-object message as fields', () => {
    const { out, nest } = setUp();
    nest.log({ event: 'tenant.created', tenantId: 't-1' }, 'TenantsService');
    expect(out.records()[0]).toMatchObject({
      event: 'tenant.created',
      tenantId: 't-1',
      context: 'TenantsService',
    });
  });

  it('serializes an Error message under err', () => {
    const { out, nest } = setUp();
    nest.error(new Error('db down'), 'Bootstrap');
    expect(out.records()[0]).toMatchObject({
      level: 'error',
      msg: 'db down',
      context: 'Bootstrap',
      err: { type: 'Error', message: 'db down' },
    });
  });

  it('reads error(message, stack, context)', () => {
    const { out, nest } = setUp();
    nest.error('Unhandled exception', STACK, 'ExceptionsHandler');
    expect(out.records()[0]).toMatchObject({
      msg: 'Unhandled exception',
      stack: STACK,
      context: 'ExceptionsHandler',
    });
  });

  it('reads error(message, context) as a context, not a stack', () => {
    const { out, nest } = setUp();
    nest.error('failed', 'UsersService');
    const [record] = out.records();
    expect(record).toMatchObject({ context: 'UsersService' });
    expect(record).not.toHaveProperty('stack');
  });

  it('reads error(message, stack) as a stack', () => {
    const { out, nest } = setUp();
    nest.error('failed', STACK);
    const [record] = out.records();
    expect(record).toMatchObject({ stack: STACK });
    expect(record).not.toHaveProperty('context');
  });

  it('reads error(message, stack, params, context)', () => {
    const { out, nest } = setUp();
    nest.error('failed', 'not a stack trace', { userId: 'u-1' }, 'UsersService');
    expect(out.records()[0]).toMatchObject({
      stack: 'not a stack trace',
      params: { userId: 'u-1' },
      context: 'UsersService',
    });
    expect(out.records()[0]).not.toHaveProperty('args');
  });

  it('skips work below the level', () => {
    const { out, nest } = setUp('info');
    nest.debug('hidden', 'X');
    nest.verbose('hidden', 'X');
    expect(out.lines).toEqual([]);
  });

  // @nestjs/common 12 is ESM-only and jest's CommonJS runtime cannot load it on Node 20, so these
  // are the argument lists Nest's Logger (services/logger.service.js) hands an overriding logger.
  it("reads the arguments of Nest's own Logger, which appends its context", () => {
    const { out, nest } = setUp();
    nest.log('AppModule dependencies initialized', 'InstanceLoader'); // new Logger('InstanceLoader').log(m)
    nest.error('could not connect', undefined, 'InstanceLoader'); // new Logger('InstanceLoader').error(m)
    nest.warn({ retryInMs: 500 }, 'InstanceLoader'); // new Logger('InstanceLoader').warn({ ... })
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'InstanceLoader',
        msg: 'AppModule dependencies initialized',
      }),
      expect.objectContaining({
        level: 'error',
        context: 'InstanceLoader',
        msg: 'could not connect',
      }),
      expect.objectContaining({ level: 'warn', context: 'InstanceLoader', retryInMs: 500 }),
    ]);
    expect(out.records()[1]).not.toHaveProperty('stack');
    expect(out.records()[1]).not.toHaveProperty('args');
  });
});
