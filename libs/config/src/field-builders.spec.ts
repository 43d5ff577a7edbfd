import type { ConfigField } from './config-field';
import {
  bool,
  brokers,
  enumList,
  enumOf,
  int,
  logLevel,
  path,
  port,
  portRange,
  text,
  url,
} from './field-builders';

function problemOf<T>(field: ConfigField<T>, name: string, raw: string): string | undefined {
  const reading = field.read(name, raw);
  return reading.ok ? undefined : reading.problem;
}

function valueOf<T>(field: ConfigField<T>, raw: string): T {
  const reading = field.read('X', raw);
  if (!reading.ok) throw new Error(`expected ${raw} to be accepted: ${reading.problem}`);
  return reading.value;
}

describe('port', () => {
  it.each([
    ['1', 1],
    ['8080', 8080],
    ['65535', 65535],
    [' 5060\n', 5060],
  ])('accepts %j', (raw, expected) => {
    expect(valueOf(port(), raw)).toBe(expected);
  });

  it.each(['notaport', '0', '65536', '-1', '80.5', '1e3', '0x50', '123456'])(
    'rejects %j',
    (raw) => {
      expect(problemOf(port(), 'PBX_HTTP_PORT', raw)).toBe(
        `PBX_HTTP_PORT must be a port number 1-65535, got "${raw}"`,
      );
    },
  );
});

describe('portRange', () => {
  it('reads start and end', () => {
    expect(valueOf(portRange(), '30000-30999')).toEqual({ start: 30000, end: 30999 });
  });

  it('accepts a range of one port', () => {
    expect(valueOf(portRange(), '5060-5060')).toEqual({ start: 5060, end: 5060 });
  });

  it.each(['30000', '30000-', 'a-b', '0-10', '1-70000', '1-2-3'])(
    'rejects the malformed %j',
    (raw) => {
      expect(problemOf(portRange(), 'PBX_RTP_PORTS', raw)).toBe(
        `PBX_RTP_PORTS must be a port range start-end of port numbers 1-65535, e.g. 30000-30999, got "${raw}"`,
      );
    },
  );

  it('rejects a start above the end', () => {
    expect(problemOf(portRange(), 'PBX_RTP_PORTS', '30999-30000')).toBe(
      'PBX_RTP_PORTS must be a port range whose start is not above its end, got "30999-30000"',
    );
  });
});

describe('url', () => {
  const postgres = (): ConfigField<string> => url({ protocols: ['postgres', 'postgresql'] });

  it.each(['postgres://db:5432/pbx', 'postgresql://pbx:pw@db/pbx?sslmode=require'])(
    'accepts %j',
    (raw) => {
      expect(valueOf(postgres(), raw)).toBe(raw);
    },
  );

  it('rejects another scheme', () => {
    expect(problemOf(postgres(), 'DATABASE_URL', 'mysql://x')).toBe(
      'DATABASE_URL must be a postgres:// or postgresql:// URL, got "mysql://x"',
    );
  });

  it('rejects text that is no URL', () => {
    expect(problemOf(postgres(), 'DATABASE_URL', 'db:5432')).toBe(
      'DATABASE_URL must be a postgres:// or postgresql:// URL, got "db:5432"',
    );
  });

  it('lists three schemes with commas and picks the article', () => {
    expect(problemOf(url({ protocols: ['amqp', 'amqps:', 'ws'] }), 'BUS_URL', 'x')).toBe(
      'BUS_URL must be an amqp://, amqps:// or ws:// URL, got "x"',
    );
  });

  it('masks the password of the value it shows', () => {
    expect(problemOf(postgres(), 'DATABASE_URL', 'mysql://pbx:hunter2@db/pbx')).toBe(
      'DATABASE_URL must be a postgres:// or postgresql:// URL, got "mysql://pbx:***@db/pbx"',
    );
  });
});

describe('logLevel', () => {
  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('accepts %j', (raw) => {
    expect(valueOf(logLevel(), raw)).toBe(raw);
  });

  it('rejects other words', () => {
    expect(problemOf(logLevel(), 'LOG_LEVEL', 'loud')).toBe(
      'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
    );
  });
});

