import type { SipResponse } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import { startTimer, stopTimer, type TimerHandle } from './timers';
import type { TransactionEnvironment } from './transaction-environment';

/**
 * The UAS core's side of a 2xx to an INVITE (RFC 3261 13.3.1.4, RFC 6026 7.1): over unreliable
 * transports the 2xx is sent again at T1, doubling up to T2, until its ACK; with no ACK after
 * 64*T1 (on any transport) `onAckTimeout` runs and the TU ends the session with BYE. After the
 * ACK it stays until that deadline, so that the ACKs the UAC repeats are absorbed.
 */
export class InviteSuccessRetransmitter {
  readonly #env: TransactionEnvironment;
  readonly #response: SipResponse;
  readonly #target: Peer;
  readonly #onAckTimeout: () => void;
  readonly #onAcked: () => void;
  readonly #onDone: () => void;
  #acked = false;
  #interval: number;
  #retransmit: TimerHandle | undefined;
  #deadline: TimerHandle | undefined;

  constructor(
    env: TransactionEnvironment,
    response: SipResponse,
    target: Peer,
    onAckTimeout: () => void,
    onAcked: () => void,
    onDone: () => void,
  ) {
    this.#env = env;
    this.#response = response;
    this.#target = target;
    this.#onAckTimeout = onAckTimeout;
    this.#onAcked = onAcked;
    this.#onDone = onDone;
    this.#interval = env.timers.t1;
  }

  get acked(): boolean {
    return this.#acked;
  }

  start(): void {
    if (!this.#env.isReliable(this.#target))
      this.#retransmit = startTimer(this.#interval, () => this.#onRetransmit());
    this.#deadline = startTimer(64 * this.#env.timers.t1, () => this.#onDeadline());
  }

  /** The ACK arrived: true the first time, false for a repeated ACK. */
  acknowledge(): boolean {
    if (this.#acked) return false;
    this.#acked = true;
    this.#retransmit = stopTimer(this.#retransmit);
    this.#onAcked();
    return true;
  }

  dispose(): void {
    this.#retransmit = stopTimer(this.#retransmit);
    this.#deadline = stopTimer(this.#deadline);
  }

  #onRetransmit(): void {
    if (this.#acked) return;
    this.#env.counters.retransmissions++;
    this.#env.send(this.#response, this.#target).catch((e: unknown) => this.#env.reportError(e));
    this.#interval = this.#env.timers.next(this.#interval, true);
    this.#retransmit = startTimer(this.#interval, () => this.#onRetransmit());
  }

  #onDeadline(): void {
    this.#deadline = undefined;
    this.#retransmit = stopTimer(this.#retransmit);
    if (!this.#acked) {
      this.#env.counters.timeouts++;
      this.#onAckTimeout();
    }
    this.#onDone();
  }
}
