import { RtpPacketError } from './rtp-packet-error';
import { RtcpPacketType, isRtcpPacket, isRtcpPacketType, parseRtcpHeader } from './rtcp-header';

/** A receiver report with no report blocks, then an SDES chunk of one word of items. */
const COMPOUND = Uint8Array.from([
  0x80,
  201,
  0,
  1,
  0x11,
  0x22,
  0x33,
  0x44, // RR, length 1 word + header
  0x81,
  202,
  0,
  2,
  0x11,
  0x22,
  0x33,
  0x44,
  1,
  1,
  0x41,
  0, // SDES, one chunk, CNAME "A"
]);

describe(parseRtcpHeader.name, () => {
  it('reads the first header of a compound packet whose lengths add up', () => {
    expect(parseRtcpHeader(COMPOUND)).toEqual({
      version: 2,
      padding: false,
      count: 0,
      packetType: RtcpPacketType.ReceiverReport,
      length: 8,
      ssrc: 0x11223344,
    });
  });

  it('rejects a compound packet whose length fields overrun the datagram', () => {
    expect(() => parseRtcpHeader(COMPOUND.subarray(0, 16))).toThrow(RtpPacketError);
  });

  it('rejects RTP and runts', () => {
    expect(() => parseRtcpHeader(Uint8Array.from([0x80, 0, 0, 1, 0, 0, 0, 0]))).toThrow(
      /not an RTCP packet type/,
    );
    expect(() => parseRtcpHeader(Uint8Array.from([0x80, 200]))).toThrow(RtpPacketError);
  });
});

describe(isRtcpPacketType.name, () => {
  it('takes 192-223 for RTCP, as RFC 5761 §4 demultiplexes', () => {
    expect([191, 192, 200, 204, 207, 223, 224].map(isRtcpPacketType)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(isRtcpPacket(COMPOUND)).toBe(true);
    expect(isRtcpPacket(Uint8Array.from([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false);
  });
});
