import { computeHa1, digestHash, type DigestAlgorithm } from './digest-algorithm';
import { parseDigestCredentials, type DigestCredentials } from './digest-credentials';
import { verifyDigest, type VerifyDigestInput } from './digest-verifier';
import { HmacNonceService, type NonceCheck, type NonceVerifier } from './nonce';
import { InMemoryNonceCountTracker } from './nonce-count-tracker';

const T0 = Date.UTC(2025, 0, 1, 12);

function parsed(value: string): DigestCredentials {
  const result = parseDigestCredentials(value);
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Accepts exactly one nonce: the RFC example nonces are not ours. */
function acceptingOnly(nonce: string, check: NonceCheck): NonceVerifier {
  return { verify: (given) => (given === nonce ? check : { status: 'invalid' }) };
}

describe(`${verifyDigest.name} with the RFC 7616 section 3.9.1 example`, () => {
  const realm = 'http-auth@example.org';
  const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
  const ha1 = {
    md5: computeHa1('MD5', 'Mufasa', realm, 'Circle of Life'),
    sha256: computeHa1('SHA-256', 'Mufasa', realm, 'Circle of Life'),
  };

  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ])('accepts the %s response %s', async (algorithm, response) => {
    const credentials = parsed(
      `Digest username="Mufasa", realm="${realm}", uri="/dir/index.html", algorithm=${algorithm}, ` +
        `nonce="${nonce}", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", ` +
        `qop=auth, response="${response}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
    );
    expect(
      await verifyDigest({
        method: 'GET',
        credentials,
        ha1,
        realm,
        nonceService: acceptingOnly(nonce, {
          status: 'valid',
          issuedAt: T0,
          expiresAt: T0 + 300_000,
        }),
        ncTracker: new InMemoryNonceCountTracker(),
        now: T0,
      }),
    ).toEqual({ ok: true, username: 'Mufasa' });
  });
});

// SIP examples: a phone registering with the group's registrar, nonces from our own service.
const REALM = 'acme.pbx.example';
const USER = '1001';
const PASSWORD = 's3cret-Phone';
const REGISTRAR_URI = 'sip:acme.pbx.example';
const HA1 = {
  md5: computeHa1('MD5', USER, REALM, PASSWORD),
  sha256: computeHa1('SHA-256', USER, REALM, PASSWORD),
};

interface ClientAnswer {
  readonly nonce: string;
  readonly algorithm?: DigestAlgorithm | string;
  readonly nc?: number;
  readonly password?: string;
  readonly realm?: string;
  readonly method?: string;
  readonly qop?: 'auth' | 'auth-int' | null;
  readonly extra?: string;
}

/** What a phone sends after a challenge: a builder so each test states only what differs. */
function anAuthorization(answer: ClientAnswer): DigestCredentials {
  const algorithm = answer.algorithm ?? 'SHA-256';
  const hashAlgorithm: DigestAlgorithm = algorithm.toUpperCase().startsWith('MD5')
    ? 'MD5'
    : 'SHA-256';
  const realm = answer.realm ?? REALM;
  const cnonce = '0a4f113b';
  const nc = (answer.nc ?? 1).toString(16).padStart(8, '0');
  const qop = answer.qop === undefined ? 'auth' : answer.qop;
  const ha1 = computeHa1(hashAlgorithm, USER, realm, answer.password ?? PASSWORD);
  const ha2 = digestHash(hashAlgorithm, `${answer.method ?? 'REGISTER'}:${REGISTRAR_URI}`);
  const response =
    qop === null
      ? digestHash(hashAlgorithm, `${ha1}:${answer.nonce}:${ha2}`)
      : digestHash(hashAlgorithm, `${ha1}:${answer.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
  const qopPart = qop === null ? '' : `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"`;
  return parsed(
    `Digest username="${USER}", realm="${realm}", nonce="${answer.nonce}", ` +
      `uri="${REGISTRAR_URI}", response="${response}", algorithm=${algorithm}${qopPart}` +
      (answer.extra ?? ''),
  );
}

describe(`${verifyDigest.name} for SIP REGISTER`, () => {
  let now: number;
  let nonces: HmacNonceService;
  let tracker: InMemoryNonceCountTracker;

  beforeEach(() => {
    now = T0;
    nonces = new HmacNonceService({ secrets: { current: Buffer.alloc(32, 7) }, now: () => now });
    tracker = new InMemoryNonceCountTracker();
  });

  function verify(
    credentials: DigestCredentials,
    overrides: Partial<VerifyDigestInput> = {},
  ): ReturnType<typeof verifyDigest> {
    return verifyDigest({
      method: 'REGISTER',
      credentials,
      ha1: HA1,
      realm: REALM,
      nonceService: nonces,
      ncTracker: tracker,
      now,
      ...overrides,
    });
  }

  it.each(['SHA-256', 'MD5', 'sha-256', 'md5'])(
    'accepts the right password with %s',
    async (algorithm) => {
      const credentials = anAuthorization({ nonce: nonces.issue(REALM), algorithm });
      expect(await verify(credentials)).toEqual({ ok: true, username: USER });
    },
  );

  it('takes an absent algorithm to mean MD5', async () => {
    const nonce = nonces.issue(REALM);
    const md5 = anAuthorization({ nonce, algorithm: 'MD5' });
    const params = new Map(md5.params);
    params.delete('algorithm');
    expect(await verify({ ...md5, algorithm: undefined, params })).toEqual({
      ok: true,
      username: USER,
    });
  });

  it('accepts an uppercase hex response', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
    expect(
      await verify({ ...credentials, response: credentials.response.toUpperCase() }),
    ).toMatchObject({ ok: true });
  });

  it('refuses a wrong password', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), password: 'guess' });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'bad-response' });
  });

  it('refuses a response computed for another method', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), method: 'INVITE' });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'bad-response' });
  });

  it.each(['', 'abc', 'z'.repeat(64), `${'0'.repeat(63)}€`])(
    'refuses a response of the wrong shape (%s) without throwing',
    async (response) => {
      const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
      expect(await verify({ ...credentials, response })).toEqual({
        ok: false,
        reason: 'bad-response',
      });
    },
  );

  it('refuses another realm', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), realm: 'other.example' });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'realm-mismatch' });
  });

  it('refuses a nonce issued for another realm', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue('other.example') });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'bad-nonce' });
  });

  it('refuses a tampered nonce', async () => {
    const nonce = nonces.issue(REALM);
    const tampered = `${nonce.slice(0, 10)}${nonce[10] === 'A' ? 'B' : 'A'}${nonce.slice(11)}`;
    const credentials = anAuthorization({ nonce: tampered });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'bad-nonce' });
  });

  it('answers stale for an expired nonce with the right digest, so the phone retries silently', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
    now = T0 + 300_000;
    expect(await verify(credentials)).toEqual({
      ok: false,
      reason: 'stale',
      challengeStale: true,
    });
  });

  it('does not say stale for an expired nonce with a wrong digest', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), password: 'guess' });
    now = T0 + 300_000;
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'bad-response' });
  });

  it('refuses a replayed nonce count', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
    expect(await verify(credentials)).toMatchObject({ ok: true });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'replay' });
  });

  it('refuses a lower nonce count and accepts a higher one', async () => {
    const nonce = nonces.issue(REALM);
    expect(await verify(anAuthorization({ nonce, nc: 5 }))).toMatchObject({ ok: true });
    expect(await verify(anAuthorization({ nonce, nc: 4 }))).toEqual({
      ok: false,
      reason: 'replay',
    });
    expect(await verify(anAuthorization({ nonce, nc: 6 }))).toMatchObject({ ok: true });
  });

  it('does not let a wrong password use up a nonce count', async () => {
    const nonce = nonces.issue(REALM);
    await verify(anAuthorization({ nonce, password: 'guess' }));
    expect(await verify(anAuthorization({ nonce }))).toMatchObject({ ok: true });
  });

  it('asks for a new nonce when the tracker may have forgotten this one', async () => {
    tracker = new InMemoryNonceCountTracker({ maxEntries: 2 });
    const first = nonces.issue(REALM);
    now += 1;
    const second = nonces.issue(REALM);
    now += 1;
    const third = nonces.issue(REALM);
    await verify(anAuthorization({ nonce: first }));
    await verify(anAuthorization({ nonce: second }));
    await verify(anAuthorization({ nonce: third }));
    expect(await verify(anAuthorization({ nonce: first }))).toEqual({
      ok: false,
      reason: 'stale',
      challengeStale: true,
    });
  });

  it.each(['MD5-sess', 'SHA-256-sess', 'SHA-512-256', 'AKAv1-MD5'])(
    'refuses algorithm %s',
    async (algorithm) => {
      const credentials = anAuthorization({ nonce: nonces.issue(REALM), algorithm });
      expect(await verify(credentials)).toEqual({
        ok: false,
        reason: 'unsupported-algorithm',
      });
    },
  );

  it('refuses SHA-256 when only an MD5 HA1 is stored', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
    expect(await verify(credentials, { ha1: { md5: HA1.md5 } })).toEqual({
      ok: false,
      reason: 'unsupported-algorithm',
    });
  });

  it('refuses qop=auth-int', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), qop: 'auth-int' });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'unsupported-qop' });
  });

  it('refuses qop=auth without cnonce', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM) });
    expect(await verify({ ...credentials, cnonce: undefined })).toEqual({
      ok: false,
      reason: 'missing-parameter',
    });
  });

  it('refuses an RFC 2069 response (no qop) by default', async () => {
    const credentials = anAuthorization({ nonce: nonces.issue(REALM), qop: null });
    expect(await verify(credentials)).toEqual({ ok: false, reason: 'unsupported-qop' });
  });

  it('accepts an RFC 2069 response when configured to, and still checks it', async () => {
    const nonce = nonces.issue(REALM);
    expect(await verify(anAuthorization({ nonce, qop: null }), { allowRfc2069: true })).toEqual({
      ok: true,
      username: USER,
    });
    expect(
      await verify(anAuthorization({ nonce, qop: null, password: 'guess' }), {
        allowRfc2069: true,
      }),
    ).toEqual({ ok: false, reason: 'bad-response' });
  });
});