describe('brokers', () => {
  it('splits the list and trims each entry', () => {
    expect(valueOf(brokers(), 'kafka-0:9092, kafka-1:9092,10.0.0.3:9093,[::1]:9092')).toEqual([
      'kafka-0:9092',
      'kafka-1:9092',
      '10.0.0.3:9093',
      '[::1]:9092',
    ]);
  });

  it.each(['kafka', 'kafka:', 'kafka:99999', 'a:1,,b:2', 'a:1,', 'a b:1'])('rejects %j', (raw) => {
    expect(problemOf(brokers(), 'KAFKA_BROKERS', raw)).toBe(
      `KAFKA_BROKERS must be a comma-separated list of host:port, got "${raw}"`,
    );
  });
});

describe('path', () => {
  it.each(['./.data', '/etc/pbx/tls/cert.pem', 'relative dir/file'])('keeps %j as given', (raw) => {
    expect(valueOf(path(), raw)).toBe(raw);
  });

  it('rejects a NUL byte', () => {
    expect(problemOf(path(), 'PBX_DATA_DIR', 'a\u0000b')).toBe(
      'PBX_DATA_DIR must be a file system path, got "a\\u0000b"',
    );
  });
});

describe('int', () => {
  it.each([
    ['5000', 5000],
    ['-3', -3],
    ['+7', 7],
  ])('accepts %j', (raw, expected) => {
    expect(valueOf(int(), raw)).toBe(expected);
  });

  it.each([
    [{ min: 100, max: 60000 }, '99', 'an integer 100-60000'],
    [{ min: 100, max: 60000 }, '60001', 'an integer 100-60000'],
    [{ min: 1 }, '0', 'an integer >= 1'],
    [{ max: 5 }, '6', 'an integer <= 5'],
    [{}, '1.5', 'an integer'],
    [{}, 'ten', 'an integer'],
    [{}, '99999999999999999999', 'an integer'],
  ])('with bounds %j rejects %j as not %s', (bounds, raw, expectation) => {
    expect(problemOf(int(bounds), 'PBX_N', raw)).toBe(`PBX_N must be ${expectation}, got "${raw}"`);
  });

  it('accepts the bounds themselves', () => {
    expect(valueOf(int({ min: 100, max: 200 }), '100')).toBe(100);
    expect(valueOf(int({ min: 100, max: 200 }), '200')).toBe(200);
  });
});

describe('bool', () => {
  it.each(['true', 'TRUE', '1', 'yes', 'On'])('reads %j as true', (raw) => {
    expect(valueOf(bool(), raw)).toBe(true);
  });

  it.each(['false', 'False', '0', 'no', 'off'])('reads %j as false', (raw) => {
    expect(valueOf(bool(), raw)).toBe(false);
  });

  it('rejects other words', () => {
    expect(problemOf(bool(), 'PBX_FLAG', 'maybe')).toBe(
      'PBX_FLAG must be a boolean (true/false, 1/0, yes/no, on/off), got "maybe"',
    );
  });
});

describe('enumOf', () => {
  it('accepts a listed word', () => {
    expect(valueOf(enumOf(['udp', 'tcp', 'tls']), 'tls')).toBe('tls');
  });

  it('is case-sensitive and lists the words when rejecting', () => {
    expect(problemOf(enumOf(['udp', 'tcp', 'tls']), 'PBX_SIP_TRANSPORT', 'TLS')).toBe(
      'PBX_SIP_TRANSPORT must be one of udp, tcp, tls, got "TLS"',
    );
  });
});

describe('text', () => {
  it('keeps the trimmed text', () => {
    expect(valueOf(text(), '  sip-edge ')).toBe('sip-edge');
  });
});

describe('any field', () => {
  it('escapes a value so that the problem stays on one line', () => {
    expect(problemOf(port(), 'PBX_HTTP_PORT', '80\n81')).toBe(
      'PBX_HTTP_PORT must be a port number 1-65535, got "80\\n81"',
    );
  });

  it('shortens a very long value', () => {
    const problem = problemOf(port(), 'PBX_HTTP_PORT', 'x'.repeat(500)) ?? '';
    expect(problem).toBe(
      `PBX_HTTP_PORT must be a port number 1-65535, got "${'x'.repeat(120)}..."`,
    );
  });
});

describe('enumList', () => {
  const field = enumList(['SHA-256', 'MD5']);
  it('keeps the order given', () => {
    expect(valueOf(field, 'MD5, SHA-256')).toEqual(['MD5', 'SHA-256']);
  });
  it('refuses unknown, duplicate and empty lists', () => {
    for (const value of ['MD5,SHA-1', 'MD5,MD5', ' , ']) {
      expect(problemOf(field, 'PBX_X', value)).toMatch(
        /comma-separated list of distinct values from SHA-256, MD5/,
      );
    }
  });
});
