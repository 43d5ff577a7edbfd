/**
 * The connect phase of one B2BUA call: the routing decision, the media session anchoring the
 * caller's offer (or a late offer, RFC 3261 13.2.1), the forks to the callee's contacts, their
 * provisional responses and early media (RFC 3960), the first 2xx winning and the others
 * cancelled (RFC 3261 16.7 step 5), the best failure when all fail (RFC 3261 16.7 step 6),
 * CANCEL from the caller (RFC 3261 9.2), the no-answer timer and the caller's ACK carrying the
 * answer to a late offer.
 */
import { Dialog, type ParsedMessage, type ServerRequest } from '@pbx/sip';
import {
  MediaError,
  MediaErrorCode,
  type MediaLegKind,
  type CallOrigin,
  type CalleeTarget,
  type RouteDecision,
} from '@pbx/telephony';
import { calleeForks } from './callee-forks';
import type { CallLegs } from './call-legs';
import { bodyOf, COMPLETED_ELSEWHERE } from './call-messages';
import type { CallTeardown } from './call-teardown';
import { dialogKey, type LegSide } from './dialog-registry';
import { mediaKindOf } from './media-kind';
import { OutboundInvite, type OutboundInviteListener } from './outbound-invite';
import { bestFinalStatus, causeOfStatus } from './sip-cause';

export class CallConnector {
  readonly #failures: number[] = [];
  #ringingReported = false;

  constructor(
    private readonly legs: CallLegs,
    private readonly teardown: CallTeardown,
  ) {}

  /** Asks routing where the call goes and starts ringing the callee. */
  async route(origin: CallOrigin): Promise<void> {
    const legs = this.legs;
    const p = legs.invite.parsed;
    const uri = p.requestUri;
    const dialed = uri && 'user' in uri && uri.user !== null ? uri.user : '';
    let decision: RouteDecision;
    try {
      decision = await legs.ctx.routing.route({
        callId: legs.callId,
        origin,
        dialed,
        fromUser: userOf(p.from.uri),
        fromDisplayName: p.from.displayName ?? undefined,
        privacy: p.message.headers.get('Privacy'),
        receivedAt: new Date(),
      });
    } catch (error) {
      legs.ctx.log.error({ err: error, callId: legs.callId }, 'routing failed');
      this.teardown.finishUnanswered(500, 'failed', 'platform', false);
      return;
    }
    if (legs.invite.cancelled) {
      this.teardown.finishUnanswered(487, 'cancelled', 'caller');
      return;
    }
    legs.ctx.log.debug({ callId: legs.callId, decision: decision.kind }, 'call routed');
    if (decision.kind === 'reject') {
      legs.reply(decision.status, { reason: decision.reason });
      this.teardown.end();
      return;
    }
    await this.#connect(decision.callee, decision);
  }

  /** CANCEL of the caller's INVITE (RFC 3261 9.2): every fork is cancelled, the caller gets 487. */
  onCallerCancel(): void {
    const legs = this.legs;
    if (legs.state === 'answered' || legs.state === 'ended') return;
    for (const f of legs.forks) f.cancel();
    this.teardown.finishUnanswered(487, 'cancelled', 'caller');
  }

  /** The caller's ACK; after a late offer it carries the answer the callee's 2xx waits for. */
  onAck(side: LegSide, request: ServerRequest): void {
    const legs = this.legs;
    if (side !== 'caller' || !legs.lateOffer || legs.winner === undefined) return;
    const sdp = bodyOf(request.parsed);
    const winner = legs.winner;
    legs.lateOffer = false;
    if (sdp === undefined || !legs.media) {
      winner.confirm();
      return;
    }
    legs.media.answer('caller', sdp).then(
      (answer) => winner.confirm(answer),
      () => {
        winner.confirm();
        this.teardown.hangUp('failed');
      },
    );
  }

