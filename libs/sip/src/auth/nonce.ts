import { createHash, createHmac, hash } from 'node:crypto';
import { pooledRandomBytes } from '../messages/build-response';
import { DigestAuthError, DigestAuthErrorCode } from './digest-auth.error';

/**
 * Stateless nonces: base64url(timestamp || random || HMAC-SHA256(secret, timestamp || random ||
 * realm)). Any instance holding the secret verifies them without storage, and the realm in the
 * MAC stops a nonce issued for one tenant's domain from being used in another's.
 */

const TIMESTAMP_BYTES = 8;
const RANDOM_BYTES = 16;
const MAC_BYTES = 32;
const HEAD_BYTES = TIMESTAMP_BYTES + RANDOM_BYTES;
/** The head is a whole number of base64 groups, so base64url(head || mac) = b64(head) + b64(mac). */
const HEAD_CHARS = (HEAD_BYTES / 3) * 4;
const MAC_CHARS = Math.ceil((MAC_BYTES * 4) / 3);
const NONCE_CHARS = HEAD_CHARS + MAC_CHARS;
const MIN_SECRET_BYTES = 32;

export const DEFAULT_NONCE_LIFETIME_MS = 300_000;
/** Instances behind one load balancer disagree a little about the time. */
export const DEFAULT_NONCE_CLOCK_SKEW_MS = 5_000;

export type NonceCheck =
  | { readonly status: 'valid'; readonly issuedAt: number; readonly expiresAt: number }
  | { readonly status: 'expired'; readonly issuedAt: number }
  | { readonly status: 'invalid' };

/** The port the verifier needs: checking, not issuing. */
export interface NonceVerifier {
  verify(nonce: string, realm: string, now?: number): NonceCheck;
}

export interface NonceIssuer {
  issue(realm: string): string;
}

export interface NonceSecrets {
  readonly current: Buffer;
  /** Still accepted after a rotation, so that nonces in flight stay valid for their lifetime. */
  readonly previous?: Buffer;
}

export interface HmacNonceServiceOptions {
  readonly secrets: NonceSecrets;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly lifetimeMs?: number;
  readonly clockSkewMs?: number;
  readonly random?: (size: number) => Buffer;
}

export class HmacNonceService implements NonceIssuer, NonceVerifier {
  #current: NonceMac;
  #previous: NonceMac | undefined;
  readonly #now: () => number;
  readonly #random: (size: number) => Buffer;
  readonly lifetimeMs: number;
  readonly clockSkewMs: number;

  constructor(options: HmacNonceServiceOptions) {
    this.#current = new NonceMac(checkedSecret(options.secrets.current));
    this.#previous =
      options.secrets.previous === undefined
        ? undefined
        : new NonceMac(checkedSecret(options.secrets.previous));
    this.#now = options.now;
    this.#random = options.random ?? pooledRandomBytes;
    this.lifetimeMs = checkedDuration(options.lifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS, 'lifetime');
    this.clockSkewMs = checkedDuration(
      options.clockSkewMs ?? DEFAULT_NONCE_CLOCK_SKEW_MS,
      'clock skew',
      true,
    );
  }

  /** The current secret becomes the previous one; the one before that stops being accepted. */
  rotate(secret: Buffer): void {
    const next = new NonceMac(checkedSecret(secret));
    this.#previous = this.#current;
    this.#current = next;
  }

