import { hash } from 'node:crypto';

/**
 * The digest algorithms this server accepts (RFC 7616 section 3.4, RFC 8760). The `-sess`
 * variants are deliberately absent: we never offer them in a challenge, and a client must answer
 * with an algorithm it was offered (RFC 7616 section 3.7), so accepting them would only widen
 * what an attacker can try. They could be added without asking for passwords again, since
 * H(HA1 ":" nonce ":" cnonce) needs only the stored HA1.
 */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** SHA-256 first: RFC 8760 section 2.4 says a server offers the strongest algorithm first. */
export const OFFERED_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

const NODE_HASH: Readonly<Record<DigestAlgorithm, string>> = { MD5: 'md5', 'SHA-256': 'sha256' };

/** Hex length of H(...) per algorithm: a response of another length is refused before hashing. */
export const DIGEST_HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = {
  MD5: 32,
  'SHA-256': 64,
};

/**
 * H(data) of RFC 7616 section 3.4: lowercase hex of the UTF-8 bytes (crypto.hash takes a string
 * as UTF-8; one-shot, it costs less than half of a Hash object).
 */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return hash(NODE_HASH[algorithm], data, 'hex');
}

/**
 * HA1 = H(username ":" realm ":" password), as provisioning stores it. Here for tests and tools
 * only: the SIP edge never sees a password.
 */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/**
 * Algorithm names are tokens, compared case-insensitively; an absent parameter means MD5
 * (RFC 7616 section 3.4.2). Returns undefined for anything we do not accept, `-sess` included.
 */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  switch (value.toUpperCase()) {
    case 'MD5':
      return 'MD5';
    case 'SHA-256':
      return 'SHA-256';
    default:
      return undefined;
  }
}
