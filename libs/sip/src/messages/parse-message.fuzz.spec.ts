import fc from 'fast-check';
import { parseMessage, type ParseResult } from './parse-message';
import { TORTURE_INVALID, TORTURE_VALID } from './rfc4475.fixtures';
import { serializeMessage } from './serialize-message';
import { SipHeaders, type SipMessage } from './sip-message';
import { SipStreamFramer } from './stream-framer';

/** Every generated input must parse well within this (the parser is linear and bounded). */
const MAX_MS_PER_INPUT = 50;

const SEEDS = [
  ...Object.values(TORTURE_VALID),
  ...Object.values(TORTURE_INVALID).map((x) => x.data),
];

let total = 0;

function check(input: Buffer): ParseResult {
  total++;
  const t0 = performance.now();
  const r = parseMessage(input);
  const dt = performance.now() - t0;
  if (dt > MAX_MS_PER_INPUT)
    throw new Error(`parse took ${dt.toFixed(1)} ms for ${input.length} bytes`);
  if (r.kind === 'error' && (r.error.status < 400 || r.error.reason.length === 0))
    throw new Error('bad error');
  return r;
}

const NASTY = [
  '"',
  '<',
  '>',
  ';',
  ',',
  ':',
  '@',
  '%',
  '\\',
  '\r\n',
  '\r\n ',
  '\n',
  '\0',
  '[',
  ']',
  '=',
  '?',
  ' ',
  '99999999999999999999999',
  '-1',
  '\u00ff',
];

type Mutation = (b: Buffer) => Buffer;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n) => (b: Buffer) => {
    const c = Buffer.from(b);
    if (c.length > 0) c[n % c.length] ^= 1 << (n % 8);
    return c;
  }),
  fc.nat().map((n) => (b: Buffer) => b.subarray(0, n % (b.length + 1))),
  fc.tuple(fc.nat(), fc.constantFrom(...NASTY)).map(([n, s]) => (b: Buffer) => {
    const at = n % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from(s, 'latin1'), b.subarray(at)]);
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 40 })).map(([n, len]) => (b: Buffer) => {
    const at = n % (b.length + 1);
    return Buffer.concat([b.subarray(0, at), b.subarray(at + len)]);
  }),
  // Duplicate a whole header line.
  fc.nat().map((n) => (b: Buffer) => {
    const lines = b.toString('latin1').split('\r\n');
    const i = 1 + (n % Math.max(1, lines.length - 1));
    lines.splice(i, 0, lines[i] ?? '');
    return Buffer.from(lines.join('\r\n'), 'latin1');
  }),
  // Replace a number with a huge one.
  fc.nat().map((n) => (b: Buffer) => {
    let k = 0;
    return Buffer.from(
      b.toString('latin1').replace(/\d+/g, (d) => (k++ === n % 20 ? '9'.repeat(30) : d)),
      'latin1',
    );
  }),
);

describe('parseMessage under fuzzing', () => {
  afterAll(() => {
    // Visible in verbose runs; the count is asserted below.
    expect(total).toBeGreaterThanOrEqual(100_000);
  });

  it('never throws nor stalls on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        check(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      }),
      { numRuns: 30_000, seed: 4475 },
    );
  });

  it('never throws nor stalls on random text that looks like SIP', () => {
    const sipish = fc
      .array(
        fc.constantFrom(
          ...NASTY,
          'INVITE ',
          'sip:',
          'SIP/2.0',
          'Via: ',
          'SIP/2.0/UDP h',
          'To: ',
          'From: ',
          'CSeq: 1 INVITE',
          'Call-ID: x',
          'l: ',
          'a',
          '1',
          '\r\n\r\n',
        ),
        { maxLength: 80 },
      )
      .map((parts) => Buffer.from(parts.join(''), 'latin1'));
    fc.assert(
      fc.property(sipish, (b) => void check(b)),
      { numRuns: 20_000, seed: 3261 },
    );
  });

  it('never throws nor stalls on mutations of the torture messages', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (seed, ms) => {
          check(ms.reduce((b, m) => m(b), seed));
        },
      ),
      { numRuns: 50_000, seed: 5626 },
    );
  });

  it('never throws on huge and unbalanced inputs', () => {
    const head = 'INVITE sip:a@b SIP/2.0\r\nTo: ';
    for (const filler of ['"', '<', '\\', ';', ',', ' ', '%', '[', 'a']) {
      check(Buffer.from(head + filler.repeat(60_000) + '\r\n\r\n'));
      check(Buffer.from(head + filler.repeat(8_000) + '\r\n\r\n'));
    }
    expect(check(Buffer.alloc(70_000, 65)).kind).toBe('error');
  });

  it('frames any cut of a stream the same way', () => {
    const framer = () => new SipStreamFramer();
    const message = serializeMessage(
      (check(TORTURE_VALID.bext01) as { message: SipMessage }).message,
    );
    fc.assert(
      fc.property(fc.array(fc.nat({ max: message.length * 2 }), { maxLength: 6 }), (cuts) => {
        const stream = Buffer.concat([message, Buffer.from('\r\n\r\n'), message]);
        const f = framer();
        const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
        let prev = 0;
        const kinds: string[] = [];
        for (const p of [...points, stream.length]) {
          for (const fr of f.push(stream.subarray(prev, p))) kinds.push(fr.kind);
          prev = p;
        }
        expect(kinds.filter((k) => k === 'message')).toHaveLength(2);
        expect(kinds).not.toContain('error');
      }),
      { numRuns: 2_000, seed: 18 },
    );
  });
});

describe('serializeMessage round trip', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9.!%*_+`'~-]{1,12}$/);
  const user = fc.stringMatching(/^[A-Za-z0-9._~!*'()-]{1,12}$/);
  const hostname = fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}$/);
  const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
  const generated = fc
    .record({
      request: fc.boolean(),
      method: token,
      user,
      host: hostname,
      status: fc.integer({ min: 100, max: 699 }),
      reason: fc.stringMatching(/^[\x20-\x7e]{0,20}$/),
      seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      tag: token,
      callId: token,
      extra: fc.array(
        fc.tuple(
          fc.constantFrom('X-A', 'Subject', 'Allow', 'Supported', 'User-Agent', 'Accept'),
          value,
        ),
        { maxLength: 6 },
      ),
      body: fc.uint8Array({ maxLength: 200 }),
    })
    .map((g): SipMessage => {
      const body = Buffer.from(g.body);
      const headers = SipHeaders.of([
        ['Via', `SIP/2.0/UDP ${g.host};branch=z9hG4bK${g.tag}`],
        ['From', `<sip:${g.user}@${g.host}>;tag=${g.tag}`],
        ['To', `sip:${g.user}@${g.host}`],
        ['Call-ID', g.callId],
        ['CSeq', `${g.seq} ${g.request ? g.method : 'INVITE'}`],
        ['Max-Forwards', '70'],
        ...g.extra,
        ['Content-Length', String(body.length)],
      ]);
      return g.request
        ? {
            kind: 'request',
            method: g.method,
            requestUri: `sip:${g.user}@${g.host}`,
            version: 'SIP/2.0',
            headers,
            body,
          }
        : {
            kind: 'response',
            version: 'SIP/2.0',
            status: g.status,
            reason: g.reason,
            headers,
            body,
          };
    });

  it('parse(serialize(m)) equals m for generated valid messages', () => {
    fc.assert(
      fc.property(generated, (m) => {
        const r = check(serializeMessage(m));
        expect(r.kind).toBe('message');
        expect(r.kind === 'message' && r.message).toEqual(m);
      }),
      { numRuns: 5_000, seed: 2543 },
    );
  });
});
