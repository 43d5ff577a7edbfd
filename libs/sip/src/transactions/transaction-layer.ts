import { parseNameAddr } from '../grammar/name-addr';
import { parseCSeq } from '../grammar/scalar-headers';
import { buildResponse } from '../messages/build-response';
import { serializeMessage } from '../messages/serialize-message';
import type { ParsedMessage } from '../messages/parse-message';
import {
  SipHeaders,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../messages/sip-message';
import { responseTarget } from '../transports/response-target';
import type {
  InboundMessage,
  Peer,
  SipTransport,
  TransportProtocol,
} from '../transports/sip-transport';
import { stampTopVia } from '../transports/via-stamp';
import { newBranch } from './branch';
import type {
  ClientTransaction,
  ClientTransactionListener,
  ClientTransactionMachine,
} from './client-transaction';
import { InviteClientTransaction } from './invite-client-transaction';
import { InviteServerTransaction } from './invite-server-transaction';
import { InviteSuccessRetransmitter } from './invite-success-retransmitter';
import { NonInviteClientTransaction } from './non-invite-client-transaction';
import { NonInviteServerTransaction } from './non-invite-server-transaction';
import type { ServerTransactionMachine } from './server-transaction';
import { RetainedResponses } from './retained-responses';
import { IncomingRequest, type ServerRequest } from './server-request';
import { resolveTimerSettings, Timers, type TimerSettings } from './timers';
import { TransactionError, TransactionErrorCode } from './transaction.error';
import type { TransactionCounters, TransactionEnvironment } from './transaction-environment';
import {
  clientTransactionKey,
  serverTransactionKey,
  successAckKey,
  tagOf,
} from './transaction-key';

/**
 * Looks at a request no transaction matches before one is made for it; a response it returns is
 * sent without a transaction (RFC 3261 8.2.7, stateless UAS) and the request ends there.
 */
export type StatelessScreen = (inbound: InboundMessage) => SipResponse | null;

export interface TransactionLayerOptions {
  /** T1, T2, T4 in milliseconds (defaults 500, 4000, 5000, RFC 3261 17.1.1.1). */
  readonly timers?: Partial<TimerSettings>;
  /** Exceptions of transaction-user listeners and send failures no listener hears of. */
  readonly onError?: (error: unknown) => void;
}

/** A snapshot for metrics. */
export interface TransactionLayerStats {
  readonly serverTransactions: number;
  readonly clientTransactions: number;
  /** INVITE 2xx responses still retransmitted or waiting for their ACK window to end. */
  readonly acceptedInvites: number;
  /** Final responses of completed non-INVITE transactions kept for retransmitted requests. */
  readonly retainedResponses: number;
  /** Requests answered without a transaction by the stateless screen. */
  readonly statelessResponses: number;
  readonly retransmissions: number;
  readonly absorbed: number;
  readonly timeouts: number;
  readonly strayResponses: number;
  readonly errors: number;
}

interface ServerEntry {
  readonly tx: ServerTransactionMachine;
  /**
   * The request while a CANCEL may still reach it (9.2): null once it is finally answered, and
   * for a CANCEL, which the layer answers itself.
   */
  request: IncomingRequest | null;
}

/**
 * The SIP transaction layer (RFC 3261 17) over a SipTransport, with the parts of the UA core
 * that are the same for every TU: CANCEL handling (9.2), 2xx retransmission until the ACK
 * (13.3.1.4) and RFC 6026.
 */
export class TransactionLayer {
  readonly #transport: SipTransport;
  readonly #env: TransactionEnvironment;
  readonly #counters: TransactionCounters = {
    retransmissions: 0,
    absorbed: 0,
    timeouts: 0,
    strayResponses: 0,
    errors: 0,
  };
  readonly #servers = new Map<string, ServerEntry>();
  readonly #clients = new Map<string, ClientTransactionMachine>();
  readonly #accepted = new Map<string, InviteSuccessRetransmitter>();
  readonly #retained: RetainedResponses;
  #handler: ((request: ServerRequest) => void) | null = null;
  #screen: StatelessScreen | null = null;
  #statelessResponses = 0;
  #closed = false;

  constructor(transport: SipTransport, options: TransactionLayerOptions = {}) {
    this.#transport = transport;
    const timers = new Timers(resolveTimerSettings(options.timers));
    this.#retained = new RetainedResponses(timers.J(false));
    const counters = this.#counters;
    const onError = options.onError;
    this.#env = {
      timers,
      counters,
      isReliable: (peer) => transport.isReliable(peer.protocol),
      send: (message, target) => this.#send(message, target),
      reportError: (e) => {
        counters.errors++;
        if (onError === undefined) return;
        try {
          onError(e);
        } catch {
          // An error handler that throws has nowhere left to report to.
        }
      },
    };
    transport.onMessage((inbound) => this.#receive(inbound));
  }

  get timers(): Timers {
    return this.#env.timers;
  }

  get stats(): TransactionLayerStats {
    const c = this.#counters;
    return {
      serverTransactions: this.#servers.size,
      clientTransactions: this.#clients.size,
      acceptedInvites: this.#accepted.size,
      retainedResponses: this.#retained.size,
      statelessResponses: this.#statelessResponses,
      retransmissions: c.retransmissions,
      absorbed: c.absorbed,
      timeouts: c.timeouts,
      strayResponses: c.strayResponses,
      errors: c.errors,
    };
  }

  /**
   * The handler of new requests (retransmissions are absorbed below it), replacing any earlier
   * one. It gets ACKs for 2xx too (respond() throws on them). Until one is set, requests are
   * answered 503. The handler must answer every other request it gets.
   */
  onRequest(handler: (request: ServerRequest) => void): void {
    this.#handler = handler;
  }

  /**
   * The screen of new requests (not ACK or CANCEL), replacing any earlier one. A registrar
   * answers its first challenges here, so that a flood of unauthenticated requests creates no
   * transaction state (RFC 3261 8.2.7, 26.1.5).
   */
  setStatelessScreen(screen: StatelessScreen | null): void {
    this.#screen = screen;
  }

  /**
   * Sends a request in a new client transaction (RFC 3261 17.1): our Via with a new branch and
   * rport (RFC 3581) goes on top, then the request is sent and retransmitted per Timers A/E.
   * Throws TransactionError for an ACK (use sendStateless), a request without From, To, Call-ID
   * or a CSeq matching its method, or after close().
   */
  sendRequest(
    request: SipRequest,
    target: Peer,
    listener: ClientTransactionListener,
  ): ClientTransaction {
    this.#assertOpen();
    validateOutgoing(request);
    const branch = newBranch();
    const sent = this.#withVia(request, target.protocol, branch);
    const key = clientTransactionKey(branch, request.method);
    let tx: ClientTransactionMachine;
    const onTerminated = (): void => {
      if (this.#clients.get(key) === tx) this.#clients.delete(key);
    };
    if (request.method === 'INVITE') {
      tx = new InviteClientTransaction({
        env: this.#env,
        request: sent,
        branch,
        target,
        listener,
        onTerminated,
        sendCancel: (cancel, cancelTarget) => this.#startCancel(cancel, cancelTarget, branch),
      });
    } else {
      tx = new NonInviteClientTransaction({
        env: this.#env,
        request: sent,
        branch,
        target,
        listener,
        onTerminated,
      });
    }
    this.#clients.set(key, tx);
    tx.start();
    return tx;
  }

  /**
   * Sends a message outside any transaction: the ACK for a 2xx (13.2.2.4) or a response the TU
   * sends on its own. A request without a Via gets ours with a new branch first (an ACK for a 2xx
   * is its own transaction); to send the very same ACK again on each 2xx retransmission, stamp
   * it once with addVia() and pass the result every time.
   */
  sendStateless(message: SipMessage, target: Peer): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    const out =
      message.kind === 'request' && !message.headers.has('Via')
        ? this.addVia(message, target.protocol)
        : message;
    return this.#send(out, target);
  }

  /** A copy of `request` with our Via (new branch, rport) on top. */
  addVia(request: SipRequest, protocol: TransportProtocol): SipRequest {
    return this.#withVia(request, protocol, newBranch());
  }

  /**
   * For a DatagramScreen, which answers a request before it is parsed, about the server
   * transaction `key` (serverTransactionKeyOf) the request belongs to: 'absorbed' when it is a
   * retransmission of a request answered already (the answer was sent again, as 17.2.2 wants),
   * 'open' when a transaction is still working on it or the layer is closed (leave it to the
   * layer), 'new' otherwise.
   */
  screenedRequest(key: string, target: Peer): 'absorbed' | 'open' | 'new' {
    if (this.#closed || this.#servers.has(key)) return 'open';
    const retained = this.#retained.get(key);
    if (retained === undefined) return 'new';
    this.#counters.absorbed++;
    this.#counters.retransmissions++;
    this.#sendRetained(key, retained, target);
    return 'absorbed';
  }

  /**
   * Sends the final response (serialized) a DatagramScreen gave a 'new' request: kept for the
   * request's retransmissions as a completed non-INVITE transaction keeps it (17.2.2), or, when
   * `stateless`, sent without a transaction like the stateless screen's answers (8.2.7).
   */
  answerScreened(key: string, data: Buffer, target: Peer, stateless: boolean): void {
    if (this.#closed) return;
    if (stateless) this.#statelessResponses++;
    else this.#retained.retain(key, data);
    this.#sendRetained(key, data, target);
  }

  /** Stops every timer and forgets every transaction; later messages are ignored. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#servers.values()) entry.tx.dispose();
    for (const tx of this.#clients.values()) tx.dispose();
    for (const r of this.#accepted.values()) r.dispose();
    this.#servers.clear();
    this.#clients.clear();
    this.#accepted.clear();
    this.#retained.clear();
  }

  // ---- inbound --------------------------------------------------------------------------------

  #receive(inbound: InboundMessage): void {
    if (this.#closed) return;
    try {
      const message = inbound.parsed.message;
      if (message.kind === 'response') this.#receiveResponse(inbound.parsed);
      else if (message.method === 'ACK') this.#receiveAck(inbound, message);
      else this.#receiveRequest(inbound, message);
    } catch (e) {
      this.#env.reportError(e);
    }
  }

  /** 17.1.3: top Via branch + CSeq method; 8.1.3.3: more than one Via → discarded. */
  #receiveResponse(parsed: ParsedMessage): void {
    const branch = parsed.via.length === 1 ? parsed.via[0].branch : null;
    const tx =
      branch === null
        ? undefined
        : this.#clients.get(clientTransactionKey(branch, parsed.cseq.method));
    if (tx === undefined) {
      this.#counters.strayResponses++;
      return;
    }
    tx.receiveResponse(parsed);
  }

  #receiveRequest(inbound: InboundMessage, request: SipRequest): void {
    const parsed = inbound.parsed;
    const key = serverTransactionKey(parsed, request.method);
    const existing = this.#servers.get(key);
    if (existing !== undefined) {
      existing.tx.receiveRetransmission();
      return;
    }
    // RFC 3261 18.2.1, RFC 3581 4: a no-op when the transport already stamped the Via.
    stampTopVia(parsed, inbound.source.address, inbound.source.port);
    const target = responseTarget(parsed.via[0], inbound.source);
    const retained = this.#retained.get(key);
    if (retained !== undefined) {
      // 17.2.2 Completed: the request again, answered with the final response again.
      this.#counters.absorbed++;
      this.#counters.retransmissions++;
      this.#sendRetained(key, retained, target);
      return;
    }
    if (request.method === 'CANCEL') {
      this.#receiveCancel(parsed, request, target, key);
      return;
    }
    if (this.#screen !== null && this.#answeredStatelessly(inbound, target)) return;
    const isInvite = request.method === 'INVITE';
    const slot = this.#serverSlot(key);
    const init = { env: this.#env, request, target, onTerminated: slot.forget };
    const tx = isInvite
      ? new InviteServerTransaction(init)
      : new NonInviteServerTransaction({ ...init, retain: (r) => this.#retain(key, r, target) });
    const incoming: IncomingRequest = new IncomingRequest(
      this.#env,
      parsed,
      request,
      inbound.source,
      {
        respond: (response) => {
          tx.respond(response);
          if (response.status >= 200) entry.request = null;
          if (isInvite && response.status >= 200 && response.status < 300)
            this.#startAccepted(parsed, incoming, response, target);
        },
        get pending() {
          return tx.pending;
        },
      },
      inbound.receivedAt,
    );
    const entry: ServerEntry = { tx, request: incoming };
    slot.entry = entry;
    this.#servers.set(key, entry);
    tx.start();
    this.#dispatch(incoming);
  }

  /**
   * What a server transaction calls when it ends: made apart from #receiveRequest, whose scope
   * holds the parsed request and its IncomingRequest, which a closure made there would keep for
   * the transaction's whole life (32 s after a 2xx).
   */
  #serverSlot(key: string): { entry: ServerEntry | null; readonly forget: () => void } {
    const slot = {
      entry: null as ServerEntry | null,
      forget: (): void => {
        if (slot.entry !== null && this.#servers.get(key) === slot.entry) this.#servers.delete(key);
        slot.entry = null;
      },
    };
    return slot;
  }

  /**
   * 17.2.3 then 9.2: a new CANCEL gets its own non-INVITE server transaction; the layer answers
   * it 200 when it matches an INVITE transaction (and cancels that request if not yet finally
   * answered) and 481 when it matches none.
   */
  #receiveCancel(parsed: ParsedMessage, request: SipRequest, target: Peer, key: string): void {
    const onTerminated = (): void => {
      if (this.#servers.get(key) === entry) this.#servers.delete(key);
    };
    const tx = new NonInviteServerTransaction({
      env: this.#env,
      request,
      target,
      onTerminated,
      retain: (r) => this.#retain(key, r, target),
    });
    const entry: ServerEntry = { tx, request: null };
    this.#servers.set(key, entry);
    const invite = this.#servers.get(serverTransactionKey(parsed, 'INVITE'));
    if (invite === undefined || !(invite.tx instanceof InviteServerTransaction)) {
      tx.respond(buildResponse(request, 481));
      return;
    }
    // 9.2: the To tag of the 200 SHOULD be the one of the responses to the INVITE.
    const toTag = responseToTag(invite.tx.lastResponse);
    tx.respond(buildResponse(request, 200, toTag === null ? {} : { toTag }));
    if (invite.tx.pending) invite.request?.markCancelled();
  }

  /**
   * An ACK (17.2.3 with method INVITE): absorbed by an INVITE server transaction in Completed or
   * Confirmed (a non-2xx ACK); otherwise the ACK of a 2xx (13.3.1.4, RFC 6026 7.1), which stops
   * that 2xx's retransmissions and goes to the TU once (repeated ACKs are absorbed).
   */
  #receiveAck(inbound: InboundMessage, request: SipRequest): void {
    const parsed = inbound.parsed;
    const entry = this.#servers.get(serverTransactionKey(parsed, 'INVITE'));
    if (entry !== undefined && entry.tx instanceof InviteServerTransaction) {
      if (entry.tx.receiveAck() === 'absorbed') return;
    }
    const accepted = this.#accepted.get(
      successAckKey(parsed.callId, parsed.cseq.seq, tagOf(parsed.to) ?? ''),
    );
    if (accepted !== undefined && !accepted.acknowledge()) {
      this.#counters.absorbed++;
      return;
    }
    this.#dispatch(
      new IncomingRequest(this.#env, parsed, request, inbound.source, null, inbound.receivedAt),
    );
  }

  #dispatch(incoming: IncomingRequest): void {
    const handler = this.#handler;
    if (handler === null) {
      if (incoming.pending) incoming.respond(buildResponse(incoming.request, 503));
      return;
    }
    try {
      handler(incoming);
    } catch (e) {
      this.#env.reportError(e);
      if (incoming.pending) incoming.respond(buildResponse(incoming.request, 500));
    }
  }

  #answeredStatelessly(inbound: InboundMessage, target: Peer): boolean {
    let response: SipResponse | null;
    try {
      response = (this.#screen as StatelessScreen)(inbound);
    } catch (e) {
      // A broken screen costs the request its shortcut, not its answer.
      this.#env.reportError(e);
      return false;
    }
    if (response === null) return false;
    // 8.2.7: no provisional responses without a transaction.
    if (response.status < 200) {
      this.#env.reportError(
        new TransactionError(
          TransactionErrorCode.InvalidResponse,
          `a stateless response must be final, not ${response.status}`,
        ),
      );
      return false;
    }
    this.#statelessResponses++;
    this.#send(response, target).catch((e: unknown) => this.#env.reportError(e));
    return true;
  }

  /** Sends a completed non-INVITE transaction's final response and keeps it (17.2.2). */
  #retain(key: string, response: SipResponse, target: Peer): void {
    const data = serializeMessage(response);
    this.#retained.retain(key, data);
    this.#sendRetained(key, data, target);
  }

  #sendRetained(key: string, data: Buffer, target: Peer): void {
    if (this.#closed) return;
    this.#transport.sendSerialized(data, target).catch((e: unknown) => {
      // 17.2.4: the response could not be sent; the transaction is over.
      this.#retained.forget(key, data);
      this.#env.reportError(e);
    });
  }

  // ---- UAS core: the 2xx to an INVITE (13.3.1.4) ------------------------------------------

  #startAccepted(
    invite: ParsedMessage,
    incoming: IncomingRequest,
    response: SipResponse,
    target: Peer,
  ): void {
    const key = successAckKey(invite.callId, invite.cseq.seq, responseToTag(response) ?? '');
    this.#accepted.get(key)?.dispose();
    const retransmitter = new InviteSuccessRetransmitter(
      this.#env,
      response,
      target,
      incoming,
      this.#forgetAccepted(key),
    );
    this.#accepted.set(key, retransmitter);
    incoming.awaitAck();
    retransmitter.start();
  }

  /**
   * Made apart from #startAccepted: a closure made there would share its scope, and keep the
   * INVITE, its IncomingRequest (and through it the call) and the 2xx for the 32 s it waits.
   */
  #forgetAccepted(key: string): (done: InviteSuccessRetransmitter) => void {
    return (done) => {
      if (this.#accepted.get(key) === done) this.#accepted.delete(key);
    };
  }

  // ---- outbound -------------------------------------------------------------------------------

  /** 9.1: the CANCEL is a non-INVITE client transaction of its own, with the INVITE's branch. */
  #startCancel(cancel: SipRequest, target: Peer, branch: string): void {
    if (this.#closed) return;
    const key = clientTransactionKey(branch, 'CANCEL');
    const tx: NonInviteClientTransaction = new NonInviteClientTransaction({
      env: this.#env,
      request: cancel,
      branch,
      target,
      onTerminated: () => {
        if (this.#clients.get(key) === tx) this.#clients.delete(key);
      },
      listener: {
        // The INVITE's own final response (487 or a 2xx that crossed) is what the TU awaits.
        onFinal: () => undefined,
        onTimeout: () => undefined,
        onTransportError: (e) => this.#env.reportError(e),
      },
    });
    this.#clients.set(key, tx);
    tx.start();
  }

  #withVia(request: SipRequest, protocol: TransportProtocol, branch: string): SipRequest {
    const via = this.#transport.via(protocol);
    const value = `SIP/2.0/${via.transport} ${via.sentBy};branch=${branch};rport`;
    return {
      ...request,
      headers: new SipHeaders([{ name: 'Via', key: 'via', value }, ...request.headers.fields]),
    };
  }

  #send(message: SipMessage, target: Peer): Promise<void> {
    if (this.#closed) return Promise.resolve();
    try {
      return this.#transport.send(message, target);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw closedError();
  }
}

function closedError(): TransactionError {
  return new TransactionError(TransactionErrorCode.Closed, 'the transaction layer is closed');
}

function responseToTag(response: SipResponse | null): string | null {
  const to = response?.headers.get('To');
  if (to === undefined) return null;
  const parsed = parseNameAddr(to);
  return parsed.ok ? tagOf(parsed.value) : null;
}

/** The headers a client transaction and the CANCEL/ACK it may build rely on (8.1.1). */
function validateOutgoing(request: SipRequest): void {
  const fail = (detail: string): never => {
    throw new TransactionError(TransactionErrorCode.InvalidRequest, detail, {
      method: request.method,
    });
  };
  if (request.method === 'ACK')
    fail('an ACK is not a client transaction: send it with sendStateless (RFC 3261 17.1.1.3)');
  for (const name of ['From', 'To', 'Call-ID'])
    if (!request.headers.has(name)) fail(`the ${request.method} has no ${name}`);
  const cseq = request.headers.get('CSeq');
  const parsed = cseq === undefined ? undefined : parseCSeq(cseq);
  if (parsed === undefined || !parsed.ok || parsed.value.method !== request.method)
    fail(`the ${request.method} needs a CSeq with its method`);
}
