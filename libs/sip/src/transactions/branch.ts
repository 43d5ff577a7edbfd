import { pooledRandomBytes } from '../messages/build-response';

/** RFC 3261 8.1.1.7: branches of RFC 3261 elements start with this. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** A new branch: the magic cookie and 96 random bits, unique across space and time. */
export function newBranch(): string {
  return MAGIC_COOKIE + pooledRandomBytes(12).toString('base64url');
}

export function hasMagicCookie(branch: string | null): branch is string {
  return branch !== null && branch.startsWith(MAGIC_COOKIE);
}
