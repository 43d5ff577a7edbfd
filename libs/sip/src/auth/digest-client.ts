import { writeQuotedString } from '../grammar/escapes';
import { randomBytes } from 'node:crypto';
import { digestHash, parseDigestAlgorithm, type DigestAlgorithm } from './digest-algorithm';

/**
 * The client side of digest authentication (RFC 7616, RFC 8760): what a trunk sends when its
 * carrier challenges a REGISTER or INVITE with 401/407.
 */

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm: DigestAlgorithm;
  readonly opaque?: string;
  /** Whether the server offered qop=auth. */
  readonly qopAuth: boolean;
  readonly stale: boolean;
}

const MAX_CHALLENGE_LENGTH = 4096;
const PARAM = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))\s*(?:,|$)/y;

/**
 * Parses one WWW-Authenticate / Proxy-Authenticate value. Returns undefined for anything but a
 * well-formed Digest challenge with an algorithm we can answer (MD5, SHA-256).
 */
export function parseDigestChallenge(value: string): DigestChallenge | undefined {
  if (value.length > MAX_CHALLENGE_LENGTH) return undefined;
  const scheme = /^\s*Digest\s+/i.exec(value);
  if (!scheme) return undefined;
  const params = new Map<string, string>();
  PARAM.lastIndex = scheme[0].length;
  while (PARAM.lastIndex < value.length) {
    const at = PARAM.lastIndex;
    const m = PARAM.exec(value);
    if (!m || PARAM.lastIndex === at) return undefined;
    params.set(m[1].toLowerCase(), m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]);
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const algorithm = parseDigestAlgorithm(params.get('algorithm'));
  if (realm === undefined || nonce === undefined || algorithm === undefined) return undefined;
  const qop = params.get('qop');
  return {
    realm,
    nonce,
    algorithm,
    opaque: params.get('opaque'),
    qopAuth: qop !== undefined && qop.split(',').some((q) => q.trim().toLowerCase() === 'auth'),
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}

/** Picks the strongest challenge we can answer among several header values (RFC 8760 2.4). */
export function pickDigestChallenge(values: readonly string[]): DigestChallenge | undefined {
  let best: DigestChallenge | undefined;
  for (const v of values) {
    const c = parseDigestChallenge(v);
    if (c && (best === undefined || (c.algorithm === 'SHA-256' && best.algorithm === 'MD5'))) {
      best = c;
    }
  }
  return best;
}

export interface DigestAnswerInput {
  readonly challenge: DigestChallenge;
  readonly method: string;
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  /** Nonce count for this nonce, from 1. */
  readonly nonceCount: number;
  /** For tests; random otherwise. */
  readonly cnonce?: string;
}

/** The Authorization / Proxy-Authorization value answering a challenge (RFC 7616 3.4.1). */
export function answerDigestChallenge(input: DigestAnswerInput): string {
  const { challenge: c, method, uri, username, password } = input;
  const ha1 = digestHash(c.algorithm, `${username}:${c.realm}:${password}`);
  const ha2 = digestHash(c.algorithm, `${method}:${uri}`);
  const parts = [
    `username=${writeQuotedString(username)}`,
    `realm=${writeQuotedString(c.realm)}`,
    `nonce=${writeQuotedString(c.nonce)}`,
    `uri=${writeQuotedString(uri)}`,
  ];
  let response: string;
  if (c.qopAuth) {
    const nc = input.nonceCount.toString(16).padStart(8, '0');
    const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
    response = digestHash(c.algorithm, `${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`);
    parts.push(
      `response=${writeQuotedString(response)}`,
      'qop=auth',
      `nc=${nc}`,
      `cnonce=${writeQuotedString(cnonce)}`,
    );
  } else {
    response = digestHash(c.algorithm, `${ha1}:${c.nonce}:${ha2}`);
    parts.push(`response=${writeQuotedString(response)}`);
  }
  parts.push(`algorithm=${c.algorithm}`);
  if (c.opaque !== undefined) parts.push(`opaque=${writeQuotedString(c.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}
