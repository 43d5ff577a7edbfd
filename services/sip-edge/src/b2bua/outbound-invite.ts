import {
  answerDigestChallenge,
  buildRequest,
  Dialog,
  pickDigestChallenge,
  randomToken,
  type ClientTransaction,
  type ParsedMessage,
  type Peer,
  type SipRequest,
} from '@pbx/sip';
import type { B2buaContext } from './b2bua-context';

export interface OutboundInviteParams {
  readonly requestUri: string;
  /** To value, without tag. */
  readonly to: string;
  /** From value, without tag. */
  readonly from: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly sdp?: string;
  readonly target: Peer;
  /** The device this fork rings, when it rings one. */
  readonly deviceId?: string;
  /** A trunk's credentials: a 401/407 from the carrier is answered once. */
  readonly credentials?: { readonly username: string; readonly password: string };
}

export interface OutboundInviteListener {
  onProvisional(fork: OutboundInvite, response: ParsedMessage): void;
  onAnswered(fork: OutboundInvite, response: ParsedMessage): void;
  onFailed(fork: OutboundInvite, status: number): void;
}

type ForkState = 'calling' | 'early' | 'answered' | 'failed' | 'cancelled';

/**
 * One INVITE the B2BUA sends towards a callee (one per registered contact when forking, RFC 3261
 * 16.6 done by a UAC core), with its own Call-ID and From tag, i.e. its own future dialog.
 */
export class OutboundInvite {
  readonly callId = `${randomToken()}${randomToken()}`;
  readonly fromTag = randomToken();
  #state: ForkState = 'calling';
  #cseq = 1;
  #transaction: ClientTransaction | undefined;
  #request: SipRequest | undefined;
  #authenticated = false;
  #cancelReason: readonly (readonly [string, string])[] | undefined;
  #dialog: Dialog | undefined;

  constructor(
    private readonly ctx: B2buaContext,
    readonly params: OutboundInviteParams,
    listener: OutboundInviteListener,
  ) {
    this.#listener = listener;
  }

  /**
   * The call this fork reports to, until its outcome is told: the transaction keeps this fork
   * 32 s after a 2xx to ACK retransmissions again (RFC 6026), and through the listener it kept
   * every ended call (7,000 of them at 230 calls/s) and made each young-generation GC copy them.
   */
  #listener: OutboundInviteListener | null;

  get state(): ForkState {
    return this.#state;
  }

  get dialog(): Dialog | undefined {
    return this.#dialog;
  }

  /**
   * Sends the INVITE. A request that cannot even leave (a contact registered over a transport
   * this edge does not listen on, through another edge sharing the bindings) fails the fork with
   * 503 on the next turn, as a send failure would, instead of throwing into the call's setup.
   */
  start(): void {
    this.#sendOrFail([]);
  }

  /** CANCEL (RFC 3261 9.1); the fork then ends with 487 or, racing, a 2xx the caller must BYE. */
  cancel(reason: readonly (readonly [string, string])[] = []): void {
    if (this.#state !== 'calling' && this.#state !== 'early') return;
    this.#state = 'cancelled';
    this.#cancelReason = reason;
    this.#transaction?.cancel(reason);
  }

  #sendOrFail(extra: readonly (readonly [string, string])[]): void {
    try {
      this.#send(extra);
    } catch (error) {
      this.ctx.log.warn(
        { err: error, callId: this.callId, target: this.params.target },
        'INVITE to a callee contact could not be sent',
      );
      queueMicrotask(() => this.#fail(503));
    }
  }

  #send(extra: readonly (readonly [string, string])[]): void {
    const p = this.params;
    const request = buildRequest({
      method: 'INVITE',
      requestUri: p.requestUri,
      from: { value: p.from, tag: this.fromTag },
      to: { value: p.to },
      callId: this.callId,
      cseq: this.#cseq,
      contact: `<${this.ctx.transport.contactUri(p.target.protocol)}>`,
      headers: [...p.headers, ...extra],
      body: p.sdp === undefined ? undefined : Buffer.from(p.sdp),
      contentType: p.sdp === undefined ? undefined : 'application/sdp',
    });
    this.#request = request;
    this.#transaction = this.ctx.layer.sendRequest(request, p.target, {
      onProvisional: (response) => {
        if (this.#state === 'calling') this.#state = 'early';
        if (this.#state === 'early') this.#listener?.onProvisional(this, response);
      },
      onFinal: (response) => this.#onFinal(response),
      on2xxRetransmission: (response) => this.#ackAgain(response),
      onTimeout: () => this.#fail(408),
      onTransportError: () => this.#fail(503),
    });
  }

