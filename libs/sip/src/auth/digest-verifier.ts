import { timingSafeEqual } from 'node:crypto';
import type { MaybePromise } from '@pbx/domain';
import {
  DIGEST_HEX_LENGTH,
  digestHash,
  parseDigestAlgorithm,
  type DigestAlgorithm,
} from './digest-algorithm';
import type { DigestCredentials } from './digest-credentials';
import type { NonceCountOutcome, NonceCountTracker } from './nonce-count-tracker';
import type { NonceVerifier } from './nonce';

export type DigestFailureReason =
  | 'stale'
  | 'bad-response'
  | 'bad-nonce'
  | 'replay'
  | 'realm-mismatch'
  | 'unsupported-algorithm'
  | 'missing-parameter'
  | 'unsupported-qop';

export type DigestVerification =
  | { readonly ok: true; readonly username: string }
  | {
      readonly ok: false;
      readonly reason: DigestFailureReason;
      /** Challenge again with stale=true: the password was right, only the nonce was old. */
      readonly challengeStale?: boolean;
    };

/** The stored HA1 values of the device (lowercase hex); one may be missing for old devices. */
export interface StoredHa1 {
  readonly md5?: string;
  readonly sha256?: string;
}

export interface VerifyDigestInput {
  /** The request method, e.g. REGISTER (RFC 3261 section 22.4: A2 = Method ":" digest-uri). */
  readonly method: string;
  readonly credentials: DigestCredentials;
  readonly ha1: StoredHa1;
  /** Our realm, the group's SIP domain. */
  readonly realm: string;
  readonly nonceService: NonceVerifier;
  readonly ncTracker: NonceCountTracker;
  /** Milliseconds since the epoch. */
  readonly now: number;
  /**
   * Accept RFC 2069 responses (no qop): they carry no nc, so nothing stops a replay within the
   * nonce lifetime. Off unless a device that cannot do qop=auth must be served.
   */
  readonly allowRfc2069?: boolean;
}

/**
 * RFC 7616 section 3.4.1 (RFC 3261 section 22.4 for SIP). Order matters: the response is checked
 * before the nonce count is recorded, so only a client that knows the password can fill the
 * tracker, and stale=true is only said when the digest was right (RFC 7616 section 3.3), which
 * tells an attacker nothing.
 */
export function verifyDigest(input: VerifyDigestInput): MaybePromise<DigestVerification> {
  const { credentials } = input;
  const algorithm = parseDigestAlgorithm(credentials.algorithm);
  if (algorithm === undefined) return failure('unsupported-algorithm');
  const ha1 = algorithm === 'MD5' ? input.ha1.md5 : input.ha1.sha256;
  if (ha1 === undefined) return failure('unsupported-algorithm');
  if (credentials.realm !== input.realm) return failure('realm-mismatch');

  let responseInput: string;
  if (credentials.qop === undefined) {
    if (input.allowRfc2069 !== true) return failure('unsupported-qop');
    responseInput = `${ha1}:${credentials.nonce}`;
  } else {
    if (credentials.qop !== 'auth') return failure('unsupported-qop');
    if (credentials.cnonce === undefined || credentials.nc === undefined) {
      return failure('missing-parameter');
    }
    responseInput = `${ha1}:${credentials.nonce}:${credentials.nc}:${credentials.cnonce}:auth`;
  }

  const nonce = input.nonceService.verify(credentials.nonce, input.realm, input.now);
  if (nonce.status === 'invalid') return failure('bad-nonce');

  const ha2 = digestHash(algorithm, `${input.method}:${credentials.uri}`);
  if (!responseMatches(algorithm, digestHash(algorithm, `${responseInput}:${ha2}`), credentials)) {
    return failure('bad-response');
  }
  if (nonce.status === 'expired') return { ok: false, reason: 'stale', challengeStale: true };

  if (credentials.qop !== undefined) {
    const outcome = input.ncTracker.record({
      nonce: credentials.nonce,
      nonceCount: credentials.nonceCount ?? Number.parseInt(credentials.nc as string, 16),
      issuedAt: nonce.issuedAt,
      expiresAt: nonce.expiresAt,
      now: input.now,
    });
    const username = credentials.username;
    return outcome instanceof Promise
      ? outcome.then((o) => countVerdict(o, username))
      : countVerdict(outcome, username);
  }
  return { ok: true, username: credentials.username };
}

function countVerdict(outcome: NonceCountOutcome, username: string): DigestVerification {
  if (outcome === 'replay') return failure('replay');
  if (outcome === 'forgotten') return { ok: false, reason: 'stale', challengeStale: true };
  return { ok: true, username };
}

/** Hex is compared case-insensitively; lengths are public, so only equal lengths reach the MAC. */
function responseMatches(
  algorithm: DigestAlgorithm,
  expected: string,
  credentials: DigestCredentials,
): boolean {
  const given = credentials.response.toLowerCase();
  if (given.length !== DIGEST_HEX_LENGTH[algorithm]) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(given, 'latin1'));
}

function failure(reason: DigestFailureReason): DigestVerification {
  return { ok: false, reason };
}
