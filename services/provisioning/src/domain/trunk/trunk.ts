/**
 * A carrier trunk (issue 5): the SIP connection through which calls to E.164 numbers leave the
 * platform and calls to DIDs arrive. Operator-wide trunks are their own aggregate
 * (operator-trunk.ts); a group's trunks live in the group's configuration.
 */

/** SIP transport towards the carrier (RFC 3261 section 18; TLS per RFC 5630). */
export type TrunkTransport = 'udp' | 'tcp' | 'tls';
export const TRUNK_TRANSPORTS: readonly TrunkTransport[] = ['udp', 'tcp', 'tls'];

/** RFC 3261 section 19.1.2: 5060 for UDP and TCP, 5061 for TLS. */
export function defaultTrunkPort(transport: TrunkTransport): number {
  return transport === 'tls' ? 5061 : 5060;
}

/**
 * Digest credentials the platform answers the carrier's 401/407 challenges with (RFC 7616). The
 * password is kept in clear because the platform is the client here: it must compute responses
 * for the carrier's nonces. It is a secret: never logged, never shown by `get` or the API.
 */
export interface TrunkCredentials {
  readonly username: string;
  readonly password: string;
}

export interface Trunk {
  /** Unique within its scope (the operator, or one group): a DNS label. */
  readonly name: string;
  /** A lowercase host name, or an IPv4/IPv6 address. */
  readonly host: string;
  /** 1-65535. */
  readonly port: number;
  readonly transport: TrunkTransport;
  /** Absent when the carrier recognises the platform by source address. */
  readonly credentials?: TrunkCredentials;
  /** Keep a registration with the carrier (RFC 3261 section 10); only with credentials. */
  readonly register: boolean;
  /** Source addresses of the carrier's inbound calls, as written (IPv6 lowercase). */
  readonly inboundAddresses: readonly string[];
}

/** The wire id of an operator-wide trunk (trunk_events.proto): stable for the name. */
export function operatorTrunkId(name: string): string {
  return `operator:${name}`;
}

/** The wire id of a group's trunk (trunk_events.proto): stable for the group and name. */
export function groupTrunkId(groupId: string, name: string): string {
  return `group:${groupId}:${name}`;
}

export function sameTrunk(a: Trunk, b: Trunk): boolean {
  return (
    a.name === b.name &&
    a.host === b.host &&
    a.port === b.port &&
    a.transport === b.transport &&
    a.credentials?.username === b.credentials?.username &&
    a.credentials?.password === b.credentials?.password &&
    a.register === b.register &&
    a.inboundAddresses.length === b.inboundAddresses.length &&
    a.inboundAddresses.every((address, i) => address === b.inboundAddresses[i])
  );
}
