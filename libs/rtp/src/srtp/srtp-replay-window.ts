/** RFC 3711 §3.3.2: a receiver keeps a window of at least 64 packet indices. */
export const REPLAY_WINDOW = 64;

/**
 * The receive state of one SSRC: the rollover counter and highest sequence number seen (the
 * s_l of RFC 3711 §3.3.1) and which of the last 64 indices already arrived, kept as a ring of
 * flags indexed by packet index modulo 64.
 */
export class SrtpReplayWindow {
  roc = 0;
  highestSeq = 0;
  readonly #seen = new Uint8Array(REPLAY_WINDOW);

  constructor(firstSeq: number) {
    this.highestSeq = firstSeq;
  }

  /**
   * RFC 3711 §3.3.1 (Appendix A): the rollover counter the sender most likely used for `seq`;
   * -1 when the packet would lie before the stream's first packet.
   */
  estimateRoc(seq: number): number {
    const highest = this.highestSeq;
    if (highest < 0x8000) {
      return seq - highest > 0x8000 ? this.roc - 1 : this.roc;
    }
    return highest - 0x8000 > seq ? this.roc + 1 : this.roc;
  }

  /** True when index (roc, seq) is neither too old nor already received. */
  isFresh(roc: number, seq: number): boolean {
    const delta = roc * 0x10000 + seq - (this.roc * 0x10000 + this.highestSeq);
    if (delta > 0) return true;
    if (-delta >= REPLAY_WINDOW) return false;
    return this.#seen[(roc * 0x10000 + seq) % REPLAY_WINDOW] === 0;
  }

  /** Records an authenticated packet. */
  accept(roc: number, seq: number): void {
    const index = roc * 0x10000 + seq;
    const highest = this.roc * 0x10000 + this.highestSeq;
    if (index > highest) {
      const advance = Math.min(index - highest, REPLAY_WINDOW);
      for (let i = 1; i <= advance; i++) this.#seen[(highest + i) % REPLAY_WINDOW] = 0;
      this.roc = roc;
      this.highestSeq = seq;
    }
    this.#seen[index % REPLAY_WINDOW] = 1;
  }
}
