import type { SipUri } from '../grammar/uri';
import { parseMessage, type ParsedMessage, type ParseResult } from './parse-message';
import { msg, TORTURE_INVALID, TORTURE_VALID } from './rfc4475.fixtures';
import { serializeMessage } from './serialize-message';
import { SipHeaders } from './sip-message';

function parsed(r: ParseResult): ParsedMessage {
  if (r.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r)}`);
  return r;
}

const REGISTER = [
  'REGISTER sip:registrar.example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@example.com>',
  'From: Bob <sip:bob@example.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@192.0.2.4>;expires=7200',
  'Content-Length: 0',
];

describe(parseMessage.name, () => {
  describe('RFC 4475 valid messages', () => {
    it('wsinv: unfolds continuation lines and tolerates LWS everywhere the grammar allows', () => {
      const p = parsed(parseMessage(TORTURE_VALID.wsinv));
      expect(p.message.kind).toBe('request');
      expect(p.maxForwards).toBe(68);
      expect(p.cseq).toEqual({ seq: 9, method: 'INVITE' });
      expect(p.to.params).toEqual([{ name: 'tag', value: '1918181833n' }]);
      expect(p.from.displayName).toBe('J Rosenberg \\"');
      expect(p.from.params).toEqual([{ name: 'tag', value: '98asjd8' }]);
      expect(p.via.map((v) => [v.transport, v.host, v.branch])).toEqual([
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ]);
      expect(p.message.headers.get('NewFangledHeader')).toBe(
        'newfangled value continued newfangled value',
      );
      expect(p.message.headers.get('subject')).toBe('');
      expect(p.message.headers.get('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;');
      expect(p.message.headers.getAll('route')).toEqual([
        '<sip:services.example.com;lr;unknownwith=value;unknown-no-value>',
      ]);
      const contact = p.contact;
      expect(contact !== null && !contact.wildcard && contact.contacts[0]).toMatchObject({
        displayName: 'Quoted string ""',
        q: 330,
      });
      expect(p.message.body.toString()).toContain('a=rtpmap:31 LPC');
    });

    it('intmeth: accepts unusual tokens in method, URI, tag, Call-ID and header names', () => {
      const p = parsed(parseMessage(TORTURE_VALID.intmeth));
      expect(p.message.kind === 'request' && p.message.method).toBe(
        "!interesting-Method0123456789_*+`.%indeed'~",
      );
      const uri = p.requestUri as SipUri;
      expect([uri.user, uri.password, uri.host]).toEqual([
        "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*",
        "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)",
        'example.com',
      ]);
      expect(p.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7F');
      expect(p.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
      expect(p.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
      expect(p.message.headers.get("extensionHeader-!.%*+_`'~")).toBe('\uFEFF大停電');
    });

    it('esc01: unescapes URIs but keeps header values raw', () => {
      const p = parsed(parseMessage(TORTURE_VALID.esc01));
      expect((p.requestUri as SipUri).user).toBe('sips:user@example.com');
      expect((p.to.uri as SipUri).user).toBe('user');
      expect((p.from.uri as SipUri).user).toBe('I have spaces');
      const c = p.contact;
      expect(c !== null && !c.wildcard && (c.contacts[0].uri as SipUri).params).toEqual([
        { name: 'lr', value: null },
        { name: 'name', value: 'value%41' },
      ]);
      expect(p.message.headers.get('Content-Type')).toBe('application/sdp');
      expect(p.message.headers.get('i')).toBe('esc01.239409asdfakjkn23onasd0-3234');
    });

    it('escnull: keeps %00 in users as U+0000', () => {
      const p = parsed(parseMessage(TORTURE_VALID.escnull));
      const c = p.contact;
      expect(c !== null && !c.wildcard && c.contacts.map((x) => (x.uri as SipUri).user)).toEqual([
        '\0',
        '\0\0',
      ]);
    });

    it('esc02: a method with escapes is a different (unknown) method, and C%6Fntact is not Contact', () => {
      const p = parsed(parseMessage(TORTURE_VALID.esc02));
      expect(p.message.kind === 'request' && p.message.method).toBe('RE%47IST%45R');
      expect(p.to.displayName).toBe('%Z%45');
      expect(p.message.headers.getAll('Contact')).toHaveLength(2);
      expect(p.message.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    });

    it('lwsdisp: a display name directly followed by "<"', () => {
      expect(parsed(parseMessage(TORTURE_VALID.lwsdisp)).from.displayName).toBe('caller');
    });

    it('longreq: long values and 34 Vias', () => {
      const p = parsed(parseMessage(TORTURE_VALID.longreq));
      expect(p.via).toHaveLength(34);
      expect((p.to.uri as SipUri).port).toBe(6000);
      expect(p.message.body.length).toBeGreaterThan(0);
    });

    it('dblreq: bytes after Content-Length in a datagram are discarded', () => {
      const p = parsed(parseMessage(TORTURE_VALID.dblreq));
      expect(p.message.kind === 'request' && p.message.method).toBe('REGISTER');
      expect(p.message.body.length).toBe(0);
    });

    it('semiuri: ";" inside the user part', () => {
      const p = parsed(parseMessage(TORTURE_VALID.semiuri));
      const uri = p.requestUri as SipUri;
      expect([uri.user, uri.host, uri.params]).toEqual([
        'user;par=u@example.net',
        'example.com',
        [],
      ]);
      expect(p.message.headers.getAll('Accept')).toEqual([
        'application/sdp',
        'application/pkcs7-mime',
        'multipart/mixed',
        'multipart/signed',
        'message/sip',
        'message/sipfrag',
      ]);
    });

    it('transports: known and unknown transports in Via', () => {
      expect(parsed(parseMessage(TORTURE_VALID.transports)).via.map((v) => v.transport)).toEqual([
        'UDP',
        'SCTP',
        'TLS',
        'UNKNOWN',
        'TCP',
      ]);
    });

    it('mpart01: a binary multipart body is kept byte for byte', () => {
      const p = parsed(parseMessage(TORTURE_VALID.mpart01));
      expect(p.message.body.length).toBe(183);
      expect(p.message.body.includes(Buffer.from([0xff, 0xfe, 0x00]))).toBe(true);
    });

    it('unreason: a UTF-8 reason phrase', () => {
      const p = parsed(parseMessage(TORTURE_VALID.unreason));
      expect(p.message.kind === 'response' && [p.message.status, p.message.reason]).toEqual([
        200,
        '= 2**3 * 5**2 но сто девяносто девять - простое',
      ]);
    });

    it('noreason: an empty reason phrase', () => {
      const p = parsed(parseMessage(TORTURE_VALID.noreason));
      expect(p.message.kind === 'response' && [p.message.status, p.message.reason]).toEqual([
        100,
        '',
      ]);
    });

    it('badbranch, bext01, bcast, sdp01, regaut01, zeromf: parse; the layers above decide', () => {
      expect(parsed(parseMessage(TORTURE_VALID.badbranch)).via[0].branch).toBe('z9hG4bK');
      expect(parsed(parseMessage(TORTURE_VALID.bext01)).message.headers.getAll('Require')).toEqual([
        'nothingSupportsThis',
        'nothingSupportsThisEither',
      ]);
      expect(parsed(parseMessage(TORTURE_VALID.bcast)).via[1].host).toBe('255.255.255.255');
      expect(parsed(parseMessage(TORTURE_VALID.sdp01)).message.headers.get('Accept')).toBe(
        'text/nobodyKnowsThis',
      );
      // Authorization is never split at commas.
      expect(
        parsed(parseMessage(TORTURE_VALID.regaut01)).message.headers.getAll('Authorization'),
      ).toEqual(['NoOneKnowsThisScheme opaque-data=here, more=data']);
      expect(parsed(parseMessage(TORTURE_VALID.zeromf)).maxForwards).toBe(0);
    });

    it('cparam01/cparam02: contact parameters versus URI parameters', () => {
      const c1 = parsed(parseMessage(TORTURE_VALID.cparam01)).contact;
      expect(
        c1 !== null &&
          !c1.wildcard && [c1.contacts[0].params, (c1.contacts[0].uri as SipUri).params],
      ).toEqual([[{ name: 'unknownparam', value: null }], []]);
      const c2 = parsed(parseMessage(TORTURE_VALID.cparam02)).contact;
      expect(
        c2 !== null &&
          !c2.wildcard && [c2.contacts[0].expires, (c2.contacts[0].uri as SipUri).params],
      ).toEqual([60, [{ name: 'unknownparam', value: null }]]);
    });

    it('inv2543: RFC 2543 syntax is tolerated, with a note for the missing Max-Forwards', () => {
      const p = parsed(parseMessage(TORTURE_VALID.inv2543));
      expect(p.maxForwards).toBeNull();
      expect(p.notes).toEqual(['missing Max-Forwards (RFC 2543 peer?)']);
      expect(p.via[0].branch).toBeNull();
      expect(p.message.body.toString()).toContain('v=0');
    });
  });

  describe('RFC 4475 invalid messages', () => {
    it.each(Object.entries(TORTURE_INVALID))(
      '%s is refused with the expected status',
      (_name, { data, status }) => {
        const r = parseMessage(data);
        expect(r.kind).toBe('error');
        expect(r.kind === 'error' && r.error.status).toBe(status);
      },
    );

    it('explains the refusal in the reason phrase', () => {
      const r = parseMessage(TORTURE_INVALID.insuf.data);
      expect(r.kind === 'error' && r.error.reason).toBe('Bad Request (missing To)');
      const m = parseMessage(TORTURE_INVALID.mismatch01.data);
      expect(m.kind === 'error' && m.error.header).toBe('CSeq');
    });
  });

  describe('framing of a datagram', () => {
    it('accepts bare LF line ends and reports CRLF-only datagrams as keep-alives', () => {
      const p = parsed(parseMessage(Buffer.from(REGISTER.join('\n') + '\n\n')));
      expect(p.cseq.method).toBe('REGISTER');
      expect(parseMessage(Buffer.from('\r\n\r\n'))).toEqual({ kind: 'keep-alive' });
    });

    it('answers 413 above 64 KiB, 400 above 200 headers and for an over-long line, 414 for a long Request-URI', () => {
      const big = msg([
        ...REGISTER.slice(0, -1),
        `X-Pad: ${'a'.repeat(70000)}`,
        'Content-Length: 0',
      ]);
      expect((parseMessage(big) as { error: { status: number } }).error.status).toBe(413);
      const many = msg([
        ...REGISTER.slice(0, -1),
        ...Array.from({ length: 200 }, (_, i) => `X-H${i}: ${i}`),
        'Content-Length: 0',
      ]);
      const r = parseMessage(many);
      expect(r.kind === 'error' && r.error.code).toBe('TOO_MANY_HEADERS');
      const long = msg([
        ...REGISTER.slice(0, -1),
        `X-Pad: ${'a'.repeat(9000)}`,
        'Content-Length: 0',
      ]);
      expect(parseMessage(long).kind === 'error').toBe(true);
      const uri = msg([
        `REGISTER sip:${'u'.repeat(5000)}@example.com SIP/2.0`,
        ...REGISTER.slice(1),
      ]);
      const u = parseMessage(uri);
      expect(u.kind === 'error' && u.error.status).toBe(414);
    });

    it('refuses a message without the empty line and a continuation before any header', () => {
      expect(parseMessage(Buffer.from(REGISTER.join('\r\n'))).kind).toBe('error');
      expect(parseMessage(msg([REGISTER[0], ' folded', ...REGISTER.slice(1)])).kind).toBe('error');
    });

    it('requires Content-Length when asked to (streams)', () => {
      const r = parseMessage(msg(REGISTER.slice(0, -1)), { requireContentLength: true });
      expect(r.kind === 'error' && r.error.reason).toContain('Content-Length');
    });
  });
});

