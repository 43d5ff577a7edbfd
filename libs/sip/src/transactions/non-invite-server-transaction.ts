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

/** RFC 3261 17.2.2 figure 8. */
export enum NonInviteServerState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteServerState;
const TRANSITIONS: TransitionTable<NonInviteServerState> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

/** The non-INVITE server transaction (RFC 3261 17.2.2). */
export class NonInviteServerTransaction implements ServerTransactionMachine {
  readonly request: SipRequest;
  readonly target: Peer;
  readonly #env: TransactionEnvironment;
  readonly #init: ServerTransactionInit;
  readonly #reliable: boolean;
  #state = S.Trying;
  #lastResponse: SipResponse | null = null;
  #timerJ: TimerHandle | undefined;
  #abandon: TimerHandle | undefined;

  constructor(init: ServerTransactionInit) {
    this.#init = init;
    this.#env = init.env;
    this.request = init.request;
    this.target = init.target;
    this.#reliable = init.env.isReliable(init.target);
  }

  get state(): NonInviteServerState {
    return this.#state;
  }

  get lastResponse(): SipResponse | null {
    return this.#lastResponse;
  }

  get pending(): boolean {
    return this.#state === S.Trying || this.#state === S.Proceeding;
  }

  /** Throws TransactionError(IllegalTransition) on a move figure 8 does not allow. */
  stateTransition(to: NonInviteServerState): void {
    checkTransition('non-INVITE server', TRANSITIONS, this.#state, to);
    this.#state = to;
    if (to === S.Terminated) {
      this.#timerJ = stopTimer(this.#timerJ);
      this.#abandon = stopTimer(this.#abandon);
      this.#init.onTerminated();
    }
  }

  /**
   * Guards against a TU that never answers: the client gives up after Timer F = 64*T1
   * (17.1.2.2), so a transaction still unanswered then is terminated and counted as a timeout.
   */
  start(): void {
    this.#abandon = startTimer(this.#env.timers.F, () => {
      this.#abandon = undefined;
      if (!this.pending) return;
      this.#env.counters.timeouts++;
      this.stateTransition(S.Terminated);
    });
  }

  respond(response: SipResponse): void {
    assertResponseStatus(response);
    if (!this.pending) throw alreadyAnswered(this.request, this.#state);
    if (response.status < 200) {
      if (this.#state === S.Trying) this.stateTransition(S.Proceeding);
      this.#send(response);
      return;
    }
    // 17.2.2: a final response → Completed, Timer J (zero on reliable transports).
    this.#abandon = stopTimer(this.#abandon);
    this.stateTransition(S.Completed);
    const j = this.#env.timers.J(this.#reliable);
    const retain = this.#init.retain;
    if (j !== 0 && retain !== undefined) {
      this.#lastResponse = response;
      retain(response);
      this.stateTransition(S.Terminated);
      return;
    }
    this.#send(response);
    if (j === 0) this.#terminateIf(S.Completed);
    else this.#timerJ = startTimer(j, () => this.#terminateIf(S.Completed));
  }

  /** 17.2.2: discarded in Trying, answered with the last response in Proceeding/Completed. */
  receiveRetransmission(): void {
    this.#env.counters.absorbed++;
    if (this.#state === S.Terminated || this.#lastResponse === null) return;
    this.#env.counters.retransmissions++;
    this.#send(this.#lastResponse);
  }

  dispose(): void {
    this.#timerJ = stopTimer(this.#timerJ);
    this.#abandon = stopTimer(this.#abandon);
    this.#state = S.Terminated;
  }

  #terminateIf(state: NonInviteServerState): void {
    if (this.#state === state) this.stateTransition(S.Terminated);
  }

  #send(response: SipResponse): void {
    this.#lastResponse = response;
    sendResponse(this.#env, response, this.target, () => {
      if (this.#state !== S.Terminated) this.stateTransition(S.Terminated);
    });
  }
}
