import type { ParsedMessage } from '../messages/parse-message';
import type { SipRequest } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import type { ClientTransactionListener, ClientTransactionMachine } from './client-transaction';
import { checkTransition, type TransitionTable } from './state-transition';
import { startTimer, stopTimer, type TimerHandle } from './timers';
import { TransactionError, TransactionErrorCode } from './transaction.error';
import { asError, notify, type TransactionEnvironment } from './transaction-environment';

/** RFC 3261 17.1.2.2 figure 6. */
export enum NonInviteClientState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteClientState;
const TRANSITIONS: TransitionTable<NonInviteClientState> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

export interface NonInviteClientTransactionInit {
  readonly env: TransactionEnvironment;
  /** The request with our Via on top. */
  readonly request: SipRequest;
  readonly branch: string;
  readonly target: Peer;
  readonly listener: ClientTransactionListener;
  readonly onTerminated: () => void;
}

/** The non-INVITE client transaction (RFC 3261 17.1.2). */
export class NonInviteClientTransaction implements ClientTransactionMachine {
  readonly branch: string;
  readonly request: SipRequest;
  readonly #env: TransactionEnvironment;
  readonly #init: NonInviteClientTransactionInit;
  readonly #reliable: boolean;
  #state = S.Trying;
  #timerE: TimerHandle | undefined;
  #intervalE: number;
  #timerF: TimerHandle | undefined;
  #timerK: TimerHandle | undefined;

  constructor(init: NonInviteClientTransactionInit) {
    this.#init = init;
    this.#env = init.env;
    this.branch = init.branch;
    this.request = init.request;
    this.#reliable = init.env.isReliable(init.target);
    this.#intervalE = init.env.timers.E;
  }

  get state(): NonInviteClientState {
    return this.#state;
  }

  /** Throws TransactionError(IllegalTransition) on a move figure 6 does not allow. */
  stateTransition(to: NonInviteClientState): void {
    checkTransition('non-INVITE client', TRANSITIONS, this.#state, to);
    this.#state = to;
    if (to === S.Terminated) {
      this.#clearTimers();
      this.#init.onTerminated();
    }
  }

  /** 17.1.2.2: send the request, start Timer E (unreliable only) and Timer F. */
  start(): void {
    this.#send();
    if (!this.#reliable) this.#timerE = startTimer(this.#intervalE, () => this.#onTimerE());
    this.#timerF = startTimer(this.#env.timers.F, () => this.#onTimerF());
  }

  receiveResponse(response: ParsedMessage): void {
    if (response.message.kind !== 'response') return;
    const status = response.message.status;
    if (this.#state === S.Completed) {
      this.#env.counters.absorbed++;
      return;
    }
    if (this.#state === S.Terminated) return;
    const listener = this.#init.listener;
    if (status < 200) {
      if (this.#state === S.Trying) this.stateTransition(S.Proceeding);
      if (listener.onProvisional !== undefined)
        notify(this.#env, () => listener.onProvisional?.(response));
      return;
    }
    // 17.1.2.2: a final response → Completed, Timer K (zero on reliable transports).
    this.#timerE = stopTimer(this.#timerE);
    this.#timerF = stopTimer(this.#timerF);
    this.stateTransition(S.Completed);
    notify(this.#env, () => listener.onFinal(response));
    const k = this.#env.timers.K(this.#reliable);
    if (k === 0) this.#terminateIf(S.Completed);
    else this.#startTimerK(k);
  }

  /** Outside the method above, whose closures share its response (see #startTimerM of INVITE). */
  #startTimerK(ms: number): void {
    this.#timerK = startTimer(ms, () => this.#terminateIf(S.Completed));
  }

  cancel(): void {
    // RFC 3261 9.1: a UAC SHOULD NOT send CANCEL for a non-INVITE; we refuse to.
    throw new TransactionError(
      TransactionErrorCode.InvalidRequest,
      `a ${this.request.method} transaction cannot be cancelled (RFC 3261 9.1)`,
    );
  }

  dispose(): void {
    this.#clearTimers();
    this.#state = S.Terminated;
  }

  /** Timer E: retransmit, doubling up to T2 in Trying, every T2 in Proceeding (17.1.2.2). */
  #onTimerE(): void {
    if (this.#state !== S.Trying && this.#state !== S.Proceeding) return;
    this.#env.counters.retransmissions++;
    this.#send();
    const timers = this.#env.timers;
    this.#intervalE = this.#state === S.Trying ? timers.next(this.#intervalE, true) : timers.t2;
    this.#timerE = startTimer(this.#intervalE, () => this.#onTimerE());
  }

  #onTimerF(): void {
    this.#timerF = undefined;
    if (this.#state !== S.Trying && this.#state !== S.Proceeding) return;
    this.#env.counters.timeouts++;
    this.stateTransition(S.Terminated);
    notify(this.#env, () => this.#init.listener.onTimeout());
  }

  #terminateIf(state: NonInviteClientState): void {
    if (this.#state === state) this.stateTransition(S.Terminated);
  }

  /** 17.1.4: a transport error ends the transaction and is reported to the TU. */
  #send(): void {
    this.#env.send(this.request, this.#init.target).catch((e: unknown) => {
      if (this.#state !== S.Trying && this.#state !== S.Proceeding) return;
      this.stateTransition(S.Terminated);
      notify(this.#env, () => this.#init.listener.onTransportError(asError(e)));
    });
  }

  #clearTimers(): void {
    this.#timerE = stopTimer(this.#timerE);
    this.#timerF = stopTimer(this.#timerF);
    this.#timerK = stopTimer(this.#timerK);
  }
}
