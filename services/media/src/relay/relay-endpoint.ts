import type { PortPairLease, RemoteMedia, UdpPortPair } from '@pbx/rtp';
import type { ActivityClock, DirectionCounter, RelayCounters } from './relay-counters';
import { RelayPath } from './relay-path';

/**
 * The platform's port pair facing one side of a call: the side sends its RTP and RTCP here, and
 * receives the other side's from here (the same ports, as symmetric RTP wants, RFC 4961).
 */
export class RelayEndpoint {
  readonly rtp: RelayPath;
  readonly rtcp: RelayPath;

  constructor(
    readonly lease: PortPairLease<UdpPortPair>,
    received: DirectionCounter,
    counters: RelayCounters,
    activity: ActivityClock,
    clock: () => number,
  ) {
    this.rtp = new RelayPath(lease.sockets.rtp, 'rtp', received, counters, activity, clock);
    this.rtcp = new RelayPath(lease.sockets.rtcp, 'rtcp', received, counters, activity, clock);
  }

  get rtpPort(): number {
    return this.lease.rtpPort;
  }

  get rtcpPort(): number {
    return this.lease.rtcpPort;
  }

  /** The side faced sent new SDP: send there, and latch again on its next packets. */
  expect(remote: RemoteMedia): void {
    this.rtp.latch.expect(remote.rtp);
    this.rtcp.latch.expect(remote.rtcp);
  }

  /** Relays between this endpoint and the one facing the other side. */
  link(other: RelayEndpoint): void {
    this.rtp.peer = other.rtp;
    this.rtcp.peer = other.rtcp;
    other.rtp.peer = this.rtp;
    other.rtcp.peer = this.rtcp;
  }

  detach(): void {
    this.rtp.detach();
    this.rtcp.detach();
  }
}
