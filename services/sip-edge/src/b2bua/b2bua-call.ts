import { randomUUID } from 'node:crypto';
import {
  buildResponse,
  Dialog,
  randomToken,
  type ParsedMessage,
  type Peer,
  type ServerRequest,
  type SipResponse,
} from '@pbx/sip';
import {
  MediaError,
  MediaErrorCode,
  type CallEndCause,
  type CallOrigin,
  type CalleeTarget,
  type MediaSession,
  type RouteDecision,
} from '@pbx/telephony';
import type { B2buaContext } from './b2bua-context';
import { dialogKey, type DialogOwner, type LegSide } from './dialog-registry';
import { OutboundInvite, type OutboundInviteParams } from './outbound-invite';
import { presentFrom } from './presentation';
import { isHoldOffer } from './sdp-direction';
import { bestFinalStatus, causeOfStatus } from './sip-cause';
import { allows, sendSessionRefresh } from './session-refresh';
import { MIN_SE, SessionTimer } from './session-timer';

type CallState = 'routing' | 'ringing' | 'answered' | 'ended';

const COMPLETED_ELSEWHERE: readonly (readonly [string, string])[] = [
  ['Reason', 'SIP;cause=200;text="Call completed elsewhere"'],
];
const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE';

function bodyOf(parsed: ParsedMessage): string | undefined {
  const m = parsed.message;
  const type = m.headers.get('Content-Type');
  if (m.body.length === 0 || type === undefined) return undefined;
  return type.split(';')[0].trim().toLowerCase() === 'application/sdp'
    ? m.body.toString('utf8')
    : undefined;
}

/**
 * One call through the back-to-back user agent: the caller's INVITE (leg A, where the edge is
 * the UAS) bridged to the callee's leg B (where it is the UAC, forking to every registered
 * contact). Media is anchored by the media service; routing records what happens.
 */
export class B2buaCall implements DialogOwner {
  readonly callId = randomUUID();
  #state: CallState = 'routing';
  readonly #localTag = randomToken();
  #aDialog: Dialog | undefined;
  #forks: OutboundInvite[] = [];
  #failures: number[] = [];
  #winner: OutboundInvite | undefined;
  #media: MediaSession | undefined;
  #ringingReported = false;
  #noAnswerTimer: NodeJS.Timeout | undefined;
  #sessionTimer: SessionTimer | undefined;
  #pending: Record<LegSide, boolean> = { caller: false, callee: false };
  #onHold: Record<LegSide, boolean> = { caller: false, callee: false };
  readonly #receivedAt = performance.now();
  /** Late offer (INVITE without SDP): the callee's 200 holds the offer, the caller's ACK the answer. */
  #lateOffer = false;
  /** The last SDP the edge sent the caller: a refresh re-INVITE offers it again (RFC 4028 10). */
  #sdpToCaller: string | undefined;
  /** The edge's own refresh re-INVITE to the caller is in progress (an offer of its own). */
  #refreshingCaller = false;
  /** The callee sent BYE while the call was still connecting: its dialog is over. */
  #calleeHungUp = false;

  constructor(
    private readonly ctx: B2buaContext,
    private readonly invite: ServerRequest,
  ) {}

  get state(): CallState {
    return this.#state;
  }

