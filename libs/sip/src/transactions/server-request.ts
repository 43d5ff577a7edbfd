import type { ParsedMessage } from '../messages/parse-message';
import type { SipRequest, SipResponse } from '../messages/sip-message';
import type { Peer } from '../transports/sip-transport';
import { TransactionError, TransactionErrorCode } from './transaction.error';
import { notify, type TransactionEnvironment } from './transaction-environment';

/** A new request as the transaction user sees it (RFC 3261 17.2). */
export interface ServerRequest {
  readonly parsed: ParsedMessage;
  /** The request; its top Via already carries received/rport (RFC 3261 18.2.1, RFC 3581). */
  readonly request: SipRequest;
  readonly source: Peer;
  /** performance.now() when the transport read the request. */
  readonly receivedAt: number;
  /**
   * Sends a response through the server transaction to the Via-derived target. An INVITE 2xx
   * is retransmitted over unreliable transports until its ACK (13.3.1.4). Throws
   * TransactionError: AlreadyAnswered after a final response (except further 2xx to an INVITE,
   * RFC 6026), NotAnswerable for an ACK, InvalidResponse for a status outside 100-699.
   */
  respond(response: SipResponse): void;
  /** True until a final response was sent; always false for an ACK. */
  readonly pending: boolean;
  /**
   * Called when a CANCEL matched this INVITE before its final response (9.2); the TU then
   * answers 487. Called at once when the request is already cancelled.
   */
  onCancel(listener: () => void): void;
  readonly cancelled: boolean;
  /** Called when no ACK came for our 2xx within 64*T1 (13.3.1.4); the TU then sends BYE. */
  onAckTimeout(listener: () => void): void;
  /**
   * Runs `listener` once the 2xx to this INVITE has its ACK or the wait for it timed out: RFC
   * 3261 section 15 lets the callee's side send BYE only then. At once when that already
   * happened or when no 2xx awaits an ACK.
   */
  afterAck(listener: () => void): void;
}

/** How a ServerRequest answers: through its transaction, or not at all (an ACK). */
export interface Responder {
  respond(response: SipResponse): void;
  readonly pending: boolean;
}

/** The ServerRequest the layer hands out. */
export class IncomingRequest implements ServerRequest {
  readonly parsed: ParsedMessage;
  readonly request: SipRequest;
  readonly source: Peer;
  readonly #env: TransactionEnvironment;
  readonly #responder: Responder | null;
  #cancelled = false;
  #cancelListeners: (() => void)[] = [];
  #ackTimeoutListeners: (() => void)[] = [];
  #ackAwaited = false;
  #afterAckListeners: (() => void)[] = [];

  constructor(
    env: TransactionEnvironment,
    parsed: ParsedMessage,
    request: SipRequest,
    source: Peer,
    responder: Responder | null,
    readonly receivedAt: number = performance.now(),
  ) {
    this.#env = env;
    this.parsed = parsed;
    this.request = request;
    this.source = source;
    this.#responder = responder;
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  get pending(): boolean {
    return this.#responder?.pending ?? false;
  }

  respond(response: SipResponse): void {
    if (this.#responder === null) {
      throw new TransactionError(
        TransactionErrorCode.NotAnswerable,
        `a ${this.request.method} is never answered (RFC 3261 17.1.1.3)`,
      );
    }
    this.#responder.respond(response);
    // 9.2: a CANCEL after the final response changes nothing. Its listeners (a call, say) go
    // now, not with the transaction, which the layer keeps for 32 s after a 2xx.
    if (response.status >= 200) this.#cancelListeners = [];
    // Only a 2xx awaits an ACK of its own (13.3.1.4); a failure's ACK is the transaction's.
    if (response.status >= 300) this.#ackTimeoutListeners = [];
  }

  onCancel(listener: () => void): void {
    if (this.#cancelled) notify(this.#env, listener);
    else if (this.pending) this.#cancelListeners.push(listener);
  }

  onAckTimeout(listener: () => void): void {
    this.#ackTimeoutListeners.push(listener);
  }

  afterAck(listener: () => void): void {
    if (this.#ackAwaited) this.#afterAckListeners.push(listener);
    else notify(this.#env, listener);
  }

  /** Our 2xx went out (13.3.1.4): its ACK is awaited from now on. */
  awaitAck(): void {
    this.#ackAwaited = true;
  }

  /**
   * The ACK for our 2xx arrived. The ACK-timeout listeners go with it: the layer keeps this
   * request 32 s more (RFC 6026), and they would keep the call they belong to as long.
   */
  acknowledged(): void {
    this.#ackTimeoutListeners = [];
    this.#ackWaitOver();
  }

  /** A CANCEL matched (9.2): fires the cancel listeners once. */
  markCancelled(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const listeners = this.#cancelListeners;
    this.#cancelListeners = [];
    for (const l of listeners) notify(this.#env, l);
  }

  /** No ACK for our 2xx (13.3.1.4): fires the ACK-timeout listeners once. */
  ackTimedOut(): void {
    const listeners = this.#ackTimeoutListeners;
    this.#ackTimeoutListeners = [];
    for (const l of listeners) notify(this.#env, l);
    this.#ackWaitOver();
  }

  #ackWaitOver(): void {
    this.#ackAwaited = false;
    const listeners = this.#afterAckListeners;
    this.#afterAckListeners = [];
    for (const l of listeners) notify(this.#env, l);
  }
}
