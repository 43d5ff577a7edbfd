import { createHmac } from 'node:crypto';
import { DigestAuthError, DigestAuthErrorCode } from './digest-auth.error';
import { HmacNonceService } from './nonce';

const T0 = Date.UTC(2025, 0, 1, 12);
const REALM = 'acme.pbx.example';
const SECRET_A = Buffer.alloc(32, 'a');
const SECRET_B = Buffer.alloc(32, 'b');
const SECRET_C = Buffer.alloc(32, 'c');

function fakeClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

function aService(
  clock = fakeClock(),
  secrets: { current: Buffer; previous?: Buffer } = { current: SECRET_A },
) {
  return new HmacNonceService({ secrets, now: clock.now });
}

describe(HmacNonceService.name, () => {
  it('verifies its own nonce without storage and reports when it was issued', () => {
    const clock = fakeClock();
    const nonce = aService(clock).issue(REALM);
    clock.advance(1_000);
    // A second instance with the same secret: nothing is shared but the secret.
    expect(aService(clock).verify(nonce, REALM)).toEqual({
      status: 'valid',
      issuedAt: T0,
      expiresAt: T0 + 300_000,
    });
  });

  it('issues distinct, URL-safe nonces', () => {
    const service = aService();
    const nonces = new Set(Array.from({ length: 100 }, () => service.issue(REALM)));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{75}$/);
  });

  it('expires a nonce after the default lifetime of 300 s', () => {
    const clock = fakeClock();
    const service = aService(clock);
    const nonce = service.issue(REALM);
    clock.advance(299_999);
    expect(service.verify(nonce, REALM).status).toBe('valid');
    clock.advance(1);
    expect(service.verify(nonce, REALM)).toEqual({ status: 'expired', issuedAt: T0 });
  });

  it('honours a configured lifetime', () => {
    const clock = fakeClock();
    const service = new HmacNonceService({
      secrets: { current: SECRET_A },
      now: clock.now,
      lifetimeMs: 30_000,
    });
    const nonce = service.issue(REALM);
    expect(service.verify(nonce, REALM, T0 + 30_000).status).toBe('expired');
  });

  it('refuses a nonce issued for another realm', () => {
    const service = aService();
    expect(service.verify(service.issue(REALM), 'other.pbx.example')).toEqual({
      status: 'invalid',
    });
  });

  it('refuses a nonce signed with an unknown secret', () => {
    const nonce = aService(fakeClock(), { current: SECRET_B }).issue(REALM);
    expect(aService().verify(nonce, REALM).status).toBe('invalid');
  });

  it('refuses every single-character change to a nonce', () => {
    const service = aService();
    const nonce = service.issue(REALM);
    for (let i = 0; i < nonce.length; i += 1) {
      const replacement = nonce[i] === 'A' ? 'B' : 'A';
      const tampered = nonce.slice(0, i) + replacement + nonce.slice(i + 1);
      expect(service.verify(tampered, REALM).status).toBe('invalid');
    }
  });

  it('signs with HMAC-SHA256 over timestamp, random bytes and realm, for any secret and realm', () => {
    // The format other instances (and older builds) verify: base64url(head || HMAC(head || realm)).
    const random = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const realms = [REALM, 'x', 'ünïcødé.example', `${'long.'.repeat(60)}example`, 'é'.repeat(300)];
    for (const size of [32, 63, 64, 65, 200]) {
      const secret = Buffer.alloc(size, size);
      const service = new HmacNonceService({
        secrets: { current: secret },
        now: () => T0,
        random: () => Buffer.from(random),
      });
      for (const realm of realms) {
        const nonce = service.issue(realm);
        const head = Buffer.from(nonce, 'base64url').subarray(0, 24);
        expect(head.readUInt32BE(0) * 2 ** 32 + head.readUInt32BE(4)).toBe(T0);
        expect(head.subarray(8)).toEqual(random);
        const mac = createHmac('sha256', secret).update(head).update(realm, 'utf8').digest();
        expect(nonce).toBe(Buffer.concat([head, mac]).toString('base64url'));
        expect(service.verify(nonce, realm)).toMatchObject({ status: 'valid' });
        for (const other of realms.filter((r) => r !== realm)) {
          expect(service.verify(nonce, other)).toEqual({ status: 'invalid' });
        }
      }
    }
  });

  it('refuses a non-canonical spelling of a valid nonce, so that nc histories cannot fork', () => {
    const service = aService(fakeClock(), { current: SECRET_A });
    const nonce = service.issue(REALM);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(nonce[nonce.length - 1]);
    // The last character holds 2 data bits and 4 spare ones; flipping a spare bit decodes the same.
    const alias = nonce.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(alias, 'base64url')).toEqual(Buffer.from(nonce, 'base64url'));
    expect(service.verify(alias, REALM).status).toBe('invalid');
  });

  it('refuses garbage without throwing', () => {
    const service = aService();
    for (const junk of [
      '',
      'x',
      '!'.repeat(75),
      'A'.repeat(75),
      'A'.repeat(76),
      '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    ]) {
      expect(service.verify(junk, REALM)).toEqual({ status: 'invalid' });
    }
  });

  it('refuses a nonce from further in the future than the allowed clock skew', () => {
    const clock = fakeClock();
    const nonce = aService(clock).issue(REALM);
    expect(aService().verify(nonce, REALM, T0 - 5_000).status).toBe('valid');
    expect(aService().verify(nonce, REALM, T0 - 5_001).status).toBe('invalid');
  });

  it('accepts nonces of the previous secret after a rotation, but not of the one before', () => {
    const clock = fakeClock();
    const service = aService(clock);
    const underA = service.issue(REALM);
    service.rotate(SECRET_B);
    const underB = service.issue(REALM);
    expect(service.verify(underA, REALM).status).toBe('valid');
    expect(service.verify(underB, REALM).status).toBe('valid');
    service.rotate(SECRET_C);
    expect(service.verify(underA, REALM).status).toBe('invalid');
    expect(service.verify(underB, REALM).status).toBe('valid');
  });

  it('accepts a configured previous secret', () => {
    const nonce = aService(fakeClock(), { current: SECRET_B }).issue(REALM);
    const rotated = aService(fakeClock(), { current: SECRET_C, previous: SECRET_B });
    expect(rotated.verify(nonce, REALM).status).toBe('valid');
  });

  it('refuses short secrets and bad lifetimes at construction', () => {
    expect(() => aService(fakeClock(), { current: Buffer.alloc(16) })).toThrow(
      expect.objectContaining({ code: DigestAuthErrorCode.InvalidNonceSecret }),
    );
    expect(() => aService().rotate(Buffer.alloc(31))).toThrow(DigestAuthError);
    expect(
      () => new HmacNonceService({ secrets: { current: SECRET_A }, now: Date.now, lifetimeMs: 0 }),
    ).toThrow(expect.objectContaining({ code: DigestAuthErrorCode.InvalidLifetime }));
  });
});
