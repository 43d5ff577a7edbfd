import { parseContact, parseQValue } from './contact';
import { parseNameAddr, parseNameAddrList } from './name-addr';
import { parseParameterList } from './parameters';
import {
  parseCallId,
  parseContentLength,
  parseCSeq,
  parseExpires,
  parseMaxForwards,
  parseSipDate,
} from './scalar-headers';
import { splitHeaderValues } from './split-values';
import { parseUri, type SipUri } from './uri';
import { parseVia } from './via';
import type { GrammarResult } from './grammar-result';

function value<T>(r: GrammarResult<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('parseUri', () => {
  it('parses user, password, host, port, parameters and headers of a SIP URI', () => {
    expect(
      value(
        parseUri('sips:alice:se%63ret@Example.COM:5061;transport=tls;lr?subject=hi%20there&x=1'),
      ),
    ).toEqual({
      scheme: 'sips',
      user: 'alice',
      password: 'secret',
      host: 'Example.COM',
      port: 5061,
      params: [
        { name: 'transport', value: 'tls' },
        { name: 'lr', value: null },
      ],
      headers: [
        { name: 'subject', value: 'hi there' },
        { name: 'x', value: '1' },
      ],
    });
  });

  it('reads IPv6 references and host-only URIs', () => {
    const u = value(parseUri('sip:[2001:db8::1]:5070')) as SipUri;
    expect([u.user, u.host, u.port]).toEqual([null, '[2001:db8::1]', 5070]);
  });

  it('unescapes the user part, keeping ";" and "?" that belong to it', () => {
    expect((value(parseUri('sip:user;par=u%40example.net@example.com')) as SipUri).user).toBe(
      'user;par=u@example.net',
    );
    expect((value(parseUri('sip:sips%3Auser%40example.com@example.net')) as SipUri).user).toBe(
      'sips:user@example.com',
    );
    expect((value(parseUri('sip:null-%00-null@example.com')) as SipUri).user).toBe(
      'null-\u0000-null',
    );
  });

  it('parses tel URIs with parameters', () => {
    expect(value(parseUri('tel:+1-201-555-0123;phone-context=example.com'))).toEqual({
      scheme: 'tel',
      number: '+1-201-555-0123',
      params: [{ name: 'phone-context', value: 'example.com' }],
    });
  });

  it('keeps other schemes opaque so that the caller can answer 416', () => {
    expect(value(parseUri('soap.beep://192.0.2.103:3002'))).toEqual({
      scheme: 'soap.beep',
      opaque: '//192.0.2.103:3002',
    });
  });

  it.each([
    ['empty', ''],
    ['no scheme', 'user@example.com'],
    ['space', 'sip:user@exa mple.com'],
    ['bad escape', 'sip:us%zzer@example.com'],
    ['truncated escape', 'sip:user%4@example.com'],
    ['port too big', 'sip:example.com:70000'],
    ['unterminated IPv6', 'sip:[2001:db8::1'],
    ['empty host', 'sip:user@'],
    ['header without value', 'sip:a@b?x'],
    ['angle brackets', '<sip:a@b>'],
  ])('refuses %s', (_name, input) => {
    expect(parseUri(input).ok).toBe(false);
  });
});

describe('parseNameAddr', () => {
  it('reads a quoted display name with escapes and header parameters', () => {
    expect(
      value(parseNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com> ;  tag = 98asjd8')),
    ).toMatchObject({
      displayName: 'J Rosenberg \\"',
      uri: { scheme: 'sip', user: 'jdrosen', host: 'example.com' },
      params: [{ name: 'tag', value: '98asjd8' }],
    });
  });

  it('reads token display names, even without LWS before "<"', () => {
    expect(value(parseNameAddr('caller<sip:caller@example.com>;tag=323')).displayName).toBe(
      'caller',
    );
    expect(value(parseNameAddr('A. Bell <sip:a@example.com>')).displayName).toBe('A. Bell');
  });

  it('gives parameters after an addr-spec to the header, not the URI', () => {
    const na = value(parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam'));
    expect((na.uri as SipUri).params).toEqual([]);
    expect(na.params).toEqual([{ name: 'unknownparam', value: null }]);
  });

  it.each([
    ['unterminated quote', '"Mr. J. User <sip:j.user@example.com>'],
    ['comma in token display name', 'Bell, Alexander <sip:a.g.bell@example.com>'],
    ['spaces inside <>', '"Watson" < sip:t.watson@example.org >'],
    ['"?" in addr-spec', 'sip:user@example.com?Route=%3Csip:sip.example.com%3E'],
    ['missing ">"', '<sip:a@b'],
    ['two addresses', '<sip:a@b>, <sip:c@d>'],
  ])('refuses %s', (_name, input) => {
    expect(parseNameAddr(input).ok).toBe(false);
  });

  it('parses lists of addresses', () => {
    expect(
      value(parseNameAddrList('<sip:p1.example.com;lr>, <sip:p2.example.com;lr>')).length,
    ).toBe(2);
  });
});

describe('parseParameterList', () => {
  it('parses quoted, bare and valueless parameters with SWS', () => {
    expect(
      value(parseParameterList(' ; tag = abc ;Expires=60; lr ;x="a;b,c"; maddr=[::1]')),
    ).toEqual([
      { name: 'tag', value: 'abc' },
      { name: 'expires', value: '60' },
      { name: 'lr', value: null },
      { name: 'x', value: 'a;b,c' },
      { name: 'maddr', value: '[::1]' },
    ]);
  });

  it.each([';', ';=x', ';a=', ';a="x', ';a=b,c', 'junk'])('refuses %p', (input) => {
    expect(parseParameterList(input).ok).toBe(false);
  });
});

describe('parseVia', () => {
  it('parses protocol, sent-by, branch, received, rport, maddr and ttl', () => {
    expect(
      value(
        parseVia(
          'SIP/2.0/udp 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.7;rport=5062;maddr=224.0.1.75;ttl=16',
        ),
      ),
    ).toEqual([
      {
        protocol: 'SIP',
        version: '2.0',
        transport: 'UDP',
        host: '192.0.2.1',
        port: 5060,
        branch: 'z9hG4bK1',
        received: '198.51.100.7',
        rport: 5062,
        maddr: '224.0.1.75',
        ttl: 16,
        params: expect.any(Array),
      },
    ]);
  });

  it('reads a bare rport, LWS around "/" and ":" and several via-parms', () => {
    const v = value(
      parseVia(
        'SIP  / 2.0  / TCP     spindle.example.com : 5070  ;  branch  =   z9hG4bK9ikj8  ;rport , SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK2',
      ),
    );
    expect(v.map((x) => [x.transport, x.host, x.port, x.branch, x.rport])).toEqual([
      ['TCP', 'spindle.example.com', 5070, 'z9hG4bK9ikj8', true],
      ['UDP', '[2001:db8::9]', null, 'z9hG4bK2', null],
    ]);
  });

  it.each([
    ['stray separators', 'SIP/2.0/UDP 192.0.2.15;;,;,,'],
    ['no sent-by', 'SIP/2.0/UDP'],
    ['no transport', 'SIP/2.0 host'],
    ['ttl out of range', 'SIP/2.0/UDP h;ttl=300'],
    ['bad rport', 'SIP/2.0/UDP h;rport=x'],
    ['trailing comma', 'SIP/2.0/UDP h;branch=z9hG4bK1,'],
  ])('refuses %s', (_name, input) => {
    expect(parseVia(input).ok).toBe(false);
  });
});

describe('scalar headers', () => {
  it('parses CSeq with LWS and leading zeros, and bounds it below 2**31', () => {
    expect(value(parseCSeq('0009  INVITE'))).toEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq('2147483648 INVITE').ok).toBe(false);
    expect(parseCSeq('36893488147419103232 REGISTER').ok).toBe(false);
    expect(parseCSeq('1').ok).toBe(false);
    expect(parseCSeq('x INVITE').ok).toBe(false);
  });

  it('bounds Max-Forwards to 0..255', () => {
    expect(value(parseMaxForwards(' 0068 '))).toBe(68);
    expect(parseMaxForwards('300').ok).toBe(false);
    expect(parseMaxForwards('-1').ok).toBe(false);
  });

  it('parses Content-Length, refusing negative and huge values', () => {
    expect(value(parseContentLength('150'))).toBe(150);
    expect(parseContentLength('-999').ok).toBe(false);
    expect(parseContentLength('99999999999999999999').ok).toBe(false);
    expect(parseContentLength('').ok).toBe(false);
  });

  it('clamps Expires to 2**32-1', () => {
    expect(value(parseExpires('3600'))).toBe(3600);
    expect(value(parseExpires('1' + '0'.repeat(100)))).toBe(2 ** 32 - 1);
    expect(parseExpires('soon').ok).toBe(false);
  });

  it('validates Call-ID and Date', () => {
    expect(value(parseCallId(' a84b4c76e66710@pc33.atlanta.com '))).toBe(
      'a84b4c76e66710@pc33.atlanta.com',
    );
    expect(parseCallId('a@b@c').ok).toBe(false);
    expect(parseCallId('has space').ok).toBe(false);
    expect(value(parseSipDate('Sat, 13 Nov 2010 23:29:00 GMT')).toISOString()).toBe(
      '2010-11-13T23:29:00.000Z',
    );
    expect(parseSipDate('Fri, 01 Jan 2010 16:00:00 EST').ok).toBe(false);
  });
});

describe('parseContact', () => {
  it('reads the wildcard', () => {
    expect(value(parseContact(' * '))).toEqual({ wildcard: true });
  });

  it('reads a list with expires and q', () => {
    const c = value(
      parseContact(
        '"Mr. Watson" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600, <mailto:watson@bell-telephone.com> ;q=0.1, sip:x@y',
      ),
    );
    expect(c.wildcard).toBe(false);
    if (c.wildcard) return;
    expect(c.contacts.map((x) => [x.displayName, x.q, x.expires])).toEqual([
      ['Mr. Watson', 700, 3600],
      [null, 100, null],
      [null, null, null],
    ]);
  });

  it('clamps huge expires and refuses bad q', () => {
    const c = value(parseContact('<sip:a@b>;expires=280297596632815'));
    expect(!c.wildcard && c.contacts[0].expires).toBe(2 ** 32 - 1);
    expect(parseContact('<sip:a@b>;q=1.5').ok).toBe(false);
    expect(parseContact('<sip:a@b>;q').ok).toBe(false);
  });

  it('reads q values', () => {
    expect([
      parseQValue('1'),
      parseQValue('1.000'),
      parseQValue('0.33'),
      parseQValue('0.'),
      parseQValue('2'),
    ]).toEqual([1000, 1000, 330, 0, -1]);
  });
});

describe('splitHeaderValues', () => {
  it('never splits inside quotes or angle brackets', () => {
    expect(splitHeaderValues('"a, b" <sip:x@y;p=1,2>;q=1 , <sip:z@w>,,')).toEqual([
      '"a, b" <sip:x@y;p=1,2>;q=1',
      '<sip:z@w>',
    ]);
  });
});