  /** Re-read after an await: the caller may have cancelled meanwhile. */
  #ended(): boolean {
    return this.#state === 'ended';
  }

  private get aKey(): string {
    const p = this.invite.parsed;
    return dialogKey(p.callId, this.#localTag, tagOf(p.from.params) ?? '');
  }

  /** Routes the call and starts ringing the callee. */
  async start(origin: CallOrigin): Promise<void> {
    const p = this.invite.parsed;
    this.ctx.calls.add(this);
    this.invite.onCancel(() => this.#onCallerCancel());
    const rejected = this.#checkSessionTimer();
    if (rejected) return;
    const uri = p.requestUri;
    const dialed = uri && 'user' in uri && uri.user !== null ? uri.user : '';
    let decision: RouteDecision;
    try {
      decision = await this.ctx.routing.route({
        callId: this.callId,
        origin,
        dialed,
        fromUser: userOf(p.from.uri),
        fromDisplayName: p.from.displayName ?? undefined,
        privacy: p.message.headers.get('Privacy'),
        receivedAt: new Date(),
      });
    } catch (error) {
      this.ctx.log.error({ err: error, callId: this.callId }, 'routing failed');
      this.#finishUnanswered(500, 'failed', 'platform', false);
      return;
    }
    if (this.invite.cancelled) {
      this.#finishUnanswered(487, 'cancelled', 'caller');
      return;
    }
    this.ctx.log.debug({ callId: this.callId, decision: decision.kind }, 'call routed');
    if (decision.kind === 'reject') {
      this.#reply(decision.status, { reason: decision.reason });
      this.#end();
      return;
    }
    await this.#connect(decision.callee, decision);
  }

  async #connect(
    callee: CalleeTarget,
    decision: Extract<RouteDecision, { kind: 'connect' }>,
  ): Promise<void> {
    const forks = await this.#forkParams(callee, decision);
    this.ctx.log.debug(
      { callId: this.callId, targets: forks.map((f) => f.target) },
      'callee contacts found',
    );
    if (this.#state === 'ended') return;
    if (forks.length === 0) {
      this.#finishUnanswered(480, 'unavailable', 'platform');
      return;
    }
    this.#media = this.ctx.media.createSession(this.callId);
    this.#media.onEnded(() => this.hangUp('media-timeout'));
    const offer = bodyOf(this.invite.parsed);
    let sdp: string | undefined;
    if (offer === undefined) {
      this.#lateOffer = true;
    } else {
      try {
        sdp = await this.#media.offer('caller', offer);
      } catch (error) {
        this.#mediaFailed(error);
        return;
      }
    }
    this.ctx.log.debug({ callId: this.callId }, 'media anchored');
    if (this.#ended()) return;
    this.#state = 'ringing';
    this.#noAnswerTimer = setTimeout(
      () => this.#onNoAnswer(),
      decision.noAnswerTimeoutS * 1000,
    ).unref();
    for (const params of forks) {
      const fork = new OutboundInvite(this.ctx, { ...params, sdp }, this.#forkListener);
      this.#forks.push(fork);
      fork.start();
    }
    this.ctx.observe.postDial((performance.now() - this.#receivedAt) / 1000);
  }

  async #forkParams(
    callee: CalleeTarget,
    decision: Extract<RouteDecision, { kind: 'connect' }>,
  ): Promise<OutboundInviteParams[]> {
    const host = this.ctx.settings.publicHost;
    // No `Supported: timer` on the callee's leg: the edge never refreshes that leg, and a callee
    // told the UAC supports timers may make it the refresher (RFC 4028 section 9) and end the
    // call when no refresh comes. Without it, a callee wanting a timer refreshes itself.
    const sessionHeaders: [string, string][] = [['Allow', ALLOW]];
    if (callee.kind === 'trunk') {
      const t = callee.trunk;
      const presented = presentFrom(decision.caller, host, { trusted: true });
      const transport = t.transport === 'udp' ? '' : `;transport=${t.transport}`;
      const uri = `sip:${callee.number}@${t.host}:${t.port}${transport}`;
      return [
        {
          requestUri: uri,
          to: `<${uri}>`,
          from: presented.from,
          headers: [...presented.headers, ...sessionHeaders],
          target: { protocol: t.transport, address: t.host, port: t.port },
          credentials:
            t.username !== undefined && t.password !== undefined
              ? { username: t.username, password: t.password }
              : undefined,
        },
      ];
    }
    const contacts = await this.ctx.contacts.contacts(callee.devices);
    const byDevice = new Map(callee.devices.map((d) => [d.deviceId, d]));
    return contacts.map((c) => {
      const device = byDevice.get(c.deviceId);
      const to = device ? `<sip:${device.sipUser}@${device.domain}>` : `<${c.uri}>`;
      // A colleague calling shows as `201@<the group's SIP domain>`, the domain the callee's
      // phone itself registers in, rather than the edge's own address.
      const presented = presentFrom(decision.caller, device?.domain ?? host, { trusted: false });
      return {
        requestUri: c.uri,
        to: callee.displayName !== '' ? `${quote(callee.displayName)} ${to}` : to,
        from: presented.from,
        headers: [...presented.headers, ...sessionHeaders],
        target: c.flow,
        deviceId: c.deviceId,
      };
    });
  }

  readonly #forkListener = {
    onProvisional: (fork: OutboundInvite, response: ParsedMessage): void => {
      void this.#onForkProvisional(fork, response);
    },
    onAnswered: (fork: OutboundInvite, response: ParsedMessage): void => {
      void this.#onForkAnswered(fork, response);
    },
    onFailed: (fork: OutboundInvite, status: number): void => this.#onForkFailed(fork, status),
  };

  async #onForkProvisional(fork: OutboundInvite, response: ParsedMessage): Promise<void> {
    if (this.#state !== 'ringing' || response.message.kind !== 'response') return;
    const status = response.message.status;
    if (status === 100) return;
    const sdp = bodyOf(response);
    if (sdp !== undefined && !this.#lateOffer && this.#media) {
      // Early media (RFC 3960): the last fork to send SDP is the one heard.
      try {
        const answer = await this.#media.answer('callee', sdp);
        if (this.#state !== 'ringing') return;
        this.#reply(183, { sdp: answer });
      } catch {
        this.#reply(180);
      }
    } else {
      this.#reply(status === 183 ? 180 : status);
    }
    if (!this.#ringingReported) {
      this.#ringingReported = true;
      this.ctx.routing.report(this.callId, {
        kind: 'ringing',
        at: new Date(),
        deviceId: fork.params.deviceId,
      });
    }
  }

  async #onForkAnswered(fork: OutboundInvite, response: ParsedMessage): Promise<void> {
    if (this.#state !== 'ringing' || this.#winner !== undefined) {
      // Another fork won: confirm and release this one (RFC 3261 13.2.2.4 / 16.7 step 5).
      fork.confirm();
      this.#byeFork(fork);
      return;
    }
    this.#winner = fork;
    // The callee's dialog exists from its 2xx on (RFC 3261 12.1.2): a BYE it sends right after
    // the 200 must find the call even while the media answer is still being prepared.
    const dialog = fork.dialog as Dialog;
    this.ctx.dialogs.add(
      dialogKey(dialog.callId, dialog.localTag, dialog.remoteTag),
      this,
      'callee',
    );
    clearTimeout(this.#noAnswerTimer);
    for (const other of this.#forks) if (other !== fork) other.cancel(COMPLETED_ELSEWHERE);
    const sdp = bodyOf(response);
    let forCaller: string | undefined;
    try {
      if (sdp !== undefined && this.#media) {
        forCaller = this.#lateOffer
          ? await this.#media.offer('callee', sdp)
          : await this.#media.answer('callee', sdp);
      }
    } catch (error) {
      this.#releaseWinner(fork);
      this.#mediaFailed(error);
      return;
    }
    if (this.#state !== 'ringing') {
      // The caller cancelled or the callee hung up while the media answer was prepared.
      this.#releaseWinner(fork);
      return;
    }
    if (!this.#lateOffer) fork.confirm();
    this.#state = 'answered';
    const ok = this.#reply(200, { sdp: forCaller, sessionTimer: true });
    this.#aDialog = Dialog.asUas(this.invite.parsed, this.#localTag);
    this.ctx.dialogs.add(this.aKey, this, 'caller');
    this.invite.onAckTimeout(() => this.hangUp('failed'));
    void ok;
    this.ctx.routing.report(this.callId, {
      kind: 'answered',
      at: new Date(),
      deviceId: fork.params.deviceId,
    });
  }

  #onForkFailed(fork: OutboundInvite, status: number): void {
    this.#failures.push(status);
    if (this.#state !== 'ringing' || this.#winner !== undefined) return;
    if (this.#forks.some((f) => f.state === 'calling' || f.state === 'early')) return;
    void fork;
    const final = bestFinalStatus(this.#failures);
    this.#finishUnanswered(final, causeOfStatus(final), 'callee');
  }

  #onCallerCancel(): void {
    if (this.#state === 'answered' || this.#state === 'ended') return;
    for (const f of this.#forks) f.cancel();
    this.#finishUnanswered(487, 'cancelled', 'caller');
  }

  #onNoAnswer(): void {
    if (this.#state !== 'ringing') return;
    for (const f of this.#forks) f.cancel([['Reason', 'SIP;cause=480;text="No answer"']]);
    this.#finishUnanswered(480, 'no-answer', 'platform', true, 'No Answer');
  }

  #mediaFailed(error: unknown): void {
    const noPorts = error instanceof MediaError && error.code === MediaErrorCode.NoPorts;
    if (!(error instanceof MediaError)) {
      this.ctx.log.error({ err: error, callId: this.callId }, 'media failed');
    }
    for (const f of this.#forks) f.cancel();
    this.#finishUnanswered(noPorts ? 503 : 488, noPorts ? 'failed' : 'unavailable', 'platform');
  }

  #finishUnanswered(
    status: number,
    cause: CallEndCause,
    by: 'caller' | 'callee' | 'platform',
    report = true,
    reason?: string,
  ): void {
    if (this.#state === 'ended' || this.#state === 'answered') return;
    this.#reply(status, { reason });
    if (report) {
      this.ctx.routing.report(this.callId, { kind: 'ended', at: new Date(), cause, status, by });
    }
    this.#end();
  }

  /** Ends an answered (or ringing) call from the platform's side: BYE to both legs. */
  hangUp(cause: CallEndCause): void {
    if (this.#state === 'ringing' || this.#state === 'routing') {
      for (const f of this.#forks) f.cancel();
      this.#finishUnanswered(cause === 'media-timeout' ? 408 : 500, cause, 'platform');
      return;
    }
    if (this.#state !== 'answered') return;
    this.#sendBye('caller');
    this.#sendBye('callee');
    this.ctx.routing.report(this.callId, { kind: 'ended', at: new Date(), cause, by: 'platform' });
    this.#end();
  }

  /** Shutdown of the edge: every call ends. */
  shutdown(): void {
    this.hangUp('failed');
  }

  onInDialogRequest(side: LegSide, request: ServerRequest): void {
    const method = request.request.method;
    switch (method) {
      case 'ACK':
        this.#onAck(side, request);
        return;
      case 'BYE':
        this.#onBye(side, request);
        return;
      case 'INVITE':
        void this.#relayReinvite(side, request);
        return;
      case 'UPDATE':
        this.#onUpdate(side, request);
        return;
      case 'INFO':
        this.#relayInfo(side, request);
        return;
      case 'OPTIONS':
        request.respond(buildResponse(request.request, 200, { headers: [['Allow', ALLOW]] }));
        return;
      default:
        request.respond(buildResponse(request.request, 405, { headers: [['Allow', ALLOW]] }));
    }
  }

  #onAck(side: LegSide, request: ServerRequest): void {
    if (side !== 'caller' || !this.#lateOffer || this.#winner === undefined) return;
    const sdp = bodyOf(request.parsed);
    const winner = this.#winner;
    this.#lateOffer = false;
    if (sdp === undefined || !this.#media) {
      winner.confirm();
      return;
    }
    this.#media.answer('caller', sdp).then(
      (answer) => winner.confirm(answer),
      () => {
        winner.confirm();
        this.hangUp('failed');
      },
    );
  }

  #onBye(side: LegSide, request: ServerRequest): void {
    request.respond(buildResponse(request.request, 200));
    if (side === 'callee' && this.#state === 'ringing' && this.#winner !== undefined) {
      // The callee hung up between its 200 and the caller's: ACK its 2xx (RFC 3261 13.2.2.4),
      // which its BYE ended, and end the caller's still pending INVITE with 487.
      this.#calleeHungUp = true;
      this.#winner.confirm();
      this.#finishUnanswered(487, 'normal', 'callee');
      return;
    }
    if (this.#state !== 'answered') return;
    this.#sendBye(side === 'caller' ? 'callee' : 'caller');
    this.ctx.routing.report(this.callId, {
      kind: 'ended',
      at: new Date(),
      cause: 'normal',
      by: side,
    });
    this.#end();
  }

  /** Re-INVITE (hold, resume, target refresh, session refresh) passed across (RFC 3261 14). */
  async #relayReinvite(side: LegSide, request: ServerRequest): Promise<void> {
    const other: LegSide = side === 'caller' ? 'callee' : 'caller';
    if (this.#state !== 'answered') {
      // While connecting the callee's 2xx is not yet ACKed: its offer must wait (RFC 3261 14.2).
      request.respond(buildResponse(request.request, this.#state === 'ringing' ? 491 : 481));
      return;
    }
    if (!this.#acceptCSeq(side, request)) return;
    if (this.#pending[side] || this.#pending[other] || this.#refreshingCaller) {
      // Glare (RFC 3261 14.2): one offer/answer exchange at a time.
      request.respond(buildResponse(request.request, 491));
      return;
    }
    this.#pending[side] = true;
    this.#refreshTarget(side, request.parsed);
    if (side === 'caller') this.#sessionTimer?.refreshed();
    const offer = bodyOf(request.parsed);
    let forOther: string | undefined;
    try {
      forOther = offer === undefined ? undefined : await this.#media?.offer(side, offer);
    } catch {
      this.#pending[side] = false;
      request.respond(buildResponse(request.request, 488));
      return;
    }
    const dialog = this.#dialogOf(other);
    const target = this.#peerOf(other);
    if (dialog === undefined || target === undefined || this.#state !== 'answered') {
      this.#pending[side] = false;
      request.respond(buildResponse(request.request, 481));
      return;
    }
    const { request: reinvite } = dialog.createRequest('INVITE', {
      headers: [['Contact', `<${this.ctx.transport.contactUri(target.protocol)}>`]],
      body: forOther === undefined ? undefined : Buffer.from(forOther),
      contentType: forOther === undefined ? undefined : 'application/sdp',
    });
    if (other === 'caller' && forOther !== undefined) this.#sdpToCaller = forOther;
    this.ctx.layer.sendRequest(reinvite, target, {
      onFinal: (response) => {
        void this.#onReinviteFinal(side, request, reinvite.headers.get('CSeq') ?? '', response);
      },
      onTimeout: () => this.#reinviteFailed(side, request, 408),
      onTransportError: () => this.#reinviteFailed(side, request, 503),
    });
    if (offer !== undefined) {
      const hold = isHoldOffer(offer);
      if (hold !== this.#onHold[side]) {
        this.#onHold[side] = hold;
        this.ctx.routing.report(this.callId, {
          kind: hold ? 'held' : 'resumed',
          at: new Date(),
          by: side,
        });
      }
    }
  }

  async #onReinviteFinal(
    side: LegSide,
    request: ServerRequest,
    cseq: string,
    response: ParsedMessage,
  ): Promise<void> {
    const other: LegSide = side === 'caller' ? 'callee' : 'caller';
    if (response.message.kind !== 'response') return;
    const status = response.message.status;
    const dialog = this.#dialogOf(other);
    const target = this.#peerOf(other);
    if (status >= 200 && status < 300 && dialog && target) {
      this.#refreshTarget(other, response);
      // A re-INVITE answered 2xx refreshes the session whoever sent it (RFC 4028 section 10).
      if (other === 'caller') this.#sessionTimer?.refreshed();
      const ack = dialog.createAck(Number.parseInt(cseq, 10));
      void this.ctx.layer.sendStateless(ack, target).catch(() => undefined);
      const answer = bodyOf(response);
      let forSide: string | undefined;
      try {
        forSide = answer === undefined ? undefined : await this.#media?.answer(other, answer);
      } catch {
        forSide = undefined;
      }
      this.#pending[side] = false;
      if (side === 'caller' && forSide !== undefined) this.#sdpToCaller = forSide;
      request.respond(
        this.#withSdp(
          buildResponse(request.request, 200, {
            toTag: this.#localTag,
            headers: [['Contact', `<${this.ctx.transport.contactUri(request.source.protocol)}>`]],
          }),
          forSide,
        ),
      );
      return;
    }
    this.#reinviteFailed(side, request, status);
  }

  #reinviteFailed(side: LegSide, request: ServerRequest, status: number): void {
    this.#pending[side] = false;
    request.respond(buildResponse(request.request, status >= 300 ? status : 500));
    if (status === 481 || status === 408) this.hangUp('failed');
  }

  /** UPDATE without SDP is a session refresh (RFC 4028 / RFC 3311); with SDP it is refused. */
  #onUpdate(side: LegSide, request: ServerRequest): void {
    if (!this.#acceptCSeq(side, request)) return;
    if (bodyOf(request.parsed) !== undefined) {
      request.respond(buildResponse(request.request, 488));
      return;
    }
    this.#refreshTarget(side, request.parsed);
    // The caller's session timer is the only one the edge runs: the callee's leg gets no
    // Session-Expires, so it expects no refresh from the edge (RFC 4028 section 7.2).
    const timer = side === 'caller' ? this.#sessionTimer : undefined;
    timer?.refreshed();
    request.respond(buildResponse(request.request, 200, { headers: timer?.headers() ?? [] }));
  }

  /** INFO (e.g. DTMF from phones that send it so) passed across with its body. */
  #relayInfo(side: LegSide, request: ServerRequest): void {
    const other: LegSide = side === 'caller' ? 'callee' : 'caller';
    const dialog = this.#dialogOf(other);
    const target = this.#peerOf(other);
    if (this.#state !== 'answered' || !dialog || !target) {
      request.respond(buildResponse(request.request, 481));
      return;
    }
    if (!this.#acceptCSeq(side, request)) return;
    const type = request.request.headers.get('Content-Type');
    const { request: info } = dialog.createRequest('INFO', {
      body: request.request.body.length > 0 ? request.request.body : undefined,
      contentType: type,
    });
    this.ctx.layer.sendRequest(info, target, {
      onFinal: (response) => {
        const status = response.message.kind === 'response' ? response.message.status : 500;
        request.respond(buildResponse(request.request, status));
      },
      onTimeout: () => request.respond(buildResponse(request.request, 408)),
      onTransportError: () => request.respond(buildResponse(request.request, 503)),
    });
  }

  #acceptCSeq(side: LegSide, request: ServerRequest): boolean {
    const dialog = this.#dialogOf(side);
    if (dialog && !dialog.acceptRemoteCSeq(request.parsed.cseq.seq)) {
      request.respond(buildResponse(request.request, 500, { reason: 'CSeq Out Of Order' }));
      return false;
    }
    return true;
  }

  /**
   * A target refresh (RFC 3261 12.2.2, 12.2.1.2: re-INVITE or UPDATE, and their 2xx): later
   * requests to `side` go to the Contact it sent. A malformed Contact keeps the old target.
   */
  #refreshTarget(side: LegSide, message: ParsedMessage): void {
    const contact = message.message.headers.getAll('Contact')[0];
    if (contact === undefined) return;
    try {
      this.#dialogOf(side)?.updateRemoteTarget(contact);
    } catch (error) {
      this.ctx.log.debug(
        { err: error, callId: this.callId },
        'Contact of a target refresh ignored',
      );
    }
  }

  #dialogOf(side: LegSide): Dialog | undefined {
    return side === 'caller' ? this.#aDialog : this.#winner?.dialog;
  }

  #peerOf(side: LegSide): Peer | undefined {
    return side === 'caller' ? this.invite.source : this.#winner?.params.target;
  }

  #sendBye(side: LegSide): void {
    const dialog = this.#dialogOf(side);
    const target = this.#peerOf(side);
    if (!dialog || !target) return;
    const { request } = dialog.createRequest('BYE');
    this.ctx.layer.sendRequest(request, target, {
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }

  #byeFork(fork: OutboundInvite): void {
    const dialog = fork.dialog;
    if (!dialog) return;
    const { request } = dialog.createRequest('BYE', { headers: [...COMPLETED_ELSEWHERE] });
    this.ctx.layer.sendRequest(request, fork.params.target, {
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }

  /** Confirms the winning fork's 2xx and hangs it up, unless the callee already did. */
  #releaseWinner(fork: OutboundInvite): void {
    fork.confirm();
    if (!this.#calleeHungUp) this.#byeFork(fork);
  }

  /**
   * The edge is the refresher towards the caller (RFC 4028 section 10): an UPDATE without SDP
   * when the caller's INVITE allowed UPDATE (RFC 3311), else a re-INVITE offering again the last
   * SDP the edge sent it (unchanged, so the same o= version, RFC 3264 section 8). A re-INVITE
   * waits while another offer/answer exchange is in progress.
   */
  #refreshCaller(): void {
    const timer = this.#sessionTimer;
    const dialog = this.#aDialog;
    if (this.#state !== 'answered' || timer === undefined || dialog === undefined) return;
    const method = allows(this.invite.parsed.message.headers, 'UPDATE') ? 'UPDATE' : 'INVITE';
    if (method === 'INVITE') {
      const busy = this.#pending.caller || this.#pending.callee || this.#lateOffer;
      if (busy || this.#refreshingCaller || this.#sdpToCaller === undefined) {
        timer.refreshFailed();
        return;
      }
      this.#refreshingCaller = true;
    }
    this.ctx.log.debug({ callId: this.callId, method }, 'refreshing the caller’s session');
    try {
      this.#sendCallerRefresh(timer, dialog, method);
    } catch (error) {
      // The dialog cannot carry another request (its CSeq space is exhausted, RFC 3261 8.1.1.5).
      this.#refreshingCaller = false;
      this.ctx.log.warn({ err: error, callId: this.callId }, 'session refresh not sent');
      this.hangUp('failed');
    }
  }

  #sendCallerRefresh(timer: SessionTimer, dialog: Dialog, method: 'UPDATE' | 'INVITE'): void {
    sendSessionRefresh(
      this.ctx,
      {
        dialog,
        target: this.invite.source,
        method,
        sdp: this.#sdpToCaller,
        headers: timer.refreshHeaders(),
      },
      {
        onRefreshed: (response) => {
          this.#refreshingCaller = false;
          if (this.#state !== 'answered') return;
          this.#refreshTarget('caller', response);
          timer.refreshAnswered(response.message.headers);
        },
        onDialogGone: () => {
          this.#refreshingCaller = false;
          this.ctx.log.info({ callId: this.callId }, 'session refresh failed: call ended');
          this.hangUp('failed');
        },
        onFailed: (status) => {
          this.#refreshingCaller = false;
          this.ctx.log.debug({ callId: this.callId, status }, 'session refresh refused');
          if (this.#state === 'answered') timer.refreshFailed();
        },
      },
    );
  }

  /** RFC 4028: grant the caller's session timer, or 422 when it asked for too short a one. */
  #checkSessionTimer(): boolean {
    const timer = SessionTimer.negotiate(
      this.invite.parsed.message.headers,
      {
        configuredS: this.ctx.settings.sessionExpiresS,
        minSeS: this.ctx.settings.minSessionExpiresS ?? MIN_SE,
      },
      {
        onExpired: () => this.hangUp('failed'),
        onRefreshDue: () => this.#refreshCaller(),
      },
    );
    if (timer.kind === 'too-small') {
      this.#reply(422, { headers: [['Min-SE', String(timer.minSe)]] });
      this.#end();
      return true;
    }
    this.#sessionTimer = timer.kind === 'granted' ? timer.timer : undefined;
    return false;
  }

  #reply(
    status: number,
    options: {
      readonly reason?: string;
      readonly sdp?: string;
      readonly headers?: readonly (readonly [string, string])[];
      readonly sessionTimer?: boolean;
    } = {},
  ): SipResponse | undefined {
    if (this.invite.cancelled && status !== 487 && status >= 200) return undefined;
    const headers: (readonly [string, string])[] = [...(options.headers ?? [])];
    if (status > 100 && status < 300) {
      headers.push(['Contact', `<${this.ctx.transport.contactUri(this.invite.source.protocol)}>`]);
      headers.push(['Allow', ALLOW]);
    }
    if (options.sessionTimer && this.#sessionTimer) {
      headers.push(...this.#sessionTimer.headers());
      this.#sessionTimer.start();
    }
    if (options.sdp !== undefined) this.#sdpToCaller = options.sdp;
    const response = this.#withSdp(
      buildResponse(this.invite.request, status, {
        reason: options.reason,
        toTag: this.#localTag,
        headers,
      }),
      options.sdp,
    );
    try {
      this.invite.respond(response);
    } catch (error) {
      this.ctx.log.debug({ err: error, callId: this.callId, status }, 'response not sent');
    }
    return response;
  }

  #withSdp(response: SipResponse, sdp: string | undefined): SipResponse {
    if (sdp === undefined) return response;
    response.headers.set('Content-Type', 'application/sdp');
    return { ...response, body: Buffer.from(sdp) };
  }

  #end(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    clearTimeout(this.#noAnswerTimer);
    this.#sessionTimer?.stop();
    this.ctx.dialogs.remove(this.aKey);
    const b = this.#winner?.dialog;
    if (b) this.ctx.dialogs.remove(dialogKey(b.callId, b.localTag, b.remoteTag));
    const media = this.#media;
    if (media) {
      const stats = media.stats();
      this.ctx.log.info(
        {
          callId: this.callId,
          sipCallId: this.invite.parsed.callId,
          answered: this.#winner?.state === 'answered',
          rtpFromCaller: stats.fromCaller.packets,
          rtpFromCallee: stats.fromCallee.packets,
        },
        'call ended',
      );
      void media.close();
    }
    this.ctx.calls.delete(this);
  }
}

function tagOf(
  params: readonly { readonly name: string; readonly value: string | null }[],
): string | undefined {
  for (const p of params) if (p.name === 'tag' && p.value !== null) return p.value;
  return undefined;
}

function userOf(uri: ParsedMessage['from']['uri']): string | undefined {
  return 'user' in uri && uri.user !== null ? uri.user : 'number' in uri ? uri.number : undefined;
}

function quote(name: string): string {
  return `"${name.replace(/(["\\])/g, '\\$1')}"`;
}
