import { SourceLatch } from './source-latch';

const SDP = { address: '10.0.0.7', port: 4000 };

describe(SourceLatch.name, () => {
  it('sends to the SDP address until the first packet, then to its source', () => {
    const latch = new SourceLatch();
    latch.expect(SDP);
    expect([latch.address, latch.port, latch.latched]).toEqual(['10.0.0.7', 4000, false]);
    expect(latch.accept('198.51.100.1', 61000, 0)).toBe(true);
    expect([latch.address, latch.port, latch.latched]).toEqual(['198.51.100.1', 61000, true]);
  });

  it('refuses other sources while the latched one is active, and takes one after 2 s of silence', () => {
    const latch = new SourceLatch();
    latch.expect(SDP);
    latch.accept('198.51.100.1', 61000, 0);
    expect(latch.accept('198.51.100.1', 61000, 1_000)).toBe(true);
    expect(latch.accept('198.51.100.66', 61000, 2_500)).toBe(false);
    expect(latch.accept('198.51.100.1', 61002, 3_000)).toBe(false);
    expect(latch.accept('198.51.100.9', 7000, 3_001)).toBe(true);
    expect([latch.address, latch.port]).toEqual(['198.51.100.9', 7000]);
  });

  it('reopens on new SDP, keeping the latched destination when the SDP names the same place', () => {
    const latch = new SourceLatch();
    latch.expect(SDP);
    latch.accept('198.51.100.1', 61000, 0);
    latch.expect(SDP);
    expect([latch.address, latch.port, latch.latched]).toEqual(['198.51.100.1', 61000, false]);
    expect(latch.accept('198.51.100.2', 61000, 10)).toBe(true);
    latch.expect({ address: '10.0.0.8', port: 5000 });
    expect([latch.address, latch.port]).toEqual(['10.0.0.8', 5000]);
  });

  it('has no destination before any SDP or packet, nor after c=0.0.0.0 hold', () => {
    const latch = new SourceLatch();
    expect(latch.address).toBeNull();
    latch.expect(SDP);
    latch.accept('198.51.100.1', 61000, 0);
    latch.expect(null);
    expect(latch.address).toBeNull();
    // A held phone that still sends is latched again: it is where the phone is.
    expect(latch.accept('198.51.100.1', 61000, 10)).toBe(true);
    expect(latch.address).toBe('198.51.100.1');
  });
});
