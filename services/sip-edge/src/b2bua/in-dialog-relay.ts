/**
 * Requests inside an answered call passed from one leg to the other: re-INVITE (hold, resume,
 * target and session refresh, RFC 3261 14) one offer/answer at a time with 491 on glare
 * (RFC 3261 14.2), its 2xx ACKed hop by hop (RFC 3261 13.2.2.4), hold and resume reported
 * (RFC 3264 section 8.4), UPDATE as a session refresh (RFC 3311, RFC 4028 section 7) and INFO
 * (RFC 6086) relayed with its body.
 */
import { buildResponse, type ParsedMessage, type ServerRequest } from '@pbx/sip';
import type { CallLegs } from './call-legs';
import { bodyOf, withSdp } from './call-messages';
import type { CallTeardown } from './call-teardown';
import { otherSide, type LegSide } from './dialog-registry';
import { isHoldOffer } from './sdp-direction';

export class InDialogRelay {
  constructor(
    private readonly legs: CallLegs,
    private readonly teardown: CallTeardown,
  ) {}

  /** Re-INVITE (hold, resume, target refresh, session refresh) passed across (RFC 3261 14). */
  async relayReinvite(side: LegSide, request: ServerRequest): Promise<void> {
    const legs = this.legs;
    const other = otherSide(side);
    if (legs.state !== 'answered') {
      // While connecting the callee's 2xx is not yet ACKed: its offer must wait (RFC 3261 14.2).
      request.respond(buildResponse(request.request, legs.state === 'ringing' ? 491 : 481));
      return;
    }
    if (!legs.acceptCSeq(side, request)) return;
    if (legs.pending[side] || legs.pending[other] || legs.refreshingCaller) {
      // Glare (RFC 3261 14.2): one offer/answer exchange at a time.
      request.respond(buildResponse(request.request, 491));
      return;
    }
    legs.pending[side] = true;
    legs.refreshTarget(side, request.parsed);
    if (side === 'caller') legs.sessionTimer?.refreshed();
    const offer = bodyOf(request.parsed);
    let forOther: string | undefined;
    try {
      forOther = offer === undefined ? undefined : await legs.media?.offer(side, offer);
    } catch {
      legs.pending[side] = false;
      request.respond(buildResponse(request.request, 488));
      return;
    }
    const dialog = legs.dialogOf(other);
    const target = legs.peerOf(other);
    if (dialog === undefined || target === undefined || legs.state !== 'answered') {
      legs.pending[side] = false;
      request.respond(buildResponse(request.request, 481));
      return;
    }
    const { request: reinvite } = dialog.createRequest('INVITE', {
      headers: [['Contact', `<${legs.ctx.transport.contactUri(target.protocol)}>`]],
      body: forOther === undefined ? undefined : Buffer.from(forOther),
      contentType: forOther === undefined ? undefined : 'application/sdp',
    });
    if (other === 'caller' && forOther !== undefined) legs.sdpToCaller = forOther;
    legs.ctx.layer.sendRequest(reinvite, target, {
      onFinal: (response) => {
        void this.#onReinviteFinal(side, request, reinvite.headers.get('CSeq') ?? '', response);
      },
      onTimeout: () => this.#reinviteFailed(side, request, 408),
      onTransportError: () => this.#reinviteFailed(side, request, 503),
    });
    if (offer !== undefined) this.#reportHold(side, offer);
  }

  /** UPDATE without SDP is a session refresh (RFC 4028 / RFC 3311); with SDP it is refused. */
  onUpdate(side: LegSide, request: ServerRequest): void {
    const legs = this.legs;
    if (!legs.acceptCSeq(side, request)) return;
    if (bodyOf(request.parsed) !== undefined) {
      request.respond(buildResponse(request.request, 488));
      return;
    }
    legs.refreshTarget(side, request.parsed);
    // The caller's session timer is the only one the edge runs: the callee's leg gets no
    // Session-Expires, so it expects no refresh from the edge (RFC 4028 section 7.2).
    const timer = side === 'caller' ? legs.sessionTimer : undefined;
    timer?.refreshed();
    request.respond(buildResponse(request.request, 200, { headers: timer?.headers() ?? [] }));
  }

  /** INFO (e.g. DTMF from phones that send it so) passed across with its body. */
  relayInfo(side: LegSide, request: ServerRequest): void {
    const legs = this.legs;
    const other = otherSide(side);
    const dialog = legs.dialogOf(other);
    const target = legs.peerOf(other);
    if (legs.state !== 'answered' || !dialog || !target) {
      request.respond(buildResponse(request.request, 481));
      return;
    }
    if (!legs.acceptCSeq(side, request)) return;
    const type = request.request.headers.get('Content-Type');
    const { request: info } = dialog.createRequest('INFO', {
      body: request.request.body.length > 0 ? request.request.body : undefined,
      contentType: type,
    });
    legs.ctx.layer.sendRequest(info, target, {
      onFinal: (response) => {
        const status = response.message.kind === 'response' ? response.message.status : 500;
        request.respond(buildResponse(request.request, status));
      },
      onTimeout: () => request.respond(buildResponse(request.request, 408)),
      onTransportError: () => request.respond(buildResponse(request.request, 503)),
    });
  }

  async #onReinviteFinal(
    side: LegSide,
    request: ServerRequest,
    cseq: string,
    response: ParsedMessage,
  ): Promise<void> {
    const legs = this.legs;
    const other = otherSide(side);
    if (response.message.kind !== 'response') return;
    const status = response.message.status;
    const dialog = legs.dialogOf(other);
    const target = legs.peerOf(other);
    if (status >= 200 && status < 300 && dialog && target) {
      legs.refreshTarget(other, response);
      // A re-INVITE answered 2xx refreshes the session whoever sent it (RFC 4028 section 10).
      if (other === 'caller') legs.sessionTimer?.refreshed();
      const ack = dialog.createAck(Number.parseInt(cseq, 10));
      void legs.ctx.layer.sendStateless(ack, target).catch(() => undefined);
      const answer = bodyOf(response);
      let forSide: string | undefined;
      try {
        forSide = answer === undefined ? undefined : await legs.media?.answer(other, answer);
      } catch {
        forSide = undefined;
      }
      legs.pending[side] = false;
      if (side === 'caller' && forSide !== undefined) legs.sdpToCaller = forSide;
      request.respond(
        withSdp(
          buildResponse(request.request, 200, {
            toTag: legs.localTag,
            headers: [['Contact', `<${legs.ctx.transport.contactUri(request.source.protocol)}>`]],
          }),
          forSide,
        ),
      );
      return;
    }
    this.#reinviteFailed(side, request, status);
  }

  #reinviteFailed(side: LegSide, request: ServerRequest, status: number): void {
    this.legs.pending[side] = false;
    request.respond(buildResponse(request.request, status >= 300 ? status : 500));
    if (status === 481 || status === 408) this.teardown.hangUp('failed');
  }

  /** A sendonly/inactive offer puts the call on hold, another resumes it (RFC 3264 8.4). */
  #reportHold(side: LegSide, offer: string): void {
    const hold = isHoldOffer(offer);
    if (hold === this.legs.onHold[side]) return;
    this.legs.onHold[side] = hold;
    this.legs.ctx.routing.report(this.legs.callId, {
      kind: hold ? 'held' : 'resumed',
      at: new Date(),
      by: side,
    });
  }
}
