import { MediaError, MediaErrorCode } from '@pbx/telephony';
import { type PortPairBinder, isAddressInUse } from './port-pair-binder';
import { type PortRange, rtpPortsOf } from './port-range';

/** A bound RTP/RTCP port pair handed out by the pool; give it back with `release`. */
export interface PortPairLease<S> {
  readonly rtpPort: number;
  readonly rtcpPort: number;
  readonly sockets: S;
}

/**
 * The RTP/RTCP port pairs of PBX_RTP_PORTS (even RTP port, RTCP on the next odd one,
 * RFC 3550 §11). A pair is taken by binding both sockets, so a port that another process holds
 * is skipped rather than handed out. Free pairs form a queue: a released pair goes to its back
 * and is reused last, so that late packets of an ended call rarely reach the next one.
 */
export class RtpPortPool<S> {
  readonly #range: PortRange;
  readonly #binder: PortPairBinder<S>;
  /** Free RTP ports in the order they are handed out; `#head` is the first one. */
  #free: number[];
  #head = 0;
  readonly #leased = new Set<PortPairLease<S>>();
  readonly #capacity: number;
  #skippedBusy = 0;

  constructor(range: PortRange, binder: PortPairBinder<S>) {
    this.#range = range;
    this.#binder = binder;
    this.#free = rtpPortsOf(range);
    this.#capacity = this.#free.length;
    if (this.#free.length === 0) {
      throw new RangeError(`${range.start}-${range.end} holds no RTP/RTCP port pair`);
    }
  }

  /** Number of pairs in the range. */
  get capacity(): number {
    return this.#capacity;
  }

  /** Pairs handed out and not yet released. */
  get inUse(): number {
    return this.#leased.size;
  }

  /** Times a pair was skipped because another process held one of its ports. */
  get skippedBusy(): number {
    return this.#skippedBusy;
  }

  /** Binds the next free pair; throws MediaError NoPorts when none can be bound. */
  async acquire(): Promise<PortPairLease<S>> {
    // Each free pair is tried at most once per call; a busy one goes to the back of the queue.
    for (let tries = this.#free.length - this.#head; tries > 0; tries--) {
      const rtpPort = this.#take();
      try {
        const sockets = await this.#binder.bind(rtpPort, rtpPort + 1);
        const lease: PortPairLease<S> = { rtpPort, rtcpPort: rtpPort + 1, sockets };
        this.#leased.add(lease);
        return lease;
      } catch (error) {
        this.#give(rtpPort);
        if (!isAddressInUse(error)) throw error;
        this.#skippedBusy++;
      }
    }
    throw new MediaError(
      MediaErrorCode.NoPorts,
      `no free RTP port pair in ${this.#range.start}-${this.#range.end} ` +
        `(${this.#leased.size} in use)`,
    );
  }

  /** Closes the pair's sockets and puts it at the back of the queue. Idempotent. */
  async release(lease: PortPairLease<S>): Promise<void> {
    if (!this.#leased.delete(lease)) return;
    try {
      await this.#binder.unbind(lease.sockets);
    } finally {
      this.#give(lease.rtpPort);
    }
  }

  #take(): number {
    const port = this.#free[this.#head++];
    // Compact now and then so the queue does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#free.length) {
      this.#free = this.#free.slice(this.#head);
      this.#head = 0;
    }
    return port;
  }

  #give(rtpPort: number): void {
    this.#free.push(rtpPort);
  }
}
