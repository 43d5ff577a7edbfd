import { isIPv4, isIPv6 } from 'node:net';

/** A UDP ICE candidate (RFC 8839 §5.1) as the media service reads and writes them. */
export interface IceCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: 'host' | 'srflx' | 'prflx' | 'relay';
}

const TYPES = new Set(['host', 'srflx', 'prflx', 'relay']);

/**
 * Reads `a=candidate:` values; undefined for a TCP candidate, an mDNS name (`*.local`, which the
 * platform cannot resolve) or anything malformed: such candidates are skipped, not fatal, as a
 * browser lists several and checks them all (RFC 8445 §5.1.1).
 */
export function parseIceCandidate(value: string): IceCandidate | undefined {
  const fields = value.split(' ');
  if (fields.length < 8 || fields[2].toLowerCase() !== 'udp' || fields[6] !== 'typ') {
    return undefined;
  }
  const component = Number(fields[1]);
  const priority = Number(fields[3]);
  const address = fields[4];
  const port = Number(fields[5]);
  const type = fields[7];
  if (!Number.isInteger(component) || !Number.isInteger(priority)) return undefined;
  if (!isIPv4(address) && !isIPv6(address)) return undefined;
  if (!Number.isInteger(port) || port < 1 || port > 65535 || !TYPES.has(type)) return undefined;
  return {
    foundation: fields[0],
    component,
    priority,
    address,
    port,
    type: type as IceCandidate['type'],
  };
}

/** RFC 8445 §5.1.2.1 with local preference `localPreference` and component 1 (rtcp-mux). */
export function hostCandidatePriority(localPreference: number): number {
  return 126 * 2 ** 24 + localPreference * 2 ** 8 + 255;
}

export function formatIceCandidate(candidate: IceCandidate): string {
  return (
    `${candidate.foundation} ${candidate.component} udp ${candidate.priority} ` +
    `${candidate.address} ${candidate.port} typ ${candidate.type}`
  );
}
