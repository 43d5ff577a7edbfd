/**
 * Option tags (RFC 3261 sections 19.2 and 20): tokens compared case-insensitively, listed in
 * Supported, Require and Proxy-Require. The values are SipHeaders.getAll's, which already resolves
 * compact names (`k` for Supported) and splits comma-separated lists.
 */

/** Whether `tag` (lowercase) is among the listed option tags. */
export function listsOptionTag(values: readonly string[], tag: string): boolean {
  return values.some((v) => v.trim().toLowerCase() === tag);
}

/**
 * The listed tags that are not in `understood` (lowercase), as the client wrote them: what a
 * 420 Bad Extension names in Unsupported (RFC 3261 section 8.2.2.3).
 */
export function unsupportedOptionTags(
  values: readonly string[],
  understood: ReadonlySet<string>,
): string[] {
  return values
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '' && !understood.has(tag.toLowerCase()));
}
