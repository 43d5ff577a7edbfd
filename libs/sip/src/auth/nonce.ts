import { createHmac, timingSafeEqual } from 'node:crypto';
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
const NONCE_BYTES = TIMESTAMP_BYTES + RANDOM_BYTES + MAC_BYTES;
const NONCE_CHARS = Math.ceil((NONCE_BYTES * 4) / 3);
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
  #current: Buffer;
  #previous: Buffer | undefined;
  readonly #now: () => number;
  readonly #random: (size: number) => Buffer;
  readonly lifetimeMs: number;
  readonly clockSkewMs: number;

  constructor(options: HmacNonceServiceOptions) {
    this.#current = checkedSecret(options.secrets.current);
    this.#previous =
      options.secrets.previous === undefined ? undefined : checkedSecret(options.secrets.previous);
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
    const next = checkedSecret(secret);
    this.#previous = this.#current;
    this.#current = next;
  }

  issue(realm: string): string {
    const nonce = Buffer.allocUnsafe(NONCE_BYTES);
    writeTimestamp(nonce, Math.floor(this.#now()));
    this.#random(RANDOM_BYTES).copy(nonce, TIMESTAMP_BYTES, 0, RANDOM_BYTES);
    const head = nonce.subarray(0, TIMESTAMP_BYTES + RANDOM_BYTES);
    mac(this.#current, head, realm).copy(nonce, TIMESTAMP_BYTES + RANDOM_BYTES);
    return nonce.toString('base64url');
  }

  verify(nonce: string, realm: string, now: number = this.#now()): NonceCheck {
    if (nonce.length !== NONCE_CHARS || !isBase64Url(nonce)) return { status: 'invalid' };
    const bytes = Buffer.from(nonce, 'base64url');
    // Base64 leaves spare bits in the last character: without this check, several strings would
    // carry one nonce and each would get its own nonce-count history, defeating replay checks.
    if (bytes.length !== NONCE_BYTES || bytes.toString('base64url') !== nonce) {
      return { status: 'invalid' };
    }
    const head = bytes.subarray(0, TIMESTAMP_BYTES + RANDOM_BYTES);
    const given = bytes.subarray(TIMESTAMP_BYTES + RANDOM_BYTES);
    if (
      !timingSafeEqual(mac(this.#current, head, realm), given) &&
      (this.#previous === undefined || !timingSafeEqual(mac(this.#previous, head, realm), given))
    ) {
      return { status: 'invalid' };
    }
    const issuedAt = readTimestamp(head);
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

function mac(secret: Buffer, head: Buffer, realm: string): Buffer {
  return createHmac('sha256', secret).update(head).update(realm, 'utf8').digest();
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
