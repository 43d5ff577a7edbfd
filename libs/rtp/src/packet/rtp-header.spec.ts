import { RtpPacketError } from './rtp-packet-error';
import { isRtpPacket, parseRtpHeader, writeRtpHeader } from './rtp-header';

function packet(bytes: number[], payload = 160): Uint8Array {
  return Uint8Array.from([...bytes, ...new Array<number>(payload).fill(0xff)]);
}

describe(parseRtpHeader.name, () => {
  it('reads version, marker, payload type, sequence number, timestamp and SSRC', () => {
    const header = parseRtpHeader(
      packet([0x80, 0x88, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04]),
    );
    expect(header).toMatchObject({
      version: 2,
      padding: false,
      extension: false,
      csrcCount: 0,
      marker: true,
      payloadType: 8,
      sequenceNumber: 0x1234,
      timestamp: 0xdeadbeef,
      ssrc: 0x01020304,
      headerLength: 12,
      payloadLength: 160,
    });
  });

  it('skips the CSRC list and the header extension, and leaves the padding out of the payload', () => {
    const bytes = [
      0xb1,
      0x00,
      0,
      1,
      0,
      0,
      0,
      2,
      0,
      0,
      0,
      3, // V=2 P=1 X=1 CC=1, PT 0
      0,
      0,
      0,
      9, // CSRC
      0xbe,
      0xde,
      0,
      1,
      1,
      2,
      3,
      4, // extension: one word
      ...new Array<number>(20).fill(7),
      0,
      0,
      3, // padding: three octets, the last one counting them
    ];
    const header = parseRtpHeader(Uint8Array.from(bytes));
    expect(header.csrcs).toEqual([9]);
    expect(header.headerLength).toBe(12 + 4 + 8);
    expect(header.payloadLength).toBe(20);
  });

  it.each([
    ['shorter than 12 octets', [0x80, 0, 0, 1]],
    ['version 1', [0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['an RTCP sender report (RFC 5761)', [0x80, 200, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['CSRCs past the end', [0x83, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
    ['an extension past the end', [0x90, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 4]],
    ['padding longer than the payload', [0xa0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 40]],
  ])('rejects %s', (_name, bytes) => {
    expect(() => parseRtpHeader(Uint8Array.from(bytes))).toThrow(RtpPacketError);
  });

  it('round-trips what writeRtpHeader wrote', () => {
    const bytes = new Uint8Array(172);
    writeRtpHeader(bytes, {
      marker: true,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 4294967295,
      ssrc: 0xcafebabe,
    });
    expect(parseRtpHeader(bytes)).toMatchObject({
      marker: true,
      payloadType: 101,
      sequenceNumber: 65535,
      timestamp: 4294967295,
      ssrc: 0xcafebabe,
      payloadLength: 160,
    });
    expect(() =>
      writeRtpHeader(bytes, { payloadType: 128, sequenceNumber: 0, timestamp: 0, ssrc: 0 }),
    ).toThrow(RangeError);
  });
});

describe(isRtpPacket.name, () => {
  it('accepts G.711 and telephone-event packets and refuses RTCP, STUN and runts', () => {
    expect(isRtpPacket(packet([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe(true);
    expect(isRtpPacket(packet([0x80, 0xe5, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], 4))).toBe(true);
    expect(isRtpPacket(packet([0x81, 201, 0, 7, 0, 0, 0, 1], 24))).toBe(false);
    expect(isRtpPacket(packet([0x00, 0x01, 0, 0, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0], 8))).toBe(
      false,
    );
    expect(isRtpPacket(Uint8Array.from([0x80, 0]))).toBe(false);
  });
});
