import { parseTelephoneEvent, writeTelephoneEvent } from './telephone-event';

describe(parseTelephoneEvent.name, () => {
  it('reads digit, end bit, volume and duration (RFC 4733 §2.3)', () => {
    expect(parseTelephoneEvent(Uint8Array.from([5, 0x8a, 0x03, 0x20]))).toEqual({
      event: 5,
      end: true,
      volume: 10,
      duration: 800,
    });
  });

  it('round-trips what writeTelephoneEvent wrote and refuses out-of-range fields', () => {
    const bytes = new Uint8Array(16);
    writeTelephoneEvent(bytes, 12, { event: 11, end: false, volume: 63, duration: 65535 });
    expect(parseTelephoneEvent(bytes, 12)).toEqual({
      event: 11,
      end: false,
      volume: 63,
      duration: 65535,
    });
    expect(() =>
      writeTelephoneEvent(bytes, 0, { event: 1, end: false, volume: 64, duration: 0 }),
    ).toThrow(RangeError);
    expect(() => parseTelephoneEvent(bytes, 14)).toThrow(/4 octets/);
  });
});
