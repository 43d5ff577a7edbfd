import type { ParsedMessage } from '../messages/parse-message';
import type { SipRequest } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import { buildAckForFailure, buildCancel } from './client-requests';
import type { ClientTransactionListener, ClientTransactionMachine } from './client-transaction';
import { checkTransition, type TransitionTable } from './state-transition';
import { startTimer, stopTimer, type TimerHandle } from './timers';
import { asError, notify, type TransactionEnvironment } from './transaction-environment';

/** RFC 3261 17.1.1.2 figure 5, with the Accepted state of RFC 6026 7.2. */
export enum InviteClientState {
  Calling = 'Calling',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteClientState;
const TRANSITIONS: TransitionTable<InviteClientState> = {
  [S.Calling]: [S.Proceeding, S.Completed, S.Accepted, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Accepted, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

export interface InviteClientTransactionInit {
  readonly env: TransactionEnvironment;
  /** The INVITE with our Via on top. */
  readonly request: SipRequest;
  readonly branch: string;
  readonly target: Peer;
  readonly listener: ClientTransactionListener;
  /** Starts the CANCEL as its own non-INVITE client transaction (RFC 3261 9.1). */
  readonly sendCancel: (cancel: SipRequest, target: Peer) => void;
  readonly onTerminated: () => void;
}

/** The INVITE client transaction (RFC 3261 17.1.1, RFC 6026 7.2). */
export class InviteClientTransaction implements ClientTransactionMachine {
  readonly branch: string;
  readonly request: SipRequest;
  readonly #env: TransactionEnvironment;
  readonly #init: InviteClientTransactionInit;
  readonly #reliable: boolean;
  #state = S.Calling;
  #timerA: TimerHandle | undefined;
  #intervalA: number;
  #timerB: TimerHandle | undefined;
  #timerD: TimerHandle | undefined;
  #timerM: TimerHandle | undefined;
  /** 9.1: with no final response 64*T1 after the CANCEL, the INVITE counts as cancelled. */
  #cancelWait: TimerHandle | undefined;
  /** Extra CANCEL headers while waiting for a provisional response (9.1); null otherwise. */
  #pendingCancel: readonly (readonly [string, string])[] | null = null;
  #cancelled = false;
  #ack: SipRequest | null = null;

  constructor(init: InviteClientTransactionInit) {
    this.#init = init;
    this.#env = init.env;
    this.branch = init.branch;
    this.request = init.request;
    this.#reliable = init.env.isReliable(init.target);
    this.#intervalA = init.env.timers.A;
  }

  get state(): InviteClientState {
    return this.#state;
  }

  /** Throws TransactionError(IllegalTransition) on a move figure 5 / RFC 6026 does not allow. */
  stateTransition(to: InviteClientState): void {
    checkTransition('INVITE client', TRANSITIONS, this.#state, to);
    this.#state = to;
    if (to === S.Terminated) {
      this.#clearTimers();
      this.#init.onTerminated();
    }
  }

  /** 17.1.1.2: send the INVITE, start Timer A (unreliable only) and Timer B. */
  start(): void {
    this.#send(this.request, true);
    const timers = this.#env.timers;
    if (!this.#reliable) this.#timerA = startTimer(this.#intervalA, () => this.#onTimerA());
    this.#timerB = startTimer(timers.B, () => this.#onTimerB());
  }

  receiveResponse(response: ParsedMessage): void {
    if (response.message.kind !== 'response') return;
    const status = response.message.status;
    switch (this.#state) {
      case S.Calling:
      case S.Proceeding:
        if (status < 200) this.#onProvisional(response);
        else if (status < 300) this.#onSuccess(response);
        else this.#onFailure(response);
        return;
      case S.Completed:
        // 17.1.1.2: a retransmitted final response is answered with the same ACK, not passed up.
        this.#env.counters.absorbed++;
        if (status >= 300 && this.#ack !== null) {
          this.#env.counters.retransmissions++;
          this.#send(this.#ack, false);
        }
        return;
      case S.Accepted:
        // RFC 6026 7.2: every 2xx goes to the TU, which ACKs it; anything else is discarded.
        if (status >= 200 && status < 300) {
          const listener = this.#init.listener;
          if (listener.on2xxRetransmission !== undefined)
            notify(this.#env, () => listener.on2xxRetransmission?.(response));
        } else {
          this.#env.counters.absorbed++;
        }
        return;
      case S.Terminated:
        return;
    }
  }

  cancel(headers: readonly (readonly [string, string])[] = []): void {
    if (this.#cancelled || this.#pendingCancel !== null) return;
    if (this.#state === S.Calling) this.#pendingCancel = headers;
    else if (this.#state === S.Proceeding) this.#sendCancel(headers);
  }

  dispose(): void {
    this.#clearTimers();
    this.#state = S.Terminated;
  }

  #onProvisional(response: ParsedMessage): void {
    if (this.#state === S.Calling) {
      // 17.1.1.2: no more retransmissions once a provisional response arrived; Timer B only
      // matters in Calling.
      this.stateTransition(S.Proceeding);
      this.#timerA = stopTimer(this.#timerA);
      this.#timerB = stopTimer(this.#timerB);
    }
    if (this.#pendingCancel !== null) {
      const headers = this.#pendingCancel;
      this.#pendingCancel = null;
      this.#sendCancel(headers);
    }
    const listener = this.#init.listener;
    if (listener.onProvisional !== undefined)
      notify(this.#env, () => listener.onProvisional?.(response));
  }

  /** RFC 6026 7.2: 2xx → Accepted, Timer M; the TU sends the ACK (13.2.2.4). */
  #onSuccess(response: ParsedMessage): void {
    this.#clearTimers();
    this.#pendingCancel = null;
    this.stateTransition(S.Accepted);
    this.#startTimerM();
    notify(this.#env, () => this.#init.listener.onFinal(response));
  }

  /**
   * Timers that run 32 s are started outside the methods that hand a response to a closure:
   * closures made in one call share its variables, and Timer M's or D's would keep the response
   * (SDP and all) as long as the timer runs.
   */
  #startTimerM(): void {
    this.#timerM = startTimer(this.#env.timers.M, () => this.stateTransition(S.Terminated));
  }

  #startTimerD(ms: number): void {
    this.#timerD = startTimer(ms, () => this.#terminateIf(S.Completed));
  }

  /** 17.1.1.2: 300-699 → ACK it here, Completed, Timer D. */
  #onFailure(response: ParsedMessage): void {
    this.#clearTimers();
    this.#pendingCancel = null;
    this.stateTransition(S.Completed);
    this.#ack = buildAckForFailure(this.request, response);
    this.#send(this.#ack, false);
    notify(this.#env, () => this.#init.listener.onFinal(response));
    const d = this.#env.timers.D(this.#reliable);
    if (d === 0) this.#terminateIf(S.Completed);
    else this.#startTimerD(d);
  }

  #onTimerA(): void {
    if (this.#state !== S.Calling) return;
    this.#env.counters.retransmissions++;
    this.#send(this.request, true);
    this.#intervalA = this.#env.timers.next(this.#intervalA, false);
    this.#timerA = startTimer(this.#intervalA, () => this.#onTimerA());
  }

  #onTimerB(): void {
    this.#timerB = undefined;
    if (this.#state !== S.Calling) return;
    this.#timeout();
  }

  #timeout(): void {
    this.#env.counters.timeouts++;
    this.stateTransition(S.Terminated);
    notify(this.#env, () => this.#init.listener.onTimeout());
  }

  #sendCancel(headers: readonly (readonly [string, string])[]): void {
    this.#cancelled = true;
    this.#init.sendCancel(buildCancel(this.request, headers), this.#init.target);
    this.#cancelWait = startTimer(this.#env.timers.B, () => {
      this.#cancelWait = undefined;
      if (this.#state === S.Calling || this.#state === S.Proceeding) this.#timeout();
    });
  }

  #terminateIf(state: InviteClientState): void {
    if (this.#state === state) this.stateTransition(S.Terminated);
  }

  /** Sends; a failure of the INVITE (`fatal`) ends the transaction (17.1.4), of an ACK is logged. */
  #send(message: SipRequest, fatal: boolean): void {
    this.#env.send(message, this.#init.target).catch((e: unknown) => {
      if (!fatal || (this.#state !== S.Calling && this.#state !== S.Proceeding)) {
        if (this.#state !== S.Terminated) this.#env.reportError(e);
        return;
      }
      this.stateTransition(S.Terminated);
      notify(this.#env, () => this.#init.listener.onTransportError(asError(e)));
    });
  }

  #clearTimers(): void {
    this.#timerA = stopTimer(this.#timerA);
    this.#timerB = stopTimer(this.#timerB);
    this.#timerD = stopTimer(this.#timerD);
    this.#timerM = stopTimer(this.#timerM);
    this.#cancelWait = stopTimer(this.#cancelWait);
  }
}
