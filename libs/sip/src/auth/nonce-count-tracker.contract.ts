import type { NonceCountTracker, NonceCountUse } from './nonce-count-tracker';

const T0 = Date.UTC(2025, 0, 1);
const LIFETIME_MS = 300_000;

function use(nonce: string, nonceCount: number, now = T0): NonceCountUse {
  return { nonce, nonceCount, issuedAt: T0, expiresAt: T0 + LIFETIME_MS, now };
}

/**
 * The behaviour every NonceCountTracker adapter owes the verifier (CONVENTIONS.md, "One contract
 * suite per port"). `factory` returns an empty tracker per test.
 */
export function describeNonceCountTrackerContract(
  name: string,
  factory: () => NonceCountTracker | Promise<NonceCountTracker>,
): void {
  describe(`${name} (NonceCountTracker contract)`, () => {
    let tracker: NonceCountTracker;

    beforeEach(async () => {
      tracker = await factory();
    });

    it('accepts the first nonce count seen for a nonce', async () => {
      expect(await tracker.record(use('n1', 1))).toBe('fresh');
    });

    it('calls a repeated nonce count a replay', async () => {
      await tracker.record(use('n1', 1));
      expect(await tracker.record(use('n1', 1))).toBe('replay');
    });

    it('calls a lower nonce count a replay', async () => {
      await tracker.record(use('n1', 5));
      expect(await tracker.record(use('n1', 4))).toBe('replay');
    });

    it('accepts strictly increasing counts, gaps included', async () => {
      await tracker.record(use('n1', 1));
      expect(await tracker.record(use('n1', 2))).toBe('fresh');
      expect(await tracker.record(use('n1', 9))).toBe('fresh');
      expect(await tracker.record(use('n1', 9))).toBe('replay');
    });

    it('keeps each nonce its own history', async () => {
      await tracker.record(use('n1', 3));
      expect(await tracker.record(use('n2', 1))).toBe('fresh');
    });

    it('lets exactly one of two concurrent uses of the same count through', async () => {
      const outcomes = await Promise.all([
        tracker.record(use('n1', 1)),
        tracker.record(use('n1', 1)),
      ]);
      expect(outcomes.sort()).toEqual(['fresh', 'replay']);
    });
  });
}
