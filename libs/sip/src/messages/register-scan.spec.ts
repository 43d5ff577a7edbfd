import fc from 'fast-check';
import { tagOf } from '../grammar/name-addr';
import { parseMessage } from './parse-message';
import { scanUdpRegister } from './register-scan';

const LINES = [
  'REGISTER sip:acme.example SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-74bf9;rport',
  'From: "Desk 1001" <sip:1001@acme.example>;tag=456248',
  'To: <sip:1001@acme.example>',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:1001@192.0.2.10:5062;transport=udp>;expires=600',
  'Max-Forwards: 70',
  'Expires: 3600',
  'User-Agent: Yealink SIP-T54W 96.86.0.70',
  'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
  'Authorization: Digest username="1001", realm="acme.example", nonce="n", uri="sip:acme.example", response="r"',
  'Content-Length: 0',
];

function datagram(lines: readonly string[] = LINES, body = ''): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

/** LINES with the header `name` replaced by `line` (or removed when line is null). */
function withHeader(name: string, line: string | null): string[] {
  const out = LINES.filter((l) => !l.startsWith(`${name}: `));
  if (line !== null) out.splice(2, 0, line);
  return out;
}

describe(scanUdpRegister.name, () => {
  it('reads every field of a plain REGISTER as the parser does', () => {
    const scan = scanUdpRegister(datagram());
    expect(scan).toMatchObject({
      requestUri: 'sip:acme.example',
      domain: 'acme.example',
      via: 'SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK-74bf9;rport',
      viaHost: '192.0.2.10',
      viaPort: 5062,
      branch: 'z9hG4bK-74bf9',
      rport: true,
      fromTag: '456248',
      callId: '843817637684230@998sdasdh09',
      seq: 1826,
      contactText: 'sip:1001@192.0.2.10:5062;transport=udp',
      contactExpires: 600,
      expires: 3600,
      userAgent: 'Yealink SIP-T54W 96.86.0.70',
      copied: [LINES[1], LINES[2], LINES[3], LINES[4], LINES[5]],
    });
    expect(scan?.to).toMatchObject({ user: '1001', host: 'acme.example' });
    expect(scan?.contact).toMatchObject({ user: '1001', host: '192.0.2.10', port: 5062 });
    expect(scan?.authorization).toMatch(/^Digest username="1001"/);
  });

  it('lowercases the domain and takes a REGISTER without credentials, Expires or agent', () => {
    const lines = LINES.filter((l) => !/^(Authorization|Expires|User-Agent):/.test(l));
    lines[0] = 'REGISTER sip:ACME.example SIP/2.0';
    const scan = scanUdpRegister(datagram(lines));
    expect(scan).toMatchObject({
      domain: 'acme.example',
      requestUri: 'sip:ACME.example',
      authorization: null,
      expires: null,
      userAgent: null,
    });
  });

  it.each<[string, string[] | Buffer]>([
    ['another method', ['OPTIONS sip:acme.example SIP/2.0', ...LINES.slice(1)]],
    ['a Request-URI with a user', ['REGISTER sip:x@acme.example SIP/2.0', ...LINES.slice(1)]],
    ['a compact header name', withHeader('Call-ID', 'i: abc@host')],
    ['a lower-case header name', withHeader('Call-ID', 'call-id: abc@host')],
    ['an unknown header', withHeader('X-Foo', 'X-Foo: bar')],
    ['a Require header', withHeader('Require', 'Require: outbound')],
    ['a folded header', [...LINES.slice(0, 9), ' continued', ...LINES.slice(9)]],
    ['a padded value', withHeader('Max-Forwards', 'Max-Forwards:  70')],
    [
      'two Via headers',
      [...LINES.slice(0, 2), 'Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKx', ...LINES.slice(2)],
    ],
    [
      'two Vias in one header',
      withHeader(
        'Via',
        'Via: SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2',
      ),
    ],
    ['a TCP Via', withHeader('Via', 'Via: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bKabc')],
    ['an RFC 2543 branch', withHeader('Via', 'Via: SIP/2.0/UDP 192.0.2.10;branch=abc')],
    [
      'a Via with received',
      withHeader('Via', 'Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bKa;received=1.2.3.4'),
    ],
    ['an upper-case Via host', withHeader('Via', 'Via: SIP/2.0/UDP PHONE.example;branch=z9hG4bKa')],
    [
      'a Via port out of range',
      withHeader('Via', 'Via: SIP/2.0/UDP 192.0.2.10:70000;branch=z9hG4bKa'),
    ],
    ['a From without tag', withHeader('From', 'From: <sip:1001@acme.example>')],
    ['a From that is no SIP URI', withHeader('From', 'From: <tel:+3120>;tag=1')],
    ['a To with a tag', withHeader('To', 'To: <sip:1001@acme.example>;tag=9')],
    ['a To without user', withHeader('To', 'To: <sip:acme.example>')],
    ['a CSeq of another method', withHeader('CSeq', 'CSeq: 1 INVITE')],
    ['a CSeq above 2^31-1', withHeader('CSeq', 'CSeq: 2147483648 REGISTER')],
    ['a Call-ID with a space', withHeader('Call-ID', 'Call-ID: a b')],
    ['two Contacts in one header', withHeader('Contact', 'Contact: <sip:a@b>, <sip:c@d>')],
    ['two Contact headers', [...LINES, 'Contact: <sip:c@d>']],
    ['a Contact with q', withHeader('Contact', 'Contact: <sip:a@b>;q=0.5')],
    [
      'a Contact with an instance',
      withHeader('Contact', 'Contact: <sip:a@b>;+sip.instance="<urn:x>";reg-id=1'),
    ],
    ['a Contact without brackets', withHeader('Contact', 'Contact: sip:a@b')],
    ['Contact: *', withHeader('Contact', 'Contact: *')],
    ['a sips Contact', withHeader('Contact', 'Contact: <sips:a@b>')],
    ['no Contact (a query)', withHeader('Contact', null)],
    ['no Max-Forwards', withHeader('Max-Forwards', null)],
    ['Max-Forwards 0', withHeader('Max-Forwards', 'Max-Forwards: 0')],
    ['a malformed Expires', withHeader('Expires', 'Expires: soon')],
    ['a Content-Length other than 0', withHeader('Content-Length', 'Content-Length: 4')],
    ['a body', datagram(LINES, 'body')],
    [
      'a byte above 0x7f',
      Buffer.from(`${LINES.join('\r\n')}\r\nUser-Agent: caf\u00e9\r\n\r\n`, 'utf8'),
    ],
    ['no blank line', Buffer.from(LINES.join('\r\n'))],
  ])('leaves %s to the parser', (_what, input) => {
    expect(scanUdpRegister(Buffer.isBuffer(input) ? input : datagram(input))).toBeNull();
  });

  it('takes only what the parser takes, and reads it the same (100,000 mutations)', () => {
    const base = datagram().toString('latin1');
    const pieces = [
      '',
      ' ',
      ';',
      ',',
      '<',
      '>',
      '"',
      '\r\n',
      ':',
      '@',
      '=',
      '0',
      'a',
      'Z',
      '\t',
      '\\',
    ];
    let taken = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), fc.constantFrom(...pieces)), {
          minLength: 1,
          maxLength: 3,
        }),
        (edits) => {
          let text = base;
          for (const [at, cut, piece] of edits) {
            const i = Math.min(at, text.length);
            text = text.slice(0, i) + piece + text.slice(i + cut);
          }
          const data = Buffer.from(text, 'latin1');
          const scan = scanUdpRegister(data);
          if (scan === null) return;
          taken++;
          const parsed = parseMessage(data);
          expect(parsed.kind).toBe('message');
          if (parsed.kind !== 'message' || parsed.message.kind !== 'request') return;
          expect(parsed.message.method).toBe('REGISTER');
          expect(parsed.message.requestUri).toBe(scan.requestUri);
          expect(parsed.callId).toBe(scan.callId);
          expect(parsed.cseq.seq).toBe(scan.seq);
          expect(parsed.via).toHaveLength(1);
          expect(parsed.via[0].branch).toBe(scan.branch);
          expect(parsed.via[0].host).toBe(scan.viaHost);
          expect(parsed.via[0].port).toBe(scan.viaPort);
          expect(tagOf(parsed.from)).toBe(scan.fromTag);
          expect(tagOf(parsed.to)).toBeUndefined();
          const contact = parsed.contact;
          if (contact === null || contact.wildcard) throw new Error('no plain Contact');
          expect(contact.contacts).toHaveLength(1);
          expect(contact.contacts[0].expires ?? null).toBe(scan.contactExpires);
          expect(parsed.message.headers.get('Authorization') ?? null).toBe(scan.authorization);
        },
      ),
      { numRuns: 100_000, seed: 20261125 },
    );
    // The mutations must also leave many messages plain, or the property says little.
    expect(taken).toBeGreaterThan(10_000);
  });
});
