/**
 * How one B2BUA call ends: a final response to an unanswered INVITE, BYE from either side
 * relayed to the other (RFC 3261 15.1), the platform hanging up both legs, a losing or released
 * fork's 2xx confirmed and hung up (RFC 3261 13.2.2.4), and the call's cleanup (timers, dialog
 * registrations, media) with its report to routing.
 */
import { buildResponse, type ServerRequest } from '@pbx/sip';
import type { CallEndCause } from '@pbx/telephony';
import type { CallLegs } from './call-legs';
import { COMPLETED_ELSEWHERE } from './call-messages';
import { dialogKey, otherSide, type LegSide } from './dialog-registry';
import type { OutboundInvite } from './outbound-invite';

export class CallTeardown {
  constructor(private readonly legs: CallLegs) {}

  /** Ends a call that was never answered with `status` to the caller. */
  finishUnanswered(
    status: number,
    cause: CallEndCause,
    by: 'caller' | 'callee' | 'platform',
    report = true,
    reason?: string,
  ): void {
    const legs = this.legs;
    if (legs.state === 'ended' || legs.state === 'answered') return;
    legs.reply(status, { reason });
    if (report) {
      legs.ctx.routing.report(legs.callId, { kind: 'ended', at: new Date(), cause, status, by });
    }
    this.end();
  }

  /** Ends an answered (or ringing) call from the platform's side: BYE to both legs. */
  hangUp(cause: CallEndCause): void {
    const legs = this.legs;
    if (legs.state === 'ringing' || legs.state === 'routing') {
      for (const f of legs.forks) f.cancel();
      this.finishUnanswered(cause === 'media-timeout' ? 408 : 500, cause, 'platform');
      return;
    }
    if (legs.state !== 'answered') return;
    this.#sendBye('caller');
    this.#sendBye('callee');
    legs.ctx.routing.report(legs.callId, {
      kind: 'ended',
      at: new Date(),
      cause,
      by: 'platform',
    });
    this.end();
  }

  /** BYE from one side (RFC 3261 15.1.2): answered 200 and passed to the other side. */
  onBye(side: LegSide, request: ServerRequest): void {
    const legs = this.legs;
    request.respond(buildResponse(request.request, 200));
    if (side === 'callee' && legs.state === 'ringing' && legs.winner !== undefined) {
      // The callee hung up between its 200 and the caller's: ACK its 2xx (RFC 3261 13.2.2.4),
      // which its BYE ended, and end the caller's still pending INVITE with 487.
      legs.calleeHungUp = true;
      legs.winner.confirm();
      this.finishUnanswered(487, 'normal', 'callee');
      return;
    }
    if (legs.state !== 'answered') return;
    this.#sendBye(otherSide(side));
    legs.ctx.routing.report(legs.callId, {
      kind: 'ended',
      at: new Date(),
      cause: 'normal',
      by: side,
    });
    this.end();
  }

  /** Hangs up a fork whose 2xx came too late (RFC 3261 13.2.2.4 / 16.7 step 5). */
  byeFork(fork: OutboundInvite): void {
    const dialog = fork.dialog;
    if (!dialog) return;
    const { request } = dialog.createRequest('BYE', { headers: [...COMPLETED_ELSEWHERE] });
    this.legs.ctx.layer.sendRequest(request, fork.params.target, {
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }

  /** Confirms the winning fork's 2xx and hangs it up, unless the callee already did. */
  releaseWinner(fork: OutboundInvite): void {
    fork.confirm();
    if (!this.legs.calleeHungUp) this.byeFork(fork);
  }

  /** Releases everything the call holds, once. */
  end(): void {
    const legs = this.legs;
    if (legs.state === 'ended') return;
    legs.state = 'ended';
    clearTimeout(legs.noAnswerTimer);
    legs.sessionTimer?.stop();
    legs.ctx.dialogs.remove(legs.aKey);
    const b = legs.winner?.dialog;
    if (b) legs.ctx.dialogs.remove(dialogKey(b.callId, b.localTag, b.remoteTag));
    const media = legs.media;
    if (media) {
      const stats = media.stats();
      legs.ctx.log.info(
        {
          callId: legs.callId,
          sipCallId: legs.invite.parsed.callId,
          answered: legs.winner?.state === 'answered',
          rtpFromCaller: stats.fromCaller.packets,
          rtpFromCallee: stats.fromCallee.packets,
        },
        'call ended',
      );
      void media.close();
    }
    legs.ctx.calls.delete(legs.call);
  }

  #sendBye(side: LegSide): void {
    // RFC 3261 15: no BYE to the caller before it ACKed our 2xx (or the wait for it ended).
    if (side === 'caller') this.legs.invite.afterAck(() => this.#byeNow(side));
    else this.#byeNow(side);
  }

  #byeNow(side: LegSide): void {
    const dialog = this.legs.dialogOf(side);
    const target = this.legs.peerOf(side);
    if (!dialog || !target) return;
    const { request } = dialog.createRequest('BYE');
    this.legs.ctx.layer.sendRequest(request, target, {
      onFinal: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }
}
