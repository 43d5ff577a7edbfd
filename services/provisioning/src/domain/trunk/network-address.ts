/**
 * Host names and IP addresses as a trunk's configuration accepts them, in one canonical spelling
 * each, so that re-applying a file that spells an address differently changes nothing.
 */

// Dotted quad without leading zeros (RFC 3986 section 3.2.2 `dec-octet`): 010 is not 8 or 10.
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// RFC 1123 section 2.1 host names: labels of letters, digits and inner hyphens.
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV6_CHARACTERS = /^[0-9a-f:.]+$/;

export function canonicalIpv4(text: string): string | undefined {
  return IPV4.test(text) ? text : undefined;
}

/**
 * The RFC 5952 text of an IPv6 address (lowercase, longest zero run compressed), or undefined.
 * WHATWG URL parsing implements exactly that serialisation and is pure, which `node:net` is not
 * allowed to be in domain code.
 */
export function canonicalIpv6(text: string): string | undefined {
  const lower = text.toLowerCase();
  if (!lower.includes(':') || !IPV6_CHARACTERS.test(lower)) return undefined;
  try {
    const host = new URL(`sip://[${lower}]/`).hostname;
    return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : undefined;
  } catch {
    return undefined;
  }
}

/** An IPv4 or IPv6 address in canonical form, or undefined. */
export function canonicalIpAddress(text: string): string | undefined {
  return canonicalIpv4(text) ?? canonicalIpv6(text);
}

/**
 * A host name (lowercased) or an IP address (canonical), or undefined. A name whose last label is
 * all digits is refused: it is a mistyped IPv4 address, not a name (RFC 1123 section 2.1).
 */
export function canonicalHost(text: string): string | undefined {
  const address = canonicalIpAddress(text);
  if (address !== undefined) return address;
  const lower = text.toLowerCase();
  if (!HOST_NAME.test(lower)) return undefined;
  const last = lower.slice(lower.lastIndexOf('.') + 1);
  return /^\d+$/.test(last) ? undefined : lower;
}
