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
   * Bounds memory whatever clients send: at most this many nonces (two when it is 1). Size it
   * above twice the number of nonces in use within one nonce lifetime; beyond it, clients are
   * asked for a fresh nonce (never let through).
   */
  readonly maxEntries?: number;
}

export const DEFAULT_NONCE_COUNT_CAPACITY = 50_000;

interface Entry {
  highest: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** Nonces recorded since a rotation, with the newest issue and expiry times among them. */
class Generation {
  readonly entries = new Map<string, Entry>();
  newestIssuedAt = Number.NEGATIVE_INFINITY;
  latestExpiresAt = Number.NEGATIVE_INFINITY;

  set(nonce: string, entry: Entry): void {
    this.entries.set(nonce, entry);
    if (entry.issuedAt > this.newestIssuedAt) this.newestIssuedAt = entry.issuedAt;
    if (entry.expiresAt > this.latestExpiresAt) this.latestExpiresAt = entry.expiresAt;
  }
}

/**
 * One process's tracker, bounded by `maxEntries` in two generations of half that each: nonces go
 * into the current one, a nonce used again from the previous one moves to the current one, and
 * when the current one is full the previous one is dropped whole (a generation whose nonces all
 * expired is dropped as soon as that is seen). So the nonces in use stay, and eviction is O(1)
 * where an LRU Map re-read from its front (with the holes its deletions leave) cost 4% of the
 * REGISTER path. Evicting a live entry would let its old nc values be replayed, so the tracker
 * remembers the newest issue time it has evicted and answers `forgotten` for any unknown nonce
 * issued no later than that: those nonces might be ones it dropped.
 */
export class InMemoryNonceCountTracker implements NonceCountTracker {
  readonly answersAtOnce = true;
  #current = new Generation();
  #previous = new Generation();
  readonly #generationSize: number;
  #forgottenUpTo = Number.NEGATIVE_INFINITY;

  constructor(options: InMemoryNonceCountTrackerOptions = {}) {
    const maxEntries = options.maxEntries ?? DEFAULT_NONCE_COUNT_CAPACITY;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new DigestAuthError(
        DigestAuthErrorCode.InvalidCapacity,
        'The nonce-count tracker needs room for at least one nonce',
        { maxEntries },
      );
    }
    this.#generationSize = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this.#current.entries.size + this.#previous.entries.size;
  }

  record(use: NonceCountUse): NonceCountOutcome {
    const current = this.#current.entries.get(use.nonce);
    if (current !== undefined && current.expiresAt > use.now) {
      if (use.nonceCount <= current.highest) return 'replay';
      current.highest = use.nonceCount;
      return 'fresh';
    }
    if (current !== undefined) this.#current.entries.delete(use.nonce);
    const previous = this.#previous.entries.get(use.nonce);
    if (previous !== undefined) this.#previous.entries.delete(use.nonce);
    this.#dropExpired(use.now);
    if (previous !== undefined && previous.expiresAt > use.now) {
      // In use again: it moves to the current generation with its history.
      this.#makeRoom(use.now);
      this.#current.set(use.nonce, previous);
      if (use.nonceCount <= previous.highest) return 'replay';
      previous.highest = use.nonceCount;
      return 'fresh';
    }
    if (use.issuedAt <= this.#forgottenUpTo) return 'forgotten';
    this.#makeRoom(use.now);
    this.#current.set(ownString(use.nonce), {
      highest: use.nonceCount,
      issuedAt: use.issuedAt,
      expiresAt: use.expiresAt,
    });
    return 'fresh';
  }

  /** Generations whose every nonce has expired go without a trace. */
  #dropExpired(now: number): void {
    if (this.#previous.latestExpiresAt <= now && this.#previous.entries.size > 0) {
      this.#previous = new Generation();
    }
    if (this.#current.latestExpiresAt <= now && this.#current.entries.size > 0) {
      this.#current = new Generation();
    }
  }

  #makeRoom(now: number): void {
    if (this.#current.entries.size < this.#generationSize) return;
    const dropped = this.#previous;
    if (dropped.latestExpiresAt > now) {
      this.#forgottenUpTo = Math.max(this.#forgottenUpTo, dropped.newestIssuedAt);
    }
    this.#previous = this.#current;
    this.#current = new Generation();
  }
}
