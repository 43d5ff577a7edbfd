import { createHash } from 'node:crypto';
import type { DigestCredentials } from './group';

/**
 * RFC 7616 section 3.4.2: HA1 = H(username ":" realm ":" password) for the MD5 and SHA-256
 * algorithms, lowercase hex. Phones still mostly speak MD5; SHA-256 is kept so that the SIP edge
 * can offer it without asking everyone for their password again. Hashing is computation, not
 * I/O, so it belongs in the domain; the password itself is never kept.
 */
export function digestCredentials(
  username: string,
  realm: string,
  password: string,
): DigestCredentials {
  const input = `${username}:${realm}:${password}`;
  return {
    ha1Md5: createHash('md5').update(input, 'utf8').digest('hex'),
    ha1Sha256: createHash('sha256').update(input, 'utf8').digest('hex'),
  };
}

export function sameCredentials(a: DigestCredentials, b: DigestCredentials): boolean {
  return a.ha1Md5 === b.ha1Md5 && a.ha1Sha256 === b.ha1Sha256;
}
