import { computeHa1, digestHash } from './digest-algorithm';
import { parseDigestCredentials } from './digest-credentials';
import { answerDigestChallenge, parseDigestChallenge, pickDigestChallenge } from './digest-client';

describe(parseDigestChallenge.name, () => {
  it('reads realm, nonce, algorithm, qop, opaque and stale', () => {
    expect(
      parseDigestChallenge(
        'Digest realm="carrier.example", nonce="abc\\"d", algorithm=SHA-256, qop="auth,auth-int", opaque="o1", stale=TRUE',
      ),
    ).toEqual({
      realm: 'carrier.example',
      nonce: 'abc"d',
      algorithm: 'SHA-256',
      opaque: 'o1',
      qopAuth: true,
      stale: true,
    });
  });

  it('defaults to MD5 without qop and refuses what it cannot answer', () => {
    expect(parseDigestChallenge('Digest realm="r", nonce="n"')).toMatchObject({
      algorithm: 'MD5',
      qopAuth: false,
    });
    expect(parseDigestChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r", nonce="n", algorithm=MD5-sess')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="r", nonce="n", ,,')).toBeUndefined();
    expect(parseDigestChallenge(`Digest realm="${'x'.repeat(5000)}", nonce="n"`)).toBeUndefined();
  });

  it('picks SHA-256 over MD5', () => {
    expect(
      pickDigestChallenge([
        'Digest realm="r", nonce="1"',
        'Digest realm="r", nonce="2", algorithm=SHA-256',
      ])?.nonce,
    ).toBe('2');
  });
});

describe(answerDigestChallenge.name, () => {
  it('computes a response the server-side verifier formula accepts (qop=auth)', () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n1", qop="auth"');
    if (!challenge) throw new Error('fixture');
    const value = answerDigestChallenge({
      challenge,
      method: 'INVITE',
      uri: 'sip:+31201234567@carrier.example',
      username: 'trunk1',
      password: 'pw',
      nonceCount: 1,
      cnonce: 'c1',
    });
    const parsed = parseDigestCredentials(value);
    if (!parsed.ok) throw new Error('unparsable');
    const ha1 = computeHa1('MD5', 'trunk1', 'r', 'pw');
    const ha2 = digestHash('MD5', 'INVITE:sip:+31201234567@carrier.example');
    expect(parsed.value.response).toBe(digestHash('MD5', `${ha1}:n1:00000001:c1:auth:${ha2}`));
    expect(parsed.value.nc).toBe('00000001');
  });

  it('answers without qop by RFC 2617 compatibility', () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n1", algorithm=SHA-256');
    if (!challenge) throw new Error('fixture');
    const value = answerDigestChallenge({
      challenge,
      method: 'REGISTER',
      uri: 'sip:carrier.example',
      username: 'u',
      password: 'p',
      nonceCount: 1,
    });
    const ha1 = computeHa1('SHA-256', 'u', 'r', 'p');
    const ha2 = digestHash('SHA-256', 'REGISTER:sip:carrier.example');
    expect(value).toContain(`response="${digestHash('SHA-256', `${ha1}:n1:${ha2}`)}"`);
    expect(value).not.toContain('qop=');
  });
});
