import { parseMessage } from '../messages/parse-message';
import { serializeMessage } from '../messages/serialize-message';
import { buildSalvagedResponse, salvageRequestHeaders } from './salvage-request';

function raw(lines: readonly string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`);
}

const HEADERS = [
  'Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK1;rport',
  'v: SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK0',
  'f: <sip:alice@example.com>;tag=abc',
  't: <sip:bob@example.com>',
  'i: call-1@host',
  'CSeq: 7 INVITE',
];

describe(salvageRequestHeaders.name, () => {
  it('extracts long and compact forms from a request with a broken start line and header', () => {
    const s = salvageRequestHeaders(
      raw(['INVITE sip:bob@example.com SIP/7.0', ...HEADERS, 'Max-Forwards: lots', 'garbage']),
    );
    expect(s).toEqual({
      vias: [
        'SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK1;rport',
        'SIP/2.0/UDP 192.0.2.99;branch=z9hG4bK0',
      ],
      from: '<sip:alice@example.com>;tag=abc',
      to: '<sip:bob@example.com>',
      callId: 'call-1@host',
      cseq: '7 INVITE',
    });
  });

  it('unfolds continuation lines and tolerates a missing empty line', () => {
    const s = salvageRequestHeaders(
      Buffer.from(
        [
          'FOO sip:x SIP/2.0',
          ...HEADERS.slice(0, 4),
          'Call-ID:',
          '  folded-id',
          'CSeq: 1 FOO',
        ].join('\n'),
      ),
    );
    expect(s?.callId).toBe('folded-id');
    expect(s?.cseq).toBe('1 FOO');
  });

  it('stops at the end of the head', () => {
    const data = Buffer.concat([
      raw(['OPTIONS sip:x SIP/2.0', ...HEADERS.filter((h) => !h.startsWith('CSeq'))]),
      Buffer.from('CSeq: 1 OPTIONS\r\n'),
    ]);
    expect(salvageRequestHeaders(data)).toBeNull();
  });

  it('refuses responses, ACKs, garbage and messages missing a needed header', () => {
    expect(salvageRequestHeaders(raw(['SIP/2.0 200 OK', ...HEADERS]))).toBeNull();
    expect(salvageRequestHeaders(raw(['ACK sip:x SIP/2.0', ...HEADERS]))).toBeNull();
    expect(
      salvageRequestHeaders(raw(['BYE sip:x SIP/2.0', ...HEADERS.slice(0, 5), 'CSeq: 7 ACK'])),
    ).toBeNull();
    expect(
      salvageRequestHeaders(raw(['INVITE sip:x SIP/2.0', ...HEADERS.slice(1)])),
    ).not.toBeNull();
    expect(salvageRequestHeaders(raw(['INVITE sip:x SIP/2.0', ...HEADERS.slice(2)]))).toBeNull();
    expect(salvageRequestHeaders(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]))).toBeNull();
    expect(salvageRequestHeaders(Buffer.from('\r\n\r\n'))).toBeNull();
    expect(salvageRequestHeaders(Buffer.alloc(0))).toBeNull();
  });

  it('skips values holding control characters', () => {
    const s = salvageRequestHeaders(
      raw(['INVITE sip:x SIP/2.0', ...HEADERS.slice(0, 4), 'i: bad\u0000id', 'CSeq: 7 INVITE']),
    );
    expect(s).toBeNull();
  });
});

describe(buildSalvagedResponse.name, () => {
  it('builds a response that parses, with a To tag and a one-line reason', () => {
    const s = salvageRequestHeaders(raw(['INVITE sip:x SIP/7.0', ...HEADERS]));
    if (s === null) throw new Error('not salvaged');
    const response = buildSalvagedResponse(s, 505, 'Version Not Supported (SIP/7.0)\r\nX: y');
    const r = parseMessage(serializeMessage(response));
    if (r.kind !== 'message' || r.message.kind !== 'response') throw new Error('unparsable');
    expect(r.message.status).toBe(505);
    expect(r.message.reason).toBe('Version Not Supported (SIP/7.0)  X: y');
    expect(r.via.map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK0']);
    expect(r.to.params.some((p) => p.name === 'tag')).toBe(true);
    expect(r.callId).toBe('call-1@host');
  });

  it('keeps an existing To tag', () => {
    const s = salvageRequestHeaders(
      raw([
        'BYE sip:x SIP/2.0',
        ...HEADERS.slice(0, 3),
        't: <sip:bob@example.com>;tag=xyz',
        'i: c',
        'CSeq: 2 BYE',
      ]),
    );
    if (s === null) throw new Error('not salvaged');
    expect(buildSalvagedResponse(s, 400, 'Bad Request').headers.get('To')).toBe(
      '<sip:bob@example.com>;tag=xyz',
    );
  });
});
