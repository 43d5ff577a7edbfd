import { ownString, type MaybePromise } from '@pbx/domain';
import { DigestAuthError, DigestAuthErrorCode } from './digest-auth.error';

export interface NonceCountUse {
  readonly nonce: string;
  /** The nc parameter as a number (RFC 7616 section 3.4: 8 hex digits). */
  readonly nonceCount: number;
  /** From the nonce itself, so that a tracker can tell a new nonce from a forgotten one. */
  readonly issuedAt: number;
  /**
   * After this the nonce is refused anyway, so its history may be dropped: entries expire with
   * their nonce, not after a lifetime of their own that could end first.
   */
  readonly expiresAt: number;
  readonly now: number;
}

/**
 * - `fresh`: nc is higher than any seen for this nonce, and is now remembered.
 * - `replay`: nc was seen already, or a higher one was.
 * - `forgotten`: the tracker may have dropped this nonce's history to stay within its bound, so
 *   it cannot tell; the caller should ask for a new nonce (stale=true) rather than accept.
 */
export type NonceCountOutcome = 'fresh' | 'replay' | 'forgotten';

/**
 * Replay protection for qop=auth (RFC 7616 section 3.3): nc must strictly increase per nonce.
 * `record` checks and remembers in one atomic step; a shared store (Redis) answers with a Promise,
 * one in the process at once.
 */
export interface NonceCountTracker {
  record(use: NonceCountUse): MaybePromise<NonceCountOutcome>;
  /** True when record() never returns a Promise (the counts are kept in the process). */
  readonly answersAtOnce?: boolean;
}

export interface InMemoryNonceCountTrackerOptions {
  /**
   * Bounds memory whatever clients send. Size it above the number of nonces in use within one
   * nonce lifetime; beyond it, clients are asked for a fresh nonce (never let through).
   */
  readonly maxEntries?: number;
}

export const DEFAULT_NONCE_COUNT_CAPACITY = 50_000;
const SWEEP_PER_CALL = 8;

interface Entry {
  highest: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/**
 * One process's tracker: a Map in least-recently-used order (re-inserted on each use), bounded
 * by `maxEntries`. Evicting a live entry would let its old nc values be replayed, so the tracker
 * remembers the newest issue time it has evicted and answers `forgotten` for any unknown nonce
 * issued no later than that: those nonces might be ones it dropped.
 */
export class InMemoryNonceCountTracker implements NonceCountTracker {
  readonly answersAtOnce = true;
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: InMemoryNonceCountTrackerOptions = {}) {
    this.#maxEntries = options.maxEntries ?? DEFAULT_NONCE_COUNT_CAPACITY;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new DigestAuthError(
        DigestAuthErrorCode.InvalidCapacity,
        'The nonce-count tracker needs room for at least one nonce',
        { maxEntries: this.#maxEntries },
      );
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  record(use: NonceCountUse): NonceCountOutcome {
    const existing = this.#entries.get(use.nonce);
    if (existing !== undefined && existing.expiresAt > use.now) {
      this.#entries.delete(use.nonce);
      this.#entries.set(use.nonce, existing);
      if (use.nonceCount <= existing.highest) return 'replay';
      existing.highest = use.nonceCount;
      return 'fresh';
    }
    this.#entries.delete(use.nonce);
    if (use.issuedAt <= this.#forgottenUpTo) return 'forgotten';
    this.#makeRoom(use.now);
    this.#entries.set(ownString(use.nonce), {
      highest: use.nonceCount,
      issuedAt: use.issuedAt,
      expiresAt: use.expiresAt,
    });
    return 'fresh';
  }

  #makeRoom(now: number): void {
    // Expired entries at the cold end go first, a few per call so no single call is slow.
    for (let swept = 0; swept < SWEEP_PER_CALL; swept += 1) {
      const first = this.#entries.entries().next();
      if (first.done === true || first.value[1].expiresAt > now) break;
      this.#entries.delete(first.value[0]);
    }
    while (this.#entries.size >= this.#maxEntries) {
      const [nonce, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(nonce);
      if (oldest.expiresAt > now) {
        this.#forgottenUpTo = Math.max(this.#forgottenUpTo, oldest.issuedAt);
      }
    }
  }
}
