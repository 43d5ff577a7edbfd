import { isTokenString } from '../grammar/char-classes';
import { findParam } from '../grammar/parameters';
import { MAX_CSEQ, parseCallId, parseCSeq } from '../grammar/scalar-headers';
import { isSipUri } from '../grammar/uri';
import { appendContentType, appendExtra } from '../messages/build-request';
import type { ParsedMessage } from '../messages/parse-message';
import { SIP_VERSION, SipHeaders, type SipRequest } from '../messages/sip-message';
import { tagOf } from '../transactions/transaction-key';
import { readAddress } from './address-text';
import { DialogError, DialogErrorCode } from './dialog.error';

export interface InDialogRequestOptions {
  /** Appended after the dialog's header fields (e.g. Contact for a target refresh, Reason). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  /** Required with a non-empty body unless `headers` has a Content-Type. */
  readonly contentType?: string;
}

export interface AckOptions {
  readonly headers?: readonly (readonly [string, string])[];
  /** The answer of a late offer (RFC 3264), so Content-Type defaults to application/sdp. */
  readonly body?: Buffer;
  readonly contentType?: string;
}

export interface InDialogRequest {
  /** The request without a Via: the transaction layer adds it. */
  readonly request: SipRequest;
  /** The URI the next hop is resolved from (RFC 3261 8.1.2): the first route, else the target. */
  readonly targetUri: string;
}

interface DialogInit {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  readonly localUri: string;
  readonly remoteUri: string;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localSeq: number;
  readonly remoteSeq: number | null;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  readonly secure: boolean;
}

function invalid(message: string, details: Record<string, unknown> = {}): DialogError {
  return new DialogError(DialogErrorCode.InvalidDialogMessage, message, details);
}

function header(message: { headers: SipHeaders }, name: string): string {
  const value = message.headers.get(name);
  if (value === undefined) throw invalid(`missing ${name}`);
  return value;
}

/** The first Contact URI (12.1.1, 12.1.2: the remote target). */
function contactUri(message: { headers: SipHeaders }): string {
  const first = message.headers.getAll('Contact')[0];
  if (first === undefined || first.trim() === '*')
    throw invalid('a dialog-creating message needs a Contact (RFC 3261 12.1)');
  return readAddress(first, 'Contact').uri;
}

function recordRoute(message: { headers: SipHeaders }): string[] {
  return message.headers.getAll('Record-Route').map((v) => readAddress(v, 'Record-Route').uri);
}

function isSips(uri: string): boolean {
  return uri.slice(0, 5).toLowerCase() === 'sips:';
}

/**
 * A dialog (RFC 3261 12): the state shared by the two UAs of an INVITE-created session, and the
 * requests inside it. The remote tag is '' when an RFC 2543 peer sent no From tag (12.1.1).
 */
