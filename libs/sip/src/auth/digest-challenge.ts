import { writeQuotedString } from '../grammar/escapes';
import { OFFERED_DIGEST_ALGORITHMS, type DigestAlgorithm } from './digest-algorithm';

/**
 * Who challenges: a registrar or UAS answers 401 with WWW-Authenticate, a proxy or B2BUA acting
 * for a trunk answers 407 with Proxy-Authenticate (RFC 3261 sections 22.2 and 22.3).
 */
export type DigestChallenger = 'user-agent' | 'proxy';

export interface DigestChallengeHeader {
  readonly status: 401 | 407;
  readonly name: 'WWW-Authenticate' | 'Proxy-Authenticate';
}

export function challengeHeaderFor(challenger: DigestChallenger): DigestChallengeHeader {
  return challenger === 'proxy'
    ? { status: 407, name: 'Proxy-Authenticate' }
    : { status: 401, name: 'WWW-Authenticate' };
}

export interface DigestChallengeParams {
  readonly realm: string;
  readonly nonce: string;
  /** Echoed back by the client; carries no security here (the nonce is self-authenticating). */
  readonly opaque?: string;
  /** Set when the client's digest was right but its nonce had expired (RFC 7616 section 3.3). */
  readonly stale?: boolean;
}

/**
 * One challenge value: `Digest realm="..", nonce="..", opaque="..", algorithm=SHA-256,
 * qop="auth"[, stale=true]`. Only qop=auth is offered: auth-int would need the whole body, and
 * phones do not use it.
 */
export function buildDigestChallenge(
  params: DigestChallengeParams,
  algorithm: DigestAlgorithm,
): string {
  const parts = [
    `realm=${writeQuotedString(params.realm)}`,
    `nonce=${writeQuotedString(params.nonce)}`,
  ];
  if (params.opaque !== undefined) parts.push(`opaque=${writeQuotedString(params.opaque)}`);
  parts.push(`algorithm=${algorithm}`, 'qop="auth"');
  if (params.stale === true) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

/**
 * The header values a server sends, one header each, strongest first (RFC 8760 section 2.4),
 * all with the same nonce: a client picks the first algorithm it supports.
 */
export function buildDigestChallenges(
  params: DigestChallengeParams,
  algorithms: readonly DigestAlgorithm[] = OFFERED_DIGEST_ALGORITHMS,
): string[] {
  return algorithms.map((algorithm) => buildDigestChallenge(params, algorithm));
}
