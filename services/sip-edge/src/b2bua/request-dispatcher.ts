import { isPromise, type MaybePromise } from '@pbx/domain';
import {
  buildResponse,
  isSipUri,
  type ParsedMessage,
  type Peer,
  type RegisterScan,
  type ServerRequest,
  type SipResponse,
  unsupportedOptionTags,
} from '@pbx/sip';
import type { ScreenedAnswer } from '../registrar/registrar';
import { B2buaCall } from './b2bua-call';
import type { B2buaContext } from './b2bua-context';
import type { CallerAuthenticator } from './b2bua.ports';
import { incomingDialogKey } from './dialog-registry';

export interface RegisterHandler {
  /** At once when the registrar has everything at hand; never rejects. */
  handleRegister(parsed: ParsedMessage, source: Peer): MaybePromise<SipResponse>;
  /**
   * The challenge of a REGISTER or a device's new INVITE without credentials, when it can be
   * given without a transaction or any I/O; null sends the request the full way.
   */
  challengeStatelessly?(parsed: ParsedMessage, source: Peer): SipResponse | null;
  /** Whether registerAtOnce may be used (the registrar's stores answer at once). */
  readonly answersAtOnce?: boolean;
  /** A plain UDP REGISTER answered from its bytes (see registerScreen); null: the full path. */
  registerAtOnce?(scan: RegisterScan, source: Peer): ScreenedAnswer | null;
}

export interface DispatcherLimits {
  /** Calls in progress above which a new INVITE gets 503 with Retry-After. */
  readonly maxCalls: number;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER';
/** Option tags this edge implements (RFC 3261 8.2.2.3: anything else in Require gets 420). */
const SUPPORTED = new Set(['timer', 'outbound', 'path']);
/** Methods we know but do not serve here (405); anything unknown is 501 (RFC 3261 8.2.1). */
const KNOWN_UNSERVED = new Set(['SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'REFER', 'PRACK']);

/**
 * The edge's transaction user: every new request from the transaction layer lands here and goes
 * to the registrar, to the dialog it belongs to, or starts a call (drachtio-style per method).
 */
export class RequestDispatcher {
  constructor(
    private readonly ctx: B2buaContext,
    private readonly registrar: RegisterHandler,
    private readonly callers: CallerAuthenticator,
    private readonly limits: DispatcherLimits,
  ) {}

  handle(request: ServerRequest): void {
    try {
      this.#dispatch(request);
    } catch (error) {
      this.ctx.log.error({ err: error }, 'request handling failed');
      this.#respond(request, 500);
    }
  }

  #dispatch(request: ServerRequest): void {
    const { parsed } = request;
    const method = request.request.method;
    if (method === 'ACK') {
      this.#inDialog(request);
      return;
    }
    if (parsed.maxForwards !== null && parsed.maxForwards <= 0 && method !== 'CANCEL') {
      this.#respond(request, 483);
      return;
    }
    const uri = parsed.requestUri;
    if (uri !== null && !isSipUri(uri) && uri.scheme !== 'tel') {
      this.#respond(request, 416);
      return;
    }
    // Tags compare case-insensitively (RFC 3261 7.3.1) and go back as the client wrote them.
    const unsupported = unsupportedOptionTags(request.request.headers.getAll('Require'), SUPPORTED);
    if (unsupported.length > 0) {
      this.#respond(request, 420, [['Unsupported', unsupported.join(', ')]]);
      return;
    }
    if (hasToTag(parsed)) {
      this.#inDialog(request);
      return;
    }
    switch (method) {
      case 'REGISTER':
        this.#register(request);
        return;
      case 'INVITE':
        void this.#invite(request);
        return;
      case 'OPTIONS':
        this.#respond(request, 200, [
          ['Allow', ALLOW],
          ['Accept', 'application/sdp'],
          ['Supported', [...SUPPORTED].join(', ')],
        ]);
        return;
      case 'BYE':
      case 'INFO':
      case 'UPDATE':
      case 'CANCEL':
        this.#respond(request, 481);
        return;
      default:
        this.#respond(request, KNOWN_UNSERVED.has(method) ? 405 : 501, [['Allow', ALLOW]]);
    }
  }

  #inDialog(request: ServerRequest): void {
    const key = incomingDialogKey(request.parsed);
    const entry = key === undefined ? undefined : this.ctx.dialogs.find(key);
    if (entry) {
      entry.owner.onInDialogRequest(entry.side, request);
      return;
    }
    // An ACK for a dialog we no longer know is absorbed (RFC 3261 17.2.3 / 13.3.1.4).
    if (request.request.method !== 'ACK') this.#respond(request, 481);
  }

  #register(request: ServerRequest): void {
    const response = this.registrar.handleRegister(request.parsed, request.source);
    if (!isPromise(response)) {
      request.respond(response);
      return;
    }
    response.then(
      (r) => request.respond(r),
      (error: unknown) => {
        this.ctx.log.error({ err: error }, 'REGISTER failed');
        this.#respond(request, 500);
      },
    );
  }

  async #invite(request: ServerRequest): Promise<void> {
    if (this.ctx.calls.size >= this.limits.maxCalls) {
      this.#respond(request, 503, [['Retry-After', '5']]);
      return;
    }
    // Answer at once so that UDP phones stop retransmitting (RFC 3261 17.2.1).
    this.#respond(request, 100);
    let check;
    try {
      check = await this.callers.authenticate(request.parsed, request.source);
    } catch (error) {
      this.ctx.log.error({ err: error }, 'INVITE authentication failed');
      this.#respond(request, 500);
      return;
    }
    if (!check.ok) {
      request.respond(check.response);
      return;
    }
    await new B2buaCall(this.ctx, request).start(check.origin);
  }

  #respond(
    request: ServerRequest,
    status: number,
    headers: readonly (readonly [string, string])[] = [],
  ): void {
    try {
      request.respond(buildResponse(request.request, status, { headers }));
    } catch (error) {
      this.ctx.log.debug({ err: error, status }, 'response not sent');
    }
  }
}

function hasToTag(parsed: ParsedMessage): boolean {
  return parsed.to.params.some((p) => p.name === 'tag');
}