describe(serializeMessage.name, () => {
  it('round-trips every valid torture message', () => {
    for (const [name, data] of Object.entries(TORTURE_VALID)) {
      const first = parsed(parseMessage(data));
      if (!first.message.headers.has('Content-Length')) continue; // inv2543: serialize adds it
      const again = parsed(parseMessage(serializeMessage(first.message)));
      expect({ name, m: again.message }).toEqual({ name, m: first.message });
    }
  });

  it('writes canonical names and sets Content-Length from the body', () => {
    const headers = SipHeaders.of([
      ['v', 'SIP/2.0/UDP h;branch=z9hG4bK1'],
      ['call-id', 'x@y'],
      ['l', '99'],
    ]);
    const out = serializeMessage({
      kind: 'response',
      version: 'SIP/2.0',
      status: 180,
      reason: 'Ringing',
      headers,
      body: Buffer.from('hi'),
    });
    expect(out.toString()).toBe(
      'SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCall-ID: x@y\r\nContent-Length: 2\r\n\r\nhi',
    );
  });
});

describe(SipHeaders.name, () => {
  it('looks headers up case-insensitively, by compact or full name, in order', () => {
    const h = SipHeaders.of([
      ['f', '<sip:a@b>;tag=1'],
      ['CONTACT', '<sip:a@1.2.3.4>, <sip:a@5.6.7.8>'],
      ['m', '"x, y" <sip:a@9.9.9.9>'],
      ['WWW-Authenticate', 'Digest realm="a", nonce="b"'],
      ['x-custom', '1'],
    ]);
    expect(h.get('From')).toBe('<sip:a@b>;tag=1');
    expect(h.getAll('contact')).toEqual([
      '<sip:a@1.2.3.4>',
      '<sip:a@5.6.7.8>',
      '"x, y" <sip:a@9.9.9.9>',
    ]);
    expect(h.getAll('www-authenticate')).toEqual(['Digest realm="a", nonce="b"']);
    expect(h.get('X-CUSTOM')).toBe('1');
    expect(h.count('m')).toBe(2);
    h.set('Contact', '*');
    expect(h.fields.map((f) => f.name)).toEqual([
      'From',
      'Contact',
      'WWW-Authenticate',
      'x-custom',
    ]);
    h.delete('x-Custom');
    expect(h.has('x-custom')).toBe(false);
  });
});