  async #connect(
    callee: CalleeTarget,
    decision: Extract<RouteDecision, { kind: 'connect' }>,
  ): Promise<void> {
    const legs = this.legs;
    const forks = await calleeForks(legs.ctx, callee, decision);
    legs.ctx.log.debug(
      { callId: legs.callId, targets: forks.map((f) => f.target) },
      'callee contacts found',
    );
    if (legs.state === 'ended') return;
    if (forks.length === 0) {
      this.teardown.finishUnanswered(480, 'unavailable', 'platform');
      return;
    }
    const media = legs.ctx.media.createSession(legs.callId);
    legs.media = media;
    media.onEnded((reason) =>
      this.teardown.hangUp(reason === 'rtp-timeout' ? 'media-timeout' : 'failed'),
    );
    const offer = bodyOf(legs.invite.parsed);
    // One offer per kind of contact forked to: a desk phone gets plain RTP, a browser WebRTC.
    const offers = new Map<MediaLegKind, string>();
    if (offer === undefined) {
      legs.lateOffer = true;
    } else {
      try {
        for (const params of forks) {
          const kind = mediaKindOf(params.target);
          if (!offers.has(kind)) offers.set(kind, await media.offer('caller', offer, { to: kind }));
        }
      } catch (error) {
        this.#mediaFailed(error);
        return;
      }
    }
    legs.ctx.log.debug({ callId: legs.callId }, 'media anchored');
    if (legs.ended()) return;
    legs.state = 'ringing';
    legs.noAnswerTimer = setTimeout(
      () => this.#onNoAnswer(),
      decision.noAnswerTimeoutS * 1000,
    ).unref();
    for (const params of forks) {
      const sdp = offers.get(mediaKindOf(params.target));
      const fork = new OutboundInvite(legs.ctx, { ...params, sdp }, this.#forkListener);
      legs.forks.push(fork);
      fork.start();
    }
    legs.ctx.observe.postDial((performance.now() - legs.receivedAt) / 1000);
  }

  readonly #forkListener: OutboundInviteListener = {
    onProvisional: (fork: OutboundInvite, response: ParsedMessage): void => {
      void this.#onForkProvisional(fork, response);
    },
    onAnswered: (fork: OutboundInvite, response: ParsedMessage): void => {
      void this.#onForkAnswered(fork, response);
    },
    onFailed: (_fork: OutboundInvite, status: number): void => this.#onForkFailed(status),
  };

  async #onForkProvisional(fork: OutboundInvite, response: ParsedMessage): Promise<void> {
    const legs = this.legs;
    if (legs.state !== 'ringing' || response.message.kind !== 'response') return;
    const status = response.message.status;
    if (status === 100) return;
    const sdp = bodyOf(response);
    if (sdp !== undefined && !legs.lateOffer && legs.media) {
      // Early media (RFC 3960): the last fork to send SDP is the one heard.
      try {
        const answer = await legs.media.answer('callee', sdp, { provisional: true });
        if (legs.state !== 'ringing') return;
        legs.reply(183, { sdp: answer });
      } catch {
        legs.reply(180);
      }
    } else {
      legs.reply(status === 183 ? 180 : status);
    }
    if (!this.#ringingReported) {
      this.#ringingReported = true;
      legs.ctx.routing.report(legs.callId, {
        kind: 'ringing',
        at: new Date(),
        deviceId: fork.params.deviceId,
      });
    }
  }

  async #onForkAnswered(fork: OutboundInvite, response: ParsedMessage): Promise<void> {
    const legs = this.legs;
    if (legs.state !== 'ringing' || legs.winner !== undefined) {
      // Another fork won: confirm and release this one (RFC 3261 13.2.2.4 / 16.7 step 5).
      fork.confirm();
      this.teardown.byeFork(fork);
      return;
    }
    legs.winner = fork;
    // The callee's dialog exists from its 2xx on (RFC 3261 12.1.2): a BYE it sends right after
    // the 200 must find the call even while the media answer is still being prepared.
    const dialog = fork.dialog as Dialog;
    legs.ctx.dialogs.add(
      dialogKey(dialog.callId, dialog.localTag, dialog.remoteTag),
      legs.call,
      'callee',
    );
    clearTimeout(legs.noAnswerTimer);
    for (const other of legs.forks) if (other !== fork) other.cancel(COMPLETED_ELSEWHERE);
    const sdp = bodyOf(response);
    let forCaller: string | undefined;
    try {
      if (sdp !== undefined && legs.media) {
        forCaller = legs.lateOffer
          ? await legs.media.offer('callee', sdp, { to: mediaKindOf(legs.invite.source) })
          : await legs.media.answer('callee', sdp);
      }
    } catch (error) {
      this.teardown.releaseWinner(fork);
      this.#mediaFailed(error);
      return;
    }
    if (legs.state !== 'ringing') {
      // The caller cancelled or the callee hung up while the media answer was prepared.
      this.teardown.releaseWinner(fork);
      return;
    }
    if (!legs.lateOffer) fork.confirm();
    legs.state = 'answered';
    legs.reply(200, { sdp: forCaller, sessionTimer: true });
    legs.aDialog = Dialog.asUas(legs.invite.parsed, legs.localTag);
    legs.ctx.dialogs.add(legs.aKey, legs.call, 'caller');
    legs.invite.onAckTimeout(() => this.teardown.hangUp('failed'));
    legs.ctx.routing.report(legs.callId, {
      kind: 'answered',
      at: new Date(),
      deviceId: fork.params.deviceId,
    });
  }

  #onForkFailed(status: number): void {
    const legs = this.legs;
    this.#failures.push(status);
    if (legs.state !== 'ringing' || legs.winner !== undefined) return;
    if (legs.forks.some((f) => f.state === 'calling' || f.state === 'early')) return;
    const final = bestFinalStatus(this.#failures);
    this.teardown.finishUnanswered(final, causeOfStatus(final), 'callee');
  }

  #onNoAnswer(): void {
    if (this.legs.state !== 'ringing') return;
    for (const f of this.legs.forks) f.cancel([['Reason', 'SIP;cause=480;text="No answer"']]);
    this.teardown.finishUnanswered(480, 'no-answer', 'platform', true, 'No Answer');
  }

  #mediaFailed(error: unknown): void {
    const noPorts = error instanceof MediaError && error.code === MediaErrorCode.NoPorts;
    if (!(error instanceof MediaError)) {
      this.legs.ctx.log.error({ err: error, callId: this.legs.callId }, 'media failed');
    }
    for (const f of this.legs.forks) f.cancel();
    this.teardown.finishUnanswered(
      noPorts ? 503 : 488,
      noPorts ? 'failed' : 'unavailable',
      'platform',
    );
  }
}

function userOf(uri: ParsedMessage['from']['uri']): string | undefined {
  return 'user' in uri && uri.user !== null ? uri.user : 'number' in uri ? uri.number : undefined;
}
