import type { TransportAddress } from '@pbx/rtp';

/** After this much silence from the latched source, another source may take its place. */
export const RELATCH_SILENCE_MS = 2_000;

/**
 * Symmetric RTP (RFC 4961) for one socket: where the relay sends to the side it faces. A phone
 * behind NAT writes its private address in SDP, so the relay sends to the SDP address only until
 * the side's first packet arrives, and from then on to that packet's source ("latching").
 * Packets from any other source are refused while the latched one is active; once it has been
 * silent for RELATCH_SILENCE_MS (the NAT binding moved, the phone roamed) the next source is
 * latched instead. A new offer or answer from the side reopens latching.
 *
 * `address`/`port` are public fields read by the relay for every packet it sends; null address:
 * nowhere to send yet.
 */
export class SourceLatch {
  address: string | null = null;
  port = 0;
  #latched = false;
  #lastSeenAt = 0;
  /** The destination the side's latest SDP gave. */
  #described: TransportAddress | null = null;
  readonly #silenceMs: number;

  constructor(silenceMs: number = RELATCH_SILENCE_MS) {
    this.#silenceMs = silenceMs;
  }

  get latched(): boolean {
    return this.#latched;
  }

  /**
   * The side's SDP says where it receives (null: nowhere, RFC 2543 hold). Latching reopens; the
   * current destination is kept when the SDP names the place its previous SDP named, so that a
   * re-INVITE from a NATed phone does not send media to its private address until it speaks
   * again.
   */
  expect(destination: TransportAddress | null): void {
    this.#latched = false;
    const previous = this.#described;
    this.#described = destination;
    if (destination === null) {
      this.address = null;
      return;
    }
    const unchanged =
      previous !== null &&
      previous.address === destination.address &&
      previous.port === destination.port;
    if (!unchanged || this.address === null) {
      this.address = destination.address;
      this.port = destination.port;
    }
  }

  /** A packet came from `address`:`port`; true when the relay takes it. Allocates nothing. */
  accept(address: string, port: number, now: number): boolean {
    if (this.#latched) {
      if (port === this.port && address === this.address) {
        this.#lastSeenAt = now;
        return true;
      }
      if (now - this.#lastSeenAt <= this.#silenceMs) return false;
    }
    this.address = address;
    this.port = port;
    this.#latched = true;
    this.#lastSeenAt = now;
    return true;
  }
}
