import {
  buildRequest,
  quoteDisplayName,
  RequestBuildErrorCode,
  type BuildRequestOptions,
} from './build-request';
import { parseMessage } from './parse-message';
import { serializeMessage } from './serialize-message';
import { SipHeaders } from './sip-message';

const base: BuildRequestOptions = {
  method: 'INVITE',
  requestUri: 'sip:300@203.0.113.5',
  from: { uri: 'sip:100@pbx.example', displayName: 'Alice', tag: 'a1' },
  to: { uri: 'sip:300@203.0.113.5' },
  callId: 'c1',
  cseq: 1,
};

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
  return undefined;
}

describe(buildRequest.name, () => {
  it('builds an out-of-dialog request without a Via', () => {
    const r = buildRequest({
      ...base,
      contact: 'sip:pbx@192.0.2.1:5060',
      headers: [['Allow', 'INVITE, ACK, BYE']],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    expect(r.method).toBe('INVITE');
    expect(r.requestUri).toBe('sip:300@203.0.113.5');
    expect(r.headers.fields.map((f) => f.name)).toEqual([
      'Max-Forwards',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Contact',
      'Allow',
      'Content-Type',
    ]);
    expect(r.headers.get('From')).toBe('"Alice" <sip:100@pbx.example>;tag=a1');
    expect(r.headers.get('To')).toBe('<sip:300@203.0.113.5>');
    expect(r.headers.get('CSeq')).toBe('1 INVITE');
    expect(r.headers.get('Contact')).toBe('<sip:pbx@192.0.2.1:5060>');
    expect(r.body.toString()).toBe('v=0\r\n');
    // Round trip once a Via is on it, as the transaction layer adds one.
    const wire = new SipHeaders([
      { name: 'Via', key: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
      ...r.headers.fields,
    ]);
    const parsed = parseMessage(serializeMessage({ ...r, headers: wire }));
    expect(parsed.kind).toBe('message');
    if (parsed.kind === 'message') expect(parsed.from.displayName).toBe('Alice');
  });

  it('generates a Call-ID when none is given', () => {
    const a = buildRequest({ ...base, callId: undefined });
    const b = buildRequest({ ...base, callId: undefined });
    expect(a.headers.get('Call-ID')).toMatch(/^[0-9a-f]{32}$/);
    expect(a.headers.get('Call-ID')).not.toBe(b.headers.get('Call-ID'));
  });

  it('quotes display names, escaping " and \\', () => {
    expect(quoteDisplayName('A "B" \\C')).toBe('"A \\"B\\" \\\\C"');
    const r = buildRequest({ ...base, to: { uri: 'sip:x@y', displayName: 'Bob "the" \\' } });
    expect(r.headers.get('To')).toBe('"Bob \\"the\\" \\\\" <sip:x@y>');
    const wire = new SipHeaders([
      { name: 'Via', key: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1' },
      ...r.headers.fields,
    ]);
    const parsed = parseMessage(serializeMessage({ ...r, headers: wire }));
    expect(parsed.kind === 'message' && parsed.to.displayName).toBe('Bob "the" \\');
  });

  it('accepts a ready name-addr value', () => {
    const r = buildRequest({
      ...base,
      from: { value: '"Reception" <sip:100@pbx.example>', tag: 'a2' },
      to: { value: 'sip:300@203.0.113.5' },
    });
    expect(r.headers.get('From')).toBe('"Reception" <sip:100@pbx.example>;tag=a2');
    expect(r.headers.get('To')).toBe('sip:300@203.0.113.5');
  });

  it('refuses bad input with a coded error', () => {
    const C = RequestBuildErrorCode;
    expect(codeOf(() => buildRequest({ ...base, method: 'IN VITE' }))).toBe(C.InvalidMethod);
    expect(codeOf(() => buildRequest({ ...base, requestUri: 'not a uri' }))).toBe(C.InvalidUri);
    expect(codeOf(() => buildRequest({ ...base, requestUri: 'sip:a@b\r\nX: y' }))).toBe(
      C.InvalidUri,
    );
    expect(
      codeOf(() =>
        buildRequest({ ...base, from: { uri: 'sip:a@b', displayName: 'x\r\nVia: y', tag: 't' } }),
      ),
    ).toBe(C.InvalidDisplayName);
    expect(codeOf(() => buildRequest({ ...base, to: { value: '<sip:broken' } }))).toBe(
      C.InvalidAddress,
    );
    expect(codeOf(() => buildRequest({ ...base, from: { uri: 'sip:a@b', tag: '' } }))).toBe(
      C.InvalidTag,
    );
    expect(codeOf(() => buildRequest({ ...base, cseq: 2 ** 31 }))).toBe(C.InvalidCSeq);
    expect(codeOf(() => buildRequest({ ...base, cseq: 1.5 }))).toBe(C.InvalidCSeq);
    expect(codeOf(() => buildRequest({ ...base, headers: [['Bad Name', 'x']] }))).toBe(
      C.InvalidHeader,
    );
    expect(codeOf(() => buildRequest({ ...base, headers: [['X-A', 'a\nb']] }))).toBe(
      C.InvalidHeader,
    );
    expect(codeOf(() => buildRequest({ ...base, callId: 'a b' }))).toBe(C.InvalidHeader);
    expect(codeOf(() => buildRequest({ ...base, body: 'v=0' }))).toBe(C.MissingContentType);
  });
});
