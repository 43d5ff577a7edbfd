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
/** Who waits for the 2xx's ACK: told once, of the ACK or of its absence. */
export interface AckWaiter {
  acknowledged(): void;
  ackTimedOut(): void;
}

export class InviteSuccessRetransmitter {
  readonly #env: TransactionEnvironment;
  /** The 2xx and who waits for its ACK, until the ACK comes: then only the deadline is left. */
  #response: SipResponse | null;
  #waiter: AckWaiter | null;
  readonly #target: Peer;
  readonly #onDone: (done: InviteSuccessRetransmitter) => void;
  #acked = false;
  #interval: number;
  #retransmit: TimerHandle | undefined;
  #deadline: TimerHandle | undefined;

  /**
   * `onDone` runs at the deadline. It is kept as long as this is (32 s), so it must not hold the
   * request or the call: the caller makes it where nothing else is in scope.
   */
  constructor(
    env: TransactionEnvironment,
    response: SipResponse,
    target: Peer,
    waiter: AckWaiter,
    onDone: (done: InviteSuccessRetransmitter) => void,
  ) {
    this.#env = env;
    this.#response = response;
    this.#target = target;
    this.#waiter = waiter;
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
    const waiter = this.#waiter;
    // Repeated ACKs are absorbed until the deadline; nothing else of the call is needed for that.
    this.#waiter = null;
    this.#response = null;
    waiter?.acknowledged();
    return true;
  }

  dispose(): void {
    this.#retransmit = stopTimer(this.#retransmit);
    this.#deadline = stopTimer(this.#deadline);
  }

  #onRetransmit(): void {
    if (this.#acked || this.#response === null) return;
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
      const waiter = this.#waiter;
      this.#waiter = null;
      this.#response = null;
      waiter?.ackTimedOut();
    }
    this.#onDone(this);
  }
}
