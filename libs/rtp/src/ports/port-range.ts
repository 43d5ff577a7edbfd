/** An inclusive UDP port range, as PBX_RTP_PORTS gives it. */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The RTP ports of a range: each even port whose odd neighbour (its RTCP port, RFC 3550 §11)
 * is in the range too, lowest first.
 */
export function rtpPortsOf(range: PortRange): number[] {
  if (!Number.isInteger(range.start) || !Number.isInteger(range.end)) {
    throw new RangeError('a port range has integer bounds');
  }
  if (range.start < 1 || range.end > 65535 || range.start > range.end) {
    throw new RangeError(`${range.start}-${range.end} is not a port range within 1-65535`);
  }
  const ports: number[] = [];
  for (let port = range.start + (range.start % 2); port + 1 <= range.end; port += 2) {
    ports.push(port);
  }
  return ports;
}
