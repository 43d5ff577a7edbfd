import { isIPv6 } from 'node:net';

/**
 * The textual form of an IP address as the transports report it: IPv4-mapped IPv6 addresses from
 * dual-stack sockets ("::ffff:192.0.2.1") become plain IPv4, so that Via comparison and the
 * connection map see one spelling.
 */
export function normalizeAddress(address: string): string {
  return address.length > 7 && address.startsWith('::ffff:') && address.includes('.', 7)
    ? address.slice(7)
    : address;
}

/** "[2001:db8::1]" to "2001:db8::1" (Via hosts and received values keep the brackets). */
export function stripBrackets(host: string): string {
  return host.length > 1 && host.charCodeAt(0) === 91 && host.charCodeAt(host.length - 1) === 93
    ? host.slice(1, -1)
    : host;
}

/** An address as a host in a URI or Via sent-by: IPv6 references get brackets (RFC 3261 25.1). */
export function hostForUri(address: string): string {
  // Only an IPv6 literal has a colon: IPv4 addresses skip the IPv6 pattern, once per request.
  return address.includes(':') && isIPv6(address) ? `[${address}]` : address;
}

/** Whether a Via host or received value names exactly this source address. */
export function sameHost(host: string, address: string): boolean {
  const h = stripBrackets(host);
  return h === address || h.toLowerCase() === address.toLowerCase();
}

/** Key of the open-connection map: one connection per protocol and remote address and port. */
export function connectionKey(protocol: string, address: string, port: number): string {
  return `${protocol}:${address}:${port}`;
}
