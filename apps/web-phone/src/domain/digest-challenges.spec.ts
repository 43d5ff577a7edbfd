import { keepMd5Challenges } from './digest-challenges';

const response = (status: string, challenges: readonly string[], body = ''): string =>
  [
    `SIP/2.0 ${status}`,
    'Via: SIP/2.0/WSS abc.invalid;branch=z9hG4bK1',
    'From: <sip:alice@acme.example>;tag=1',
    'To: <sip:alice@acme.example>;tag=2',
    'Call-ID: c1',
    'CSeq: 1 REGISTER',
    ...challenges,
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n');

const SHA =
  'WWW-Authenticate: Digest realm="acme.example", nonce="n1", algorithm=SHA-256, qop="auth"';
const MD5 = 'WWW-Authenticate: Digest realm="acme.example", nonce="n2", algorithm=MD5, qop="auth"';

describe(keepMd5Challenges.name, () => {
  it('keeps only the MD5 challenge of a 401, in either order', () => {
    const md5Only = response('401 Unauthorized', [MD5]);
    expect(keepMd5Challenges(response('401 Unauthorized', [SHA, MD5]))).toBe(md5Only);
    expect(keepMd5Challenges(response('401 Unauthorized', [MD5, SHA]))).toBe(md5Only);
  });

  it('does the same for Proxy-Authenticate in a 407, folded lines and no algorithm (MD5) included', () => {
    const sha =
      'Proxy-Authenticate: Digest realm="acme.example",\r\n nonce="n1", algorithm="SHA-256"';
    const md5 = 'proxy-authenticate: Digest realm="acme.example", nonce="n2"';
    expect(keepMd5Challenges(response('407 Proxy Authentication Required', [sha, md5]))).toBe(
      response('407 Proxy Authentication Required', [md5]),
    );
  });

  it('leaves a response alone when it offers no MD5 or nothing else', () => {
    for (const challenges of [[SHA], [MD5], [MD5, MD5.replace('n2', 'n3')]]) {
      const message = response('401 Unauthorized', challenges);
      expect(keepMd5Challenges(message)).toBe(message);
    }
  });

  it('never touches other messages or bodies', () => {
    const ok = response('200 OK', [SHA, MD5]);
    expect(keepMd5Challenges(ok)).toBe(ok);
    const invite = `INVITE sip:a@b SIP/2.0\r\n${SHA}\r\n${MD5}\r\n\r\n`;
    expect(keepMd5Challenges(invite)).toBe(invite);
    const withBody = response('401 Unauthorized', [SHA, MD5], `${SHA}\r\n`);
    expect(keepMd5Challenges(withBody).endsWith(`\r\n\r\n${SHA}\r\n`)).toBe(true);
  });
});