export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** From URI for the UAC, To URI for the UAS (12.1.1, 12.1.2). */
  readonly localUri: string;
  readonly remoteUri: string;
  /** The From value of our requests, with our tag. */
  readonly localAddress: string;
  /** The To value of our requests, with the remote tag (if any). */
  readonly remoteAddress: string;
  /** Route URIs in the order our requests list them. */
  readonly routeSet: readonly string[];
  /** Request-URI was sips: (12.1.1; that it came over TLS is the caller's to check). */
  readonly secure: boolean;
  #localSeq: number;
  #remoteSeq: number | null;
  #remoteTarget: string;

  private constructor(init: DialogInit) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localUri = init.localUri;
    this.remoteUri = init.remoteUri;
    this.localAddress = init.localAddress;
    this.remoteAddress = init.remoteAddress;
    this.routeSet = Object.freeze([...init.routeSet]);
    this.secure = init.secure;
    this.#localSeq = init.localSeq;
    this.#remoteSeq = init.remoteSeq;
    this.#remoteTarget = init.remoteTarget;
  }

  /**
   * The UAC side (12.1.2), from the INVITE we sent and a 101-299 response with a To tag and a
   * Contact: local = From, remote = To of the response, route set = its Record-Route reversed.
   * Throws DialogError(InvalidDialogMessage) otherwise.
   */
  static asUac(invite: SipRequest, response: ParsedMessage): Dialog {
    const message = response.message;
    if (message.kind !== 'response' || message.status <= 100 || message.status >= 300)
      throw invalid('only a 101-299 response creates a dialog (RFC 3261 12.1)');
    const remoteTag = tagOf(response.to);
    if (remoteTag === null) throw invalid('the response has no To tag (RFC 3261 12.1.2)');
    const from = readAddress(header(invite, 'From'), 'From');
    const localTag = tagOf(from.address);
    if (localTag === null) throw invalid('the INVITE has no From tag');
    const cseq = parseCSeq(header(invite, 'CSeq'));
    if (!cseq.ok) throw invalid('the INVITE has a bad CSeq');
    const callId = parseCallId(header(invite, 'Call-ID'));
    if (!callId.ok) throw invalid('the INVITE has a bad Call-ID');
    return new Dialog({
      callId: callId.value,
      localTag,
      remoteTag,
      localUri: from.uri,
      remoteUri: readAddress(header(message, 'To'), 'To').uri,
      localAddress: header(invite, 'From'),
      remoteAddress: header(message, 'To'),
      localSeq: cseq.value.seq,
      remoteSeq: null,
      remoteTarget: contactUri(message),
      routeSet: recordRoute(message).reverse(),
      secure: isSips(invite.requestUri),
    });
  }

  /**
   * The UAS side (12.1.1), from the INVITE received and the tag we put in our responses' To:
   * remote = From, route set = Record-Route in order, remote CSeq = the INVITE's, local CSeq
   * empty (our first request gets 1). Throws DialogError on an INVITE that cannot create one.
   */
  static asUas(invite: ParsedMessage, localTag: string): Dialog {
    const message = invite.message;
    if (message.kind !== 'request')
      throw invalid('asUas needs the request that creates the dialog');
    if (!isTokenString(localTag))
      throw new DialogError(DialogErrorCode.InvalidRequest, 'the local tag must be a token');
    if (tagOf(invite.to) !== null) throw invalid('the request already has a To tag (in-dialog)');
    const to = header(message, 'To');
    return new Dialog({
      callId: invite.callId,
      localTag,
      remoteTag: tagOf(invite.from) ?? '',
      localUri: readAddress(to, 'To').uri,
      remoteUri: readAddress(header(message, 'From'), 'From').uri,
      localAddress: `${to};tag=${localTag}`,
      remoteAddress: header(message, 'From'),
      localSeq: 0,
      remoteSeq: invite.cseq.seq,
      remoteTarget: contactUri(message),
      routeSet: recordRoute(message),
      secure: isSips(message.requestUri),
    });
  }

  get id(): string {
    return `${this.callId};${this.localTag};${this.remoteTag}`;
  }

  get localSeq(): number {
    return this.#localSeq;
  }

  /** null while empty (a UAC dialog before the first request from the peer). */
  get remoteSeq(): number | null {
    return this.#remoteSeq;
  }

  /** The remote Contact URI, where in-dialog requests go (12.2.1.1). */
  get remoteTarget(): string {
    return this.#remoteTarget;
  }

  /**
   * A request inside the dialog (12.2.1.1) with CSeq = ++localSeq: BYE, re-INVITE, UPDATE, INFO,
   * REFER... Not ACK (createAck) nor CANCEL (ClientTransaction.cancel). Throws DialogError.
   */
  createRequest(method: string, options: InDialogRequestOptions = {}): InDialogRequest {
    if (!isTokenString(method) || method === 'ACK' || method === 'CANCEL') {
      throw new DialogError(
        DialogErrorCode.InvalidRequest,
        `${JSON.stringify(method)} cannot be built by createRequest`,
      );
    }
    if (this.#localSeq >= MAX_CSEQ)
      throw new DialogError(DialogErrorCode.CSeqExhausted, 'the local CSeq reached 2^31-1');
    const seq = ++this.#localSeq;
    return this.#build(method, seq, options.headers, options.body, options.contentType);
  }

  /**
   * The ACK for a 2xx to the INVITE (or re-INVITE) with CSeq `inviteCSeq` (13.2.2.4): same
   * CSeq number, method ACK, Request-URI and Route as any in-dialog request, and no Via: send it
   * with TransactionLayer.sendStateless, which adds one with a new branch (an ACK for a 2xx is a
   * transaction of its own, 17.1.1.3).
   */
  createAck(inviteCSeq: number, options: AckOptions = {}): SipRequest {
    if (!Number.isInteger(inviteCSeq) || inviteCSeq < 0 || inviteCSeq > MAX_CSEQ)
      throw new DialogError(DialogErrorCode.InvalidRequest, `bad INVITE CSeq ${inviteCSeq}`);
    const body = options.body ?? Buffer.alloc(0);
    const contentType = options.contentType ?? (body.length > 0 ? 'application/sdp' : undefined);
    return this.#build('ACK', inviteCSeq, options.headers, body, contentType).request;
  }

  /**
   * 12.2.2: a request with a CSeq below the remote sequence number is out of order (the caller
   * answers 500); otherwise the remote sequence number becomes `seq`. Not for ACK or CANCEL,
   * which reuse the CSeq number of their INVITE.
   */
  acceptRemoteCSeq(seq: number): boolean {
    if (this.#remoteSeq !== null && seq < this.#remoteSeq) return false;
    this.#remoteSeq = seq;
    return true;
  }

  /**
   * A target refresh (12.2.1.2, 12.2.2: re-INVITE, its 2xx, UPDATE): the new remote target from
   * a Contact header field value. Throws DialogError on a malformed value.
   */
  updateRemoteTarget(contact: string): void {
    if (contact.trim() === '*') throw invalid('Contact "*" is not a target');
    this.#remoteTarget = readAddress(contact, 'Contact').uri;
  }

  /** 12.2.1.1: Request-URI and Route from the remote target and the route set. */
  #build(
    method: string,
    seq: number,
    extra: readonly (readonly [string, string])[] | undefined,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): InDialogRequest {
    const headers = new SipHeaders();
    let requestUri = this.#remoteTarget;
    const routes = this.routeSet;
    if (routes.length > 0) {
      if (isLooseRoute(routes[0])) {
        for (const r of routes) headers.append('Route', `<${r}>`);
      } else {
        // Strict routing (RFC 2543 proxy): the first route becomes the Request-URI, without the
        // headers a Request-URI may not carry, and the remote target goes last in Route.
        requestUri = withoutUriHeaders(routes[0]);
        for (let i = 1; i < routes.length; i++) headers.append('Route', `<${routes[i]}>`);
        headers.append('Route', `<${this.#remoteTarget}>`);
      }
    }
    headers.append('Max-Forwards', '70');
    headers.append('From', this.localAddress);
    headers.append('To', this.remoteAddress);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${seq} ${method}`);
    const payload = body ?? Buffer.alloc(0);
    try {
      appendExtra(headers, extra);
      appendContentType(headers, payload, contentType);
    } catch (e) {
      throw new DialogError(
        DialogErrorCode.InvalidRequest,
        e instanceof Error ? e.message : String(e),
        {},
        { cause: e },
      );
    }
    const request: SipRequest = {
      kind: 'request',
      method,
      requestUri,
      version: SIP_VERSION,
      headers,
      body: payload,
    };
    return { request, targetUri: routes.length > 0 ? withoutUriHeaders(routes[0]) : requestUri };
  }
}

function isLooseRoute(uri: string): boolean {
  const parsed = readAddress(`<${uri}>`, 'Route').address.uri;
  return isSipUri(parsed) && findParam(parsed.params, 'lr') !== undefined;
}

function withoutUriHeaders(uri: string): string {
  const q = uri.indexOf('?');
  return q === -1 ? uri : uri.slice(0, q);
}
