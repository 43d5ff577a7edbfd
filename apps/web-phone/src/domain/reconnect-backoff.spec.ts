import { RECONNECT_BACKOFF, reconnectDelayMs } from './reconnect-backoff';

describe(reconnectDelayMs.name, () => {
  it('retries at once first, then doubles from the base up to the cap', () => {
    const middle = 0.5; // no jitter
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => reconnectDelayMs(n, middle))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(reconnectDelayMs(10_000, middle)).toBe(RECONNECT_BACKOFF.maxMs);
  });

  it('spreads each delay by the jitter but never beyond the cap', () => {
    expect(reconnectDelayMs(3, 0)).toBe(1_600);
    expect(reconnectDelayMs(3, 0.999999)).toBe(2_400);
    expect(reconnectDelayMs(20, 0.999999)).toBe(30_000);
  });

  it('refuses an attempt number that is not a whole number from 1', () => {
    expect(() => reconnectDelayMs(0, 0.5)).toThrow(RangeError);
    expect(() => reconnectDelayMs(1.5, 0.5)).toThrow(RangeError);
  });
});