  #onFinal(response: ParsedMessage): void {
    if (response.message.kind !== 'response') return;
    const status = response.message.status;
    if (status >= 200 && status < 300) {
      this.#dialog = Dialog.asUac(this.#request as SipRequest, response);
      if (this.#state === 'cancelled' || this.#state === 'failed') {
        // Lost the race against our CANCEL (RFC 3261 9.1): confirm, then hang up at once.
        this.confirm();
        this.#bye();
        return;
      }
      this.#state = 'answered';
      const listener = this.#listener;
      this.#listener = null;
      listener?.onAnswered(this, response);
      return;
    }
    if ((status === 401 || status === 407) && this.#retryWithCredentials(response, status)) return;
    this.#fail(status);
  }

  #retryWithCredentials(response: ParsedMessage, status: number): boolean {
    const credentials = this.params.credentials;
    if (credentials === undefined || this.#authenticated || this.#state === 'cancelled') {
      return false;
    }
    const header = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const challenge = pickDigestChallenge(response.message.headers.getAll(header));
    if (challenge === undefined) return false;
    this.#authenticated = true;
    this.#cseq += 1;
    const answer = answerDigestChallenge({
      challenge,
      method: 'INVITE',
      uri: this.params.requestUri,
      username: credentials.username,
      password: credentials.password,
      nonceCount: 1,
    });
    this.#sendOrFail([[status === 401 ? 'Authorization' : 'Proxy-Authorization', answer]]);
    return true;
  }

  #fail(status: number): void {
    const was = this.#state;
    if (was === 'answered' || was === 'failed') return;
    this.#state = 'failed';
    const listener = this.#listener;
    this.#listener = null;
    listener?.onFailed(this, was === 'cancelled' ? 487 : status);
  }

  /** ACK for the 2xx (RFC 3261 13.2.2.4): its own transaction-less request. */
  #ack(sdp?: string): void {
    const dialog = this.#dialog;
    if (dialog === undefined) return;
    const ack = dialog.createAck(this.#cseq, sdp === undefined ? {} : { body: Buffer.from(sdp) });
    void this.ctx.layer.sendStateless(ack, this.params.target).catch(() => undefined);
  }

  /**
   * A further 2xx (RFC 6026 7.2). A retransmission of our dialog's 2xx is ACKed again, with the
   * same body, once confirm() has run: before that (late offer, the caller's answer still to come)
   * an ACK without the answer would end the offer/answer exchange (RFC 3264 section 5), and the
   * callee retransmits until the real ACK. A 2xx of another dialog (a forking proxy downstream)
   * is ACKed and released with BYE (RFC 3261 13.2.2.4).
   */
  #ackAgain(response: ParsedMessage): void {
    const dialog = this.#dialog;
    if (dialog === undefined || this.#request === undefined) return;
    const toTag = response.to.params.find((p) => p.name === 'tag')?.value ?? null;
    if (toTag === dialog.remoteTag) {
      if (this.#confirmed) this.#ack(this.#ackSdp);
      return;
    }
    let other: Dialog;
    try {
      other = Dialog.asUac(this.#request, response);
    } catch {
      return;
    }
    const ack = other.createAck(this.#cseq);
    void this.ctx.layer.sendStateless(ack, this.params.target).catch(() => undefined);
    this.#bye(other);
  }

  #ackSdp: string | undefined;
  #confirmed = false;

  /** Confirms the answered dialog; `sdp` when the caller's late-offer answer travels in the ACK. */
  confirm(sdp?: string): void {
    if (this.#confirmed) return;
    this.#confirmed = true;
    this.#ackSdp = sdp;
    this.#ack(sdp);
  }

  #bye(dialog: Dialog | undefined = this.#dialog): void {
    if (dialog === undefined) return;
    const { request } = dialog.createRequest('BYE', {
      headers: this.#cancelReason ? [...this.#cancelReason] : [],
    });
    this.ctx.layer.sendRequest(request, this.params.target, {
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }
}
