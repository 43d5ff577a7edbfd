import { buildResponse } from '../messages/build-response';
import type { SipRequest, SipResponse } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import {
  alreadyAnswered,
  assertResponseStatus,
  sendResponse,
  type ServerTransactionInit,
  type ServerTransactionMachine,
} from './server-transaction';
import { checkTransition, type TransitionTable } from './state-transition';
import { startTimer, stopTimer, type TimerHandle } from './timers';
import type { TransactionEnvironment } from './transaction-environment';

/** RFC 3261 17.2.1 figure 7, with the Accepted state of RFC 6026 7.1. */
export enum InviteServerState {
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteServerState;
const TRANSITIONS: TransitionTable<InviteServerState> = {
  [S.Proceeding]: [S.Completed, S.Accepted, S.Terminated],
  [S.Completed]: [S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

/** 17.2.1: the server transaction answers 100 itself when the TU has not within 200 ms. */
export const AUTO_TRYING_DELAY_MS = 200;

/** What an ACK matching the transaction means (17.2.1, RFC 6026 7.1). */
export type AckDisposition = 'absorbed' | 'to-transaction-user';

/** The INVITE server transaction (RFC 3261 17.2.1, RFC 6026 7.1). */
export class InviteServerTransaction implements ServerTransactionMachine {
  readonly request: SipRequest;
  readonly target: Peer;
  readonly #env: TransactionEnvironment;
  readonly #init: ServerTransactionInit;
  readonly #reliable: boolean;
  #state = S.Proceeding;
  #lastResponse: SipResponse | null = null;
  #trying: TimerHandle | undefined;
  #timerG: TimerHandle | undefined;
  #intervalG: number;
  #timerH: TimerHandle | undefined;
  #timerI: TimerHandle | undefined;
  #timerL: TimerHandle | undefined;

  constructor(init: ServerTransactionInit) {
    this.#init = init;
    this.#env = init.env;
    this.request = init.request;
    this.target = init.target;
    this.#reliable = init.env.isReliable(init.target);
    this.#intervalG = init.env.timers.G;
  }

  get state(): InviteServerState {
    return this.#state;
  }

  get lastResponse(): SipResponse | null {
    return this.#lastResponse;
  }

  get pending(): boolean {
    return this.#state === S.Proceeding;
  }

  /** Throws TransactionError(IllegalTransition) on a move figure 7 / RFC 6026 does not allow. */
  stateTransition(to: InviteServerState): void {
    checkTransition('INVITE server', TRANSITIONS, this.#state, to);
    this.#state = to;
    if (to === S.Terminated) {
      this.#clearTimers();
      this.#init.onTerminated();
    }
  }

  /** Arms the 100 Trying of 17.2.1 (cancelled by any response of the TU within 200 ms). */
  start(): void {
    this.#trying = startTimer(AUTO_TRYING_DELAY_MS, () => {
      this.#trying = undefined;
      if (this.#state === S.Proceeding && this.#lastResponse === null)
        this.#send(buildResponse(this.request, 100));
    });
  }

  respond(response: SipResponse): void {
    assertResponseStatus(response);
    const status = response.status;
    if (this.#state === S.Accepted && status >= 200 && status < 300) {
      // RFC 6026 7.1: further 2xx from the TU are passed to the transport.
      this.#send(response);
      return;
    }
    if (this.#state !== S.Proceeding) throw alreadyAnswered(this.request, this.#state);
    this.#trying = stopTimer(this.#trying);
    if (status < 200) {
      this.#send(response);
    } else if (status < 300) {
      // RFC 6026 7.1: 2xx → Accepted and Timer L; the 2xx retransmissions belong to the TU.
      this.stateTransition(S.Accepted);
      this.#send(response);
      this.#timerL = startTimer(this.#env.timers.L, () => this.#terminateIf(S.Accepted));
    } else {
      // 17.2.1: 300-699 → Completed, Timer G (unreliable only) and Timer H.
      this.stateTransition(S.Completed);
      this.#send(response);
      if (!this.#reliable) this.#timerG = startTimer(this.#intervalG, () => this.#onTimerG());
      this.#timerH = startTimer(this.#env.timers.H, () => this.#onTimerH());
    }
  }

  receiveRetransmission(): void {
    this.#env.counters.absorbed++;
    // 17.2.1: replay the last provisional (Proceeding) or the final (Completed); RFC 6026 7.1:
    // in Accepted the INVITE is absorbed (the TU retransmits its 2xx on its own).
    if ((this.#state === S.Proceeding || this.#state === S.Completed) && this.#lastResponse) {
      this.#env.counters.retransmissions++;
      this.#send(this.#lastResponse);
    }
  }

  /** An ACK with this transaction's branch (17.2.3). */
  receiveAck(): AckDisposition {
    switch (this.#state) {
      case S.Completed: {
        // 17.2.1: the ACK of a non-2xx final → Confirmed, Timer I (zero on reliable transports).
        this.#timerG = stopTimer(this.#timerG);
        this.#timerH = stopTimer(this.#timerH);
        this.stateTransition(S.Confirmed);
        const i = this.#env.timers.I(this.#reliable);
        if (i === 0) this.stateTransition(S.Terminated);
        else this.#timerI = startTimer(i, () => this.#terminateIf(S.Confirmed));
        return 'absorbed';
      }
      case S.Accepted:
        // RFC 6026 7.1: an ACK matching an Accepted transaction goes to the TU.
        return 'to-transaction-user';
      default:
        this.#env.counters.absorbed++;
        return 'absorbed';
    }
  }

  dispose(): void {
    this.#clearTimers();
    this.#state = S.Terminated;
  }

  #onTimerG(): void {
    if (this.#state !== S.Completed || this.#lastResponse === null) return;
    this.#env.counters.retransmissions++;
    this.#send(this.#lastResponse);
    this.#intervalG = this.#env.timers.next(this.#intervalG, true);
    this.#timerG = startTimer(this.#intervalG, () => this.#onTimerG());
  }

  /** 17.2.1: no ACK within 64*T1 → Terminated (counted as a timeout). */
  #onTimerH(): void {
    this.#timerH = undefined;
    if (this.#state !== S.Completed) return;
    this.#env.counters.timeouts++;
    this.stateTransition(S.Terminated);
  }

  #terminateIf(state: InviteServerState): void {
    if (this.#state === state) this.stateTransition(S.Terminated);
  }

  #send(response: SipResponse): void {
    this.#lastResponse = response;
    sendResponse(this.#env, response, this.target, () => {
      if (this.#state !== S.Terminated) this.stateTransition(S.Terminated);
    });
  }

  #clearTimers(): void {
    this.#trying = stopTimer(this.#trying);
    this.#timerG = stopTimer(this.#timerG);
    this.#timerH = stopTimer(this.#timerH);
    this.#timerI = stopTimer(this.#timerI);
    this.#timerL = stopTimer(this.#timerL);
  }
}