  issue(realm: string): string {
    const head = Buffer.allocUnsafe(HEAD_BYTES);
    writeTimestamp(head, Math.floor(this.#now()));
    this.#random(RANDOM_BYTES).copy(head, TIMESTAMP_BYTES, 0, RANDOM_BYTES);
    const headText = head.toString('base64url');
    return headText + this.#current.of(headText, realm);
  }

  verify(nonce: string, realm: string, now: number = this.#now()): NonceCheck {
    if (nonce.length !== NONCE_CHARS || !isBase64Url(nonce)) return { status: 'invalid' };
    // The MAC is compared as the text we would write: base64 leaves spare bits in its last
    // character, and without an exact match several strings would carry one nonce, each with its
    // own nonce-count history, defeating replay checks. (The head has no spare bits.)
    const headText = nonce.slice(0, HEAD_CHARS);
    const given = nonce.slice(HEAD_CHARS);
    if (
      !sameText(this.#current.of(headText, realm), given) &&
      (this.#previous === undefined || !sameText(this.#previous.of(headText, realm), given))
    ) {
      return { status: 'invalid' };
    }
    const issuedAt = readTimestamp(Buffer.from(headText, 'base64url'));
    if (issuedAt > now + this.clockSkewMs) return { status: 'invalid' };
    const expiresAt = issuedAt + this.lifetimeMs;
    if (now >= expiresAt) return { status: 'expired', issuedAt };
    return { status: 'valid', issuedAt, expiresAt };
  }
}

/**
 * The issue time as a 64-bit big-endian count of milliseconds, written as two 32-bit halves:
 * BigInt conversions cost more than the rest of the nonce. Exact below 2^53 ms (year 287,396).
 */
function writeTimestamp(into: Buffer, ms: number): void {
  into.writeUInt32BE(Math.floor(ms / 0x1_0000_0000), 0);
  into.writeUInt32BE(ms % 0x1_0000_0000, 4);
}

function readTimestamp(from: Buffer): number {
  return from.readUInt32BE(0) * 0x1_0000_0000 + from.readUInt32BE(4);
}

/** Only base64url characters (A-Z a-z 0-9 - _), no padding. */
function isBase64Url(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (c >= 48 && c <= 57) ||
      c === 45 ||
      c === 95
    )) {
      return false;
    }
  }
  return true;
}

/** Equal texts, in a time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const SHA256_BLOCK = 64;
const SHA256_BYTES = 32;
/** Realms up to this many UTF-16 units (3 UTF-8 bytes each at most) take the buffers below. */
const MAX_FAST_REALM = 256;

/**
 * HMAC-SHA256 (RFC 2104) of a nonce's head and realm under one secret, as base64url. The key's
 * inner and outer pads are worked out once, and a MAC is two one-shot hashes over buffers kept
 * for it: a third of what createHmac costs per call, whose objects made up most of the price of
 * a nonce on a registrar answering thousands of REGISTERs a second.
 */
class NonceMac {
  readonly #key: Buffer;
  /** Inner pad, then the head, then the realm's UTF-8. */
  readonly #inner = Buffer.alloc(SHA256_BLOCK + HEAD_BYTES + 3 * MAX_FAST_REALM);
  /** Outer pad, then the inner digest. */
  readonly #outer = Buffer.alloc(SHA256_BLOCK + SHA256_BYTES);

  constructor(secret: Buffer) {
    this.#key =
      secret.length > SHA256_BLOCK ? createHash('sha256').update(secret).digest() : secret;
    for (let i = 0; i < SHA256_BLOCK; i++) {
      const k = i < this.#key.length ? this.#key[i] : 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
  }

  /** The MAC of the head (given as its 32 base64url characters) and realm. */
  of(headText: string, realm: string): string {
    if (realm.length > MAX_FAST_REALM) {
      return createHmac('sha256', this.#key)
        .update(Buffer.from(headText, 'base64url'))
        .update(realm, 'utf8')
        .digest('base64url');
    }
    this.#inner.write(headText, SHA256_BLOCK, 'base64url');
    const end =
      SHA256_BLOCK + HEAD_BYTES + this.#inner.write(realm, SHA256_BLOCK + HEAD_BYTES, 'utf8');
    // A 'binary' (latin1) string carries the digest's bytes unchanged and is much cheaper to get
    // than a Buffer from crypto.hash.
    this.#outer.write(
      hash('sha256', this.#inner.subarray(0, end), 'binary'),
      SHA256_BLOCK,
      'latin1',
    );
    return hash('sha256', this.#outer, 'base64url');
  }
}

function checkedSecret(secret: Buffer): Buffer {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new DigestAuthError(
      DigestAuthErrorCode.InvalidNonceSecret,
      `A nonce secret needs at least ${MIN_SECRET_BYTES} bytes`,
      { length: secret.length },
    );
  }
  return Buffer.from(secret);
}

function checkedDuration(ms: number, what: string, zeroAllowed = false): number {
  if (!Number.isSafeInteger(ms) || ms < 0 || (ms === 0 && !zeroAllowed)) {
    throw new DigestAuthError(
      DigestAuthErrorCode.InvalidLifetime,
      `The nonce ${what} must be a positive whole number of milliseconds`,
      { ms },
    );
  }
  return ms;
}
