import { RtpPacketError } from './rtp-packet-error';

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611 §2). */
export enum RtcpPacketType {
  SenderReport = 200,
  ReceiverReport = 201,
  SourceDescription = 202,
  Goodbye = 203,
  ApplicationDefined = 204,
  TransportFeedback = 205,
  PayloadFeedback = 206,
  ExtendedReport = 207,
}

/** The RTCP common header of the first packet of a compound packet (RFC 3550 §6.4.1). */
export interface RtcpHeader {
  readonly version: number;
  readonly padding: boolean;
  /** Report count, source count or subtype, by packet type. */
  readonly count: number;
  readonly packetType: number;
  /** Length of this packet in octets, header included (the header field is in words minus one). */
  readonly length: number;
  /** SSRC of the sender of the packet. */
  readonly ssrc: number;
}

const RTCP_MIN_LENGTH = 8;

/**
 * RFC 5761 §4: with RTP and RTCP on one port, a second octet in 192-223 is RTCP (SR, RR, SDES,
 * BYE and APP are 200-204; feedback and XR 205-207), because RTP payload types 64-95 must not
 * be used then.
 */
export function isRtcpPacketType(secondOctet: number): boolean {
  return secondOctet >= 192 && secondOctet <= 223;
}

/** A cheap test for the relay's hot path: version 2, an RTCP packet type, at least 8 octets. */
export function isRtcpPacket(packet: Uint8Array): boolean {
  return packet.length >= RTCP_MIN_LENGTH && packet[0] >> 6 === 2 && isRtcpPacketType(packet[1]);
}

/**
 * Parses the first header of a compound RTCP packet and checks the compound's length chain
 * (RFC 3550 Appendix A.2: the lengths of the packets add up to the datagram's length).
 */
export function parseRtcpHeader(packet: Uint8Array): RtcpHeader {
  if (packet.length < RTCP_MIN_LENGTH) {
    throw new RtpPacketError(`${packet.length} octets, shorter than an RTCP header`);
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  let offset = 0;
  while (offset < packet.length) {
    if (packet.length - offset < 4) throw new RtpPacketError('compound RTCP ends mid-header');
    const version = packet[offset] >> 6;
    if (version !== 2) throw new RtpPacketError(`RTCP version ${version}, expected 2`);
    if (!isRtcpPacketType(packet[offset + 1])) {
      throw new RtpPacketError(`${packet[offset + 1]} is not an RTCP packet type`);
    }
    offset += 4 * (view.getUint16(offset + 2) + 1);
  }
  if (offset !== packet.length) {
    throw new RtpPacketError('RTCP length fields do not add up to the datagram length');
  }
  return {
    version: packet[0] >> 6,
    padding: (packet[0] & 0x20) !== 0,
    count: packet[0] & 0x1f,
    packetType: packet[1],
    length: 4 * (view.getUint16(2) + 1),
    ssrc: view.getUint32(4),
  };
}
