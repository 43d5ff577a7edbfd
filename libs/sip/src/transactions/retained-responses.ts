import { ownString } from '@pbx/domain';
import { startInterval, stopInterval, type IntervalHandle } from './timers';

/**
 * The final responses of completed non-INVITE server transactions over UDP, kept as the bytes
 * that went on the wire so that a retransmitted request is answered again (RFC 3261 17.2.2,
 * Completed state) for at least Timer J.
 *
 * A state machine per transaction would keep its parsed request, its response and a timer alive
 * for the 32 s of Timer J: a registrar taking 10,000 REGISTERs a second then holds some 320,000
 * of them, and collecting that old generation was the largest single cost of the REGISTER path.
 * Here an entry is one Buffer in one of two generations that swap every `ttlMs`; dropping the
 * older one whole replaces the per-entry timers. An entry lives between `ttlMs` and twice that,
 * which only absorbs retransmissions a little longer than Timer J requires.
 */
export class RetainedResponses {
  #current = new Map<string, Buffer>();
  #previous = new Map<string, Buffer>();
  #rotation: IntervalHandle | undefined;

  constructor(readonly ttlMs: number) {
    if (!(ttlMs > 0)) throw new RangeError('retained responses need a positive lifetime');
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  /** Keeps `data` for the transaction `key`, replacing what was kept for it. */
  retain(key: string, data: Buffer): void {
    this.#rotation ??= startInterval(this.ttlMs, () => this.#rotate());
    this.#previous.delete(key);
    // The key is cut from the request: kept as it is, it would keep the whole request's text.
    this.#current.set(ownString(key), data);
  }

  get(key: string): Buffer | undefined {
    return this.#current.get(key) ?? this.#previous.get(key);
  }

  /** Forgets the transaction (its response could not be sent, so it never completed). */
  forget(key: string, data: Buffer): void {
    if (this.#current.get(key) === data) this.#current.delete(key);
    else if (this.#previous.get(key) === data) this.#previous.delete(key);
  }

  clear(): void {
    this.#rotation = stopInterval(this.#rotation);
    this.#current.clear();
    this.#previous.clear();
  }

  #rotate(): void {
    if (this.#current.size === 0 && this.#previous.size === 0) {
      // Idle: no timer keeps running for nothing; the next retain starts it again.
      this.#rotation = stopInterval(this.#rotation);
      return;
    }
    this.#previous = this.#current;
    this.#current = new Map();
  }
}
