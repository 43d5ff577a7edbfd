import { ConfigError, ConfigErrorCode } from './config.error';
import { defineSchema } from './config-schema';
import { type ConfigErrorExit, EX_CONFIG, exitOnConfigError } from './exit-on-config-error';
import { logLevel, port } from './field-builders';
import { loadConfig } from './load-config';

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeExit(): ConfigErrorExit & { readonly written: string[] } {
  const written: string[] = [];
  return {
    written,
    writeError: (text) => {
      written.push(text);
    },
    exit: (code) => {
      throw new ExitCalled(code);
    },
  };
}

const schema = defineSchema({
  PBX_HTTP_PORT: port().default(8080),
  LOG_LEVEL: logLevel().default('info'),
});

describe(exitOnConfigError.name, () => {
  it('returns what the loader returns', () => {
    const out = fakeExit();
    expect(exitOnConfigError(() => loadConfig(schema, { PBX_HTTP_PORT: '81' }), out).httpPort).toBe(
      81,
    );
    expect(out.written).toEqual([]);
  });

  it('writes each problem as a prefixed line, with no stack trace, and exits with 78', () => {
    const out = fakeExit();
    const run = (): unknown =>
      exitOnConfigError(
        () => loadConfig(schema, { PBX_HTTP_PORT: 'notaport', LOG_LEVEL: 'loud' }),
        out,
      );
    expect(run).toThrow(new ExitCalled(EX_CONFIG));
    expect(EX_CONFIG).toBe(78);
    expect(out.written.join('')).toBe(
      'configuration error: PBX_HTTP_PORT must be a port number 1-65535, got "notaport"\n' +
        'configuration error: LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"\n',
    );
  });

  it('rethrows an invalid schema, which is a bug', () => {
    const out = fakeExit();
    const bug = new ConfigError(ConfigErrorCode.InvalidSchema, [
      'PBX_A and A both map to the key a',
    ]);
    expect(() =>
      exitOnConfigError(() => {
        throw bug;
      }, out),
    ).toThrow(bug);
    expect(out.written).toEqual([]);
  });

  it('rethrows any other error', () => {
    const out = fakeExit();
    expect(() =>
      exitOnConfigError(() => {
        throw new RangeError('boom');
      }, out),
    ).toThrow(RangeError);
  });
});
