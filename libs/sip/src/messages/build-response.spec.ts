import { buildResponse, reasonPhrase } from './build-response';
import { parseMessage } from './parse-message';
import type { SipRequest } from './sip-message';

const raw = [
  'REGISTER sip:acme.example SIP/2.0',
  'Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1',
  'Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK2',
  'From: <sip:alice@acme.example>;tag=a1',
  'To: <sip:alice@acme.example>',
  'Call-ID: c1@10.0.0.1',
  'CSeq: 7 REGISTER',
  'Max-Forwards: 70',
  'Contact: <sip:alice@10.0.0.1>',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function request(): SipRequest {
  const parsed = parseMessage(Buffer.from(raw));
  if (parsed.kind !== 'message' || parsed.message.kind !== 'request') throw new Error('fixture');
  return parsed.message;
}

describe(buildResponse.name, () => {
  it('copies Via, From, To, Call-ID and CSeq and tags To', () => {
    const res = buildResponse(request(), 200, { toTag: 't9', headers: [['Expires', '60']] });
    expect(res.reason).toBe('OK');
    expect(res.headers.getAll('Via')).toHaveLength(2);
    expect(res.headers.get('To')).toBe('<sip:alice@acme.example>;tag=t9');
    expect(res.headers.get('CSeq')).toBe('7 REGISTER');
    expect(res.headers.get('Contact')).toBeUndefined();
    expect(res.headers.get('Expires')).toBe('60');
  });

  it('keeps an existing To tag and never tags a 100', () => {
    const req = request();
    req.headers.set('To', '<sip:alice@acme.example>;tag=x');
    expect(buildResponse(req, 486).headers.get('To')).toBe('<sip:alice@acme.example>;tag=x');
    expect(buildResponse(request(), 100).headers.get('To')).toBe('<sip:alice@acme.example>');
  });

  it('names the standard reasons', () => {
    expect(reasonPhrase(423)).toBe('Interval Too Brief');
    expect(reasonPhrase(499)).toBe('Error');
  });
});
