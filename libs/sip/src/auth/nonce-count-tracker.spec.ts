import { describeNonceCountTrackerContract } from './nonce-count-tracker.contract';
import { InMemoryNonceCountTracker, type NonceCountUse } from './nonce-count-tracker';

describeNonceCountTrackerContract(
  InMemoryNonceCountTracker.name,
  () => new InMemoryNonceCountTracker(),
);

const T0 = Date.UTC(2025, 0, 1);
const LIFETIME_MS = 300_000;

function use(
  nonce: string,
  nonceCount: number,
  fields: Partial<NonceCountUse> = {},
): NonceCountUse {
  const issuedAt = fields.issuedAt ?? T0;
  return { nonce, nonceCount, issuedAt, expiresAt: issuedAt + LIFETIME_MS, now: T0, ...fields };
}

describe(InMemoryNonceCountTracker.name, () => {
  it('stays within its bound under 100,000 distinct nonces', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 1_000 });
    for (let i = 0; i < 100_000; i += 1) {
      await tracker.record(use(`n${i}`, 1, { issuedAt: T0 + i }));
      expect(tracker.size).toBeLessThanOrEqual(1_000);
    }
    // Two generations of 500: the older goes whole when the newer is full.
    expect(tracker.size).toBeGreaterThanOrEqual(500);
  });

  it('keeps a nonce in use while others come and go, and never forgets one it keeps', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 10 });
    await tracker.record(use('phone', 1, { issuedAt: T0 }));
    for (let i = 0; i < 1_000; i += 1) {
      await tracker.record(use(`n${i}`, 1, { issuedAt: T0 + 1 + i }));
      // The phone uses its nonce again every third request: it is never evicted.
      if (i % 3 === 0) expect(await tracker.record(use('phone', i + 2))).toBe('fresh');
    }
    expect(await tracker.record(use('phone', 2))).toBe('replay');
    expect(await tracker.record(use('n3', 1, { issuedAt: T0 + 4 }))).toBe('forgotten');
  });

  it('never lets a nonce it evicted be replayed: it asks for a new nonce instead', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 2 });
    await tracker.record(use('old', 1, { issuedAt: T0 }));
    await tracker.record(use('a', 1, { issuedAt: T0 + 1 }));
    await tracker.record(use('b', 1, { issuedAt: T0 + 2 }));
    expect(await tracker.record(use('old', 1, { issuedAt: T0 }))).toBe('forgotten');
    // Nonces issued after the newest evicted one are still told apart.
    expect(await tracker.record(use('new', 1, { issuedAt: T0 + 3 }))).toBe('fresh');
  });

  it('evicts the least recently used nonce, not the oldest inserted', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 2 });
    await tracker.record(use('a', 1, { issuedAt: T0 + 1 }));
    await tracker.record(use('b', 1, { issuedAt: T0 + 2 }));
    await tracker.record(use('a', 2, { issuedAt: T0 + 1 }));
    await tracker.record(use('c', 1, { issuedAt: T0 + 3 }));
    expect(await tracker.record(use('a', 2, { issuedAt: T0 + 1 }))).toBe('replay');
    expect(await tracker.record(use('b', 2, { issuedAt: T0 + 2 }))).toBe('forgotten');
  });

  it('drops expired entries without marking anything forgotten', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 1 });
    await tracker.record(use('a', 1, { issuedAt: T0 }));
    const later = T0 + LIFETIME_MS;
    expect(await tracker.record(use('b', 1, { issuedAt: later - 10, now: later }))).toBe('fresh');
    expect(await tracker.record(use('c', 1, { issuedAt: later - 20, now: later }))).toBe('fresh');
  });

  it('sweeps expired entries so a quiet tracker shrinks as nonces expire', async () => {
    const tracker = new InMemoryNonceCountTracker({ maxEntries: 100 });
    for (let i = 0; i < 5; i += 1) await tracker.record(use(`n${i}`, 1));
    const later = T0 + LIFETIME_MS;
    await tracker.record(use('fresh', 1, { issuedAt: later, now: later }));
    expect(tracker.size).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => new InMemoryNonceCountTracker({ maxEntries: 0 })).toThrow(/at least one/);
  });
});
