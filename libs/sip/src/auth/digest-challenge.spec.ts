import {
  buildDigestChallenge,
  buildDigestChallenges,
  challengeHeaderFor,
} from './digest-challenge';
import { parseDigestAlgorithm } from './digest-algorithm';

describe(buildDigestChallenges.name, () => {
  const params = { realm: 'acme.pbx.example', nonce: 'abc_-123', opaque: 'op' };

  it('offers SHA-256 first and MD5 second, with the same nonce (RFC 8760)', () => {
    expect(buildDigestChallenges(params)).toEqual([
      'Digest realm="acme.pbx.example", nonce="abc_-123", opaque="op", algorithm=SHA-256, qop="auth"',
      'Digest realm="acme.pbx.example", nonce="abc_-123", opaque="op", algorithm=MD5, qop="auth"',
    ]);
  });

  it('adds stale=true when the nonce expired', () => {
    expect(buildDigestChallenge({ ...params, stale: true }, 'MD5')).toMatch(/, stale=true$/);
  });

  it('leaves out opaque when there is none, and stale when false', () => {
    expect(buildDigestChallenge({ realm: 'r', nonce: 'n', stale: false }, 'SHA-256')).toBe(
      'Digest realm="r", nonce="n", algorithm=SHA-256, qop="auth"',
    );
  });

  it('escapes double quotes and backslashes in quoted strings', () => {
    expect(buildDigestChallenge({ realm: 'a"b\\c', nonce: 'n' }, 'MD5')).toContain(
      'realm="a\\"b\\\\c"',
    );
  });
});

describe(challengeHeaderFor.name, () => {
  it('answers 401 WWW-Authenticate for a registrar and 407 Proxy-Authenticate for a proxy', () => {
    expect(challengeHeaderFor('user-agent')).toEqual({ status: 401, name: 'WWW-Authenticate' });
    expect(challengeHeaderFor('proxy')).toEqual({ status: 407, name: 'Proxy-Authenticate' });
  });
});

describe(parseDigestAlgorithm.name, () => {
  it('reads algorithm tokens case-insensitively, absent meaning MD5, and refuses -sess', () => {
    expect(parseDigestAlgorithm(undefined)).toBe('MD5');
    expect(parseDigestAlgorithm('md5')).toBe('MD5');
    expect(parseDigestAlgorithm('sha-256')).toBe('SHA-256');
    expect(parseDigestAlgorithm('MD5-sess')).toBeUndefined();
    expect(parseDigestAlgorithm('SHA-256-sess')).toBeUndefined();
    expect(parseDigestAlgorithm('SHA-512-256')).toBeUndefined();
  });
});
