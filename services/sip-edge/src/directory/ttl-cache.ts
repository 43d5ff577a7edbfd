import { ownString, type MaybePromise } from '@pbx/domain';

interface Entry<V> {
  /** The key as stored: a hit re-inserts the entry under it, not under the caller's copy. */
  readonly key: string;
  readonly value: V;
  readonly expiresAt: number;
}

export interface TtlCacheOptions {
  readonly ttlMs: number;
  /**
   * How long past its TTL an entry is still served while a reload runs in the background
   * (stale-while-revalidate); 0, the default, waits for the reload instead. Keeps the store's
   * latency out of a hot path for entries in use, at the price of one more use of an old value.
   */
  readonly staleMs?: number;
  readonly maxEntries: number;
  /** Milliseconds; a monotonic clock is best (performance.now). */
  readonly now: () => number;
}

/**
 * A bounded map whose entries live `ttlMs`: least recently used first out (a Map keeps insertion
 * order; a hit re-inserts). Loads go through `get(key, load)`, which shares one load among
 * concurrent callers and does not cache a value loaded across an invalidation, so an entry can
 * never be older than the last `invalidate` of its key.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, { readonly generation: number; promise: Promise<V> }>();
  readonly #options: TtlCacheOptions;
  #generation = 0;

  constructor(options: TtlCacheOptions) {
    if (
      !(options.ttlMs > 0) ||
      !Number.isSafeInteger(options.maxEntries) ||
      options.maxEntries < 1
    ) {
      throw new RangeError('a cache needs a positive TTL and room for at least one entry');
    }
    if (options.staleMs !== undefined && !(options.staleMs >= 0)) {
      throw new RangeError('a cache serves stale entries for zero or more milliseconds');
    }
    this.#options = options;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * The value at once when it is cached (stale ones included, see staleMs), else its load.
   * `load` learns whether anyone waits for it: `background` is true for the reload of a stale
   * entry that was served, which a loader may put off to read several at once.
   */
  get(key: string, load: (background: boolean) => Promise<V>): MaybePromise<V> {
    const now = this.#options.now();
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      if (entry.expiresAt > now) {
        this.#entries.delete(key);
        this.#entries.set(entry.key, entry);
        return entry.value;
      }
      if (entry.expiresAt + (this.#options.staleMs ?? 0) > now) {
        // A failed background reload keeps the old value until it is too stale to serve.
        this.#load(key, () => load(true)).catch(() => undefined);
        return entry.value;
      }
      this.#entries.delete(key);
    }
    return this.#load(key, () => load(false));
  }

  /** Loads `key` once for all concurrent callers; caches the value unless invalidated meanwhile. */
  #load(key: string, load: () => Promise<V>): Promise<V> {
    const inFlight = this.#loading.get(key);
    if (inFlight !== undefined && inFlight.generation === this.#generation) return inFlight.promise;
    const generation = this.#generation;
    const promise = load().then(
      (value) => {
        if (this.#loading.get(key)?.promise === promise) this.#loading.delete(key);
        if (generation === this.#generation) this.#set(key, value);
        return value;
      },
      (error: unknown) => {
        if (this.#loading.get(key)?.promise === promise) this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, { generation, promise });
    return promise;
  }

  /**
   * The entry for `key` without loading it, as get() would serve it (stale ones included):
   * `{ value }`, or undefined when get() would have to wait for a load.
   */
  peek(key: string): { readonly value: V } | undefined {
    const entry = this.#entries.get(key);
    const servedUntil = (entry?.expiresAt ?? 0) + (this.#options.staleMs ?? 0);
    return entry !== undefined && servedUntil > this.#options.now() ? entry : undefined;
  }

  invalidate(key: string): void {
    this.#generation += 1;
    this.#entries.delete(key);
    this.#loading.delete(key);
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
    this.#loading.clear();
  }

  #set(key: string, value: V): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    const own = ownString(key);
    this.#entries.set(own, {
      key: own,
      value,
      expiresAt: this.#options.now() + this.#options.ttlMs,
    });
  }
}
