import { RtpPacketError } from './rtp-packet-error';
import { isRtcpPacketType } from './rtcp-header';

/** RTP version 2 (RFC 3550 §5.1); the only version in use. */
export const RTP_VERSION = 2;
/** Fixed part of the RTP header (RFC 3550 §5.1). */
export const RTP_FIXED_HEADER_LENGTH = 12;

/** The RTP fixed header (RFC 3550 §5.1) and where the payload starts. */
export interface RtpHeader {
  readonly version: number;
  readonly padding: boolean;
  readonly extension: boolean;
  readonly csrcCount: number;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  /** Bytes before the payload: fixed header, CSRC list and header extension (RFC 3550 §5.3.1). */
  readonly headerLength: number;
  /** Payload bytes, without the padding announced by the last octet when P is set. */
  readonly payloadLength: number;
}

/**
 * A cheap test for the relay's hot path: version 2, at least the fixed header, and a second
 * octet that is not an RTCP packet type (RFC 5761 §4, so that a multiplexed RTCP packet is not
 * taken for RTP). Reads two octets; allocates nothing.
 */
export function isRtpPacket(packet: Uint8Array): boolean {
  return (
    packet.length >= RTP_FIXED_HEADER_LENGTH &&
    packet[0] >> 6 === RTP_VERSION &&
    !isRtcpPacketType(packet[1])
  );
}

/**
 * The header length (fixed part, CSRCs, extension) of the RTP packet in `packet[0, end)`; -1 when
 * the header runs past `end`. For the media path: reads at most four octets, allocates nothing.
 */
export function rtpHeaderLength(packet: Uint8Array, end: number = packet.length): number {
  if (end < RTP_FIXED_HEADER_LENGTH) return -1;
  let length = RTP_FIXED_HEADER_LENGTH + 4 * (packet[0] & 0x0f);
  if ((packet[0] & 0x10) !== 0) {
    if (end < length + 4) return -1;
    length += 4 + 4 * ((packet[length + 2] << 8) | packet[length + 3]);
  }
  return length <= end ? length : -1;
}

/** Parses the RTP header of `packet`; throws RtpPacketError when it is not valid RTP. */
export function parseRtpHeader(packet: Uint8Array): RtpHeader {
  if (packet.length < RTP_FIXED_HEADER_LENGTH) {
    throw new RtpPacketError(`${packet.length} octets, shorter than the 12-octet RTP header`);
  }
  const first = packet[0];
  const version = first >> 6;
  if (version !== RTP_VERSION) throw new RtpPacketError(`version ${version}, expected 2`);
  if (isRtcpPacketType(packet[1])) {
    throw new RtpPacketError(`second octet ${packet[1]} is an RTCP packet type (RFC 5761 §4)`);
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const padding = (first & 0x20) !== 0;
  const extension = (first & 0x10) !== 0;
  const csrcCount = first & 0x0f;
  let headerLength = RTP_FIXED_HEADER_LENGTH + 4 * csrcCount;
  if (packet.length < headerLength) {
    throw new RtpPacketError(`${csrcCount} CSRCs announced but the packet ends before them`);
  }
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_FIXED_HEADER_LENGTH + 4 * i));
  if (extension) {
    // RFC 3550 §5.3.1: 16-bit profile-defined field, 16-bit length in 32-bit words.
    if (packet.length < headerLength + 4) {
      throw new RtpPacketError('header extension announced but the packet ends before it');
    }
    headerLength += 4 + 4 * view.getUint16(headerLength + 2);
    if (packet.length < headerLength) {
      throw new RtpPacketError('header extension longer than the packet');
    }
  }
  let paddingLength = 0;
  if (padding) {
    // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
    paddingLength = packet[packet.length - 1];
    if (paddingLength === 0 || headerLength + paddingLength > packet.length) {
      throw new RtpPacketError(`padding of ${paddingLength} octets does not fit the packet`);
    }
  }
  return {
    version,
    padding,
    extension,
    csrcCount,
    marker: (packet[1] & 0x80) !== 0,
    payloadType: packet[1] & 0x7f,
    sequenceNumber: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    csrcs,
    headerLength,
    payloadLength: packet.length - headerLength - paddingLength,
  };
}

/** What `writeRtpHeader` needs; CSRCs and extensions are not written. */
export interface RtpHeaderFields {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

/** Writes a 12-octet RTP header (no CSRC, no extension) at the start of `packet`. */
export function writeRtpHeader(packet: Uint8Array, fields: RtpHeaderFields): void {
  if (packet.length < RTP_FIXED_HEADER_LENGTH) {
    throw new RangeError('an RTP packet needs at least 12 octets for its header');
  }
  if (!Number.isInteger(fields.payloadType) || fields.payloadType < 0 || fields.payloadType > 127) {
    throw new RangeError(`payload type ${fields.payloadType} is not in 0-127`);
  }
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  packet[0] = RTP_VERSION << 6;
  packet[1] = (fields.marker === true ? 0x80 : 0) | fields.payloadType;
  view.setUint16(2, fields.sequenceNumber & 0xffff);
  view.setUint32(4, fields.timestamp >>> 0);
  view.setUint32(8, fields.ssrc >>> 0);
}
