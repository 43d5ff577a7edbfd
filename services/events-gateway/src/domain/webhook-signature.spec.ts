import {
  formatSecret,
  signatureOf,
  signedHeaders,
  verifySignature,
  WEBHOOK_HEADERS,
} from './webhook-signature';

// The test vector of the Standard Webhooks reference libraries.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs id, timestamp and body as the reference libraries do', () => {
    expect(signatureOf(SECRET, ID, TIMESTAMP, BODY)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('puts one signature per secret in the header, so a rotated secret keeps verifying', () => {
    const other = formatSecret(new Uint8Array(32).fill(7));
    const headers = signedHeaders([other, SECRET], ID, TIMESTAMP, BODY);
    expect(headers[WEBHOOK_HEADERS.signature].split(' ')).toHaveLength(2);
    expect(verifySignature(SECRET, headers, BODY, TIMESTAMP)).toBeUndefined();
    expect(verifySignature(other, headers, BODY, TIMESTAMP)).toBeUndefined();
  });

  it('rejects a changed body, another secret and a missing header', () => {
    const headers = signedHeaders([SECRET], ID, TIMESTAMP, BODY);
    expect(verifySignature(SECRET, headers, BODY.replace('2', '3'), TIMESTAMP)).toBe(
      'bad-signature',
    );
    expect(verifySignature(formatSecret(new Uint8Array(24)), headers, BODY, TIMESTAMP)).toBe(
      'bad-signature',
    );
    expect(
      verifySignature(SECRET, { ...headers, [WEBHOOK_HEADERS.id]: undefined }, BODY, TIMESTAMP),
    ).toBe('missing-headers');
  });

  it('rejects a timestamp outside the five-minute replay window, either way', () => {
    const headers = signedHeaders([SECRET], ID, TIMESTAMP, BODY);
    expect(verifySignature(SECRET, headers, BODY, TIMESTAMP + 300)).toBeUndefined();
    expect(verifySignature(SECRET, headers, BODY, TIMESTAMP + 301)).toBe('stale-timestamp');
    expect(verifySignature(SECRET, headers, BODY, TIMESTAMP - 301)).toBe('stale-timestamp');
  });

  it('formats secrets with the whsec_ prefix from 24-64 random bytes', () => {
    expect(formatSecret(new Uint8Array(32))).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => formatSecret(new Uint8Array(8))).toThrow(RangeError);
  });
});
