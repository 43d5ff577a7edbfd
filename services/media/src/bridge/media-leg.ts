import type { PortPairLease, UdpPortPair } from '@pbx/rtp';
import type { MediaLegKind } from '@pbx/telephony';

/** Where a bridged leg hands the plain RTP or RTCP its side sent. */
export type PacketSink = (packet: Buffer) => void;

/**
 * The platform's end of one side of a call, of either kind: a plain RTP port pair
 * (RelayEndpoint) or a WebRTC transport (WebRtcEndpoint). Two plain legs with the same formats
 * are linked directly, socket to socket; any other pair is bridged through translators.
 */
export interface MediaLeg {
  readonly kind: MediaLegKind;
  readonly lease: PortPairLease<UdpPortPair>;
  readonly rtpPort: number;
  readonly rtcpPort: number;
  /** Hands what the side sends to these (null: drop it) instead of to a linked leg. */
  bridge(rtp: PacketSink | null, rtcp: PacketSink | null): void;
  /** Sends plain RTP to the side (protected on a WebRTC leg); dropped while it has no address. */
  sendRtp(packet: Buffer): void;
  sendRtcp(packet: Buffer): void;
  /** Stops receiving and sending; the pool then closes the sockets. */
  detach(): void;
}
