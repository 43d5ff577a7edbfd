import type { PortPairLease, RemoteMedia, UdpPortPair } from '@pbx/rtp';
import type { MediaLeg, PacketSink } from '../bridge/media-leg';
import type { ActivityClock, DirectionCounter, RelayCounters } from './relay-counters';
import { RelayPath } from './relay-path';

/**
 * The platform's port pair facing one side of a call: the side sends its RTP and RTCP here, and
 * receives the other side's from here (the same ports, as symmetric RTP wants, RFC 4961).
 */
export class RelayEndpoint implements MediaLeg {
  readonly kind = 'rtp';
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

  /** Relays between this endpoint and the one facing the other side, socket to socket. */
  link(other: RelayEndpoint): void {
    this.bridge(null, null);
    other.bridge(null, null);
    this.rtp.peer = other.rtp;
    this.rtcp.peer = other.rtcp;
    other.rtp.peer = this.rtp;
    other.rtcp.peer = this.rtcp;
  }

  bridge(rtp: PacketSink | null, rtcp: PacketSink | null): void {
    this.rtp.sink = rtp;
    this.rtcp.sink = rtcp;
    if (rtp !== null || rtcp !== null) {
      if (this.rtp.peer?.peer === this.rtp) this.rtp.peer.peer = null;
      if (this.rtcp.peer?.peer === this.rtcp) this.rtcp.peer.peer = null;
      this.rtp.peer = null;
      this.rtcp.peer = null;
    }
  }

  sendRtp(packet: Buffer): void {
    this.rtp.sendToSide(packet);
  }

  sendRtcp(packet: Buffer): void {
    this.rtcp.sendToSide(packet);
  }

  detach(): void {
    this.rtp.detach();
    this.rtcp.detach();
  }
}
