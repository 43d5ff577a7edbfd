export interface SourceRateLimitOptions {
  /** Requests one key may make within the window. */
  readonly limit: number;
  readonly windowMs: number;
  /** Bounds memory under a spray of addresses; the least recently seen go first. */
  readonly maxTracked?: number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
}

/**
 * A fixed-window request cap per key (a source address): the session endpoint issues a token on
 * every success, so even correct credentials must not be able to flood the token table.
 */
export class SourceRateLimit {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxTracked: number;
  readonly #now: () => number;

  constructor(options: SourceRateLimitOptions) {
    if (!Number.isSafeInteger(options.limit) || options.limit < 1) {
      throw new RangeError(`limit must be a whole number of at least 1, got ${options.limit}`);
    }
    if (!Number.isSafeInteger(options.windowMs) || options.windowMs < 1) {
      throw new RangeError(
        `windowMs must be a whole number of at least 1, got ${options.windowMs}`,
      );
    }
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#maxTracked = options.maxTracked ?? 100_000;
    this.#now = options.now ?? ((): number => performance.now());
  }

  /** Counts a request; false when the key is over its limit for the current window. */
  take(key: string): boolean {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window === undefined || now - window.start >= this.#windowMs) {
      window = { start: now, count: 0 };
    }
    this.#windows.delete(key);
    while (this.#windows.size >= this.#maxTracked) {
      const oldest = this.#windows.keys().next();
      if (oldest.done === true) break;
      this.#windows.delete(oldest.value);
    }
    this.#windows.set(key, window);
    window.count += 1;
    return window.count <= this.#limit;
  }
}
