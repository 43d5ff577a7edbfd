/**
 * The state one B2BUA call shares between its parts (connect phase, in-dialog relay, session
 * refresh, teardown): the caller's INVITE and dialog (leg A, the edge as UAS), the forks and the
 * winning callee dialog (leg B, the edge as UAC), the media session and the offer/answer flags.
 * It also answers the caller's INVITE (RFC 3261 13.3.1) and keeps each dialog's target and CSeq
 * (RFC 3261 12.2.2).
 */
import { randomUUID } from 'node:crypto';
import {
  buildResponse,
  randomToken,
  tagOf,
  type Dialog,
  type ParsedMessage,
  type Peer,
  type ServerRequest,
  type SipResponse,
} from '@pbx/sip';
import type { MediaSession } from '@pbx/telephony';
import type { B2buaContext } from './b2bua-context';
import { ALLOW, withSdp } from './call-messages';
import { dialogKey, type DialogOwner, type LegSide } from './dialog-registry';
import type { OutboundInvite } from './outbound-invite';
import type { SessionTimer } from './session-timer';

export type CallState = 'routing' | 'ringing' | 'answered' | 'ended';

/** The call as the edge's registries know it: the owner of its dialogs, ended on shutdown. */
export type CallHandle = DialogOwner & { shutdown(): void };

export interface CallerReplyOptions {
  readonly reason?: string;
  readonly sdp?: string;
  readonly headers?: readonly (readonly [string, string])[];
  /** Adds the granted Session-Expires and starts the session timer (RFC 4028 section 9). */
  readonly sessionTimer?: boolean;
}

export class CallLegs {
  readonly callId = randomUUID();
  state: CallState = 'routing';
  readonly localTag = randomToken();
  aDialog: Dialog | undefined;
  readonly forks: OutboundInvite[] = [];
  winner: OutboundInvite | undefined;
  media: MediaSession | undefined;
  noAnswerTimer: NodeJS.Timeout | undefined;
  sessionTimer: SessionTimer | undefined;
  /** A re-INVITE from that side is being relayed (RFC 3261 14.2: one at a time). */
  readonly pending: Record<LegSide, boolean> = { caller: false, callee: false };
  readonly onHold: Record<LegSide, boolean> = { caller: false, callee: false };
  /** When the INVITE was read: the post-dial delay counts its authentication too. */
  get receivedAt(): number {
    return this.invite.receivedAt;
  }
  /** Late offer (INVITE without SDP): the callee's 200 holds the offer, the caller's ACK the answer. */
  lateOffer = false;
  /** The last SDP the edge sent the caller: a refresh re-INVITE offers it again (RFC 4028 10). */
  sdpToCaller: string | undefined;
  /** The edge's own refresh re-INVITE to the caller is in progress (an offer of its own). */
  refreshingCaller = false;
  /** The callee sent BYE while the call was still connecting: its dialog is over. */
  calleeHungUp = false;

  constructor(
    readonly ctx: B2buaContext,
    readonly invite: ServerRequest,
    readonly call: CallHandle,
  ) {}

  /** Re-read after an await: the caller may have cancelled meanwhile. */
  ended(): boolean {
    return this.state === 'ended';
  }

  /** The registry key of the caller's dialog (RFC 3261 12). */
  get aKey(): string {
    const p = this.invite.parsed;
    return dialogKey(p.callId, this.localTag, tagOf(p.from) ?? '');
  }

  dialogOf(side: LegSide): Dialog | undefined {
    return side === 'caller' ? this.aDialog : this.winner?.dialog;
  }

  peerOf(side: LegSide): Peer | undefined {
    return side === 'caller' ? this.invite.source : this.winner?.params.target;
  }

  /** RFC 3261 12.2.2: a request with a lower CSeq than the last one gets 500. */
  acceptCSeq(side: LegSide, request: ServerRequest): boolean {
    const dialog = this.dialogOf(side);
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
  refreshTarget(side: LegSide, message: ParsedMessage): void {
    const contact = message.message.headers.getAll('Contact')[0];
    if (contact === undefined) return;
    try {
      this.dialogOf(side)?.updateRemoteTarget(contact);
    } catch (error) {
      this.ctx.log.debug(
        { err: error, callId: this.callId },
        'Contact of a target refresh ignored',
      );
    }
  }

  /** Answers the caller's INVITE; a final other than 487 is dropped once it was cancelled. */
  reply(status: number, options: CallerReplyOptions = {}): SipResponse | undefined {
    if (this.invite.cancelled && status !== 487 && status >= 200) return undefined;
    const headers: (readonly [string, string])[] = [...(options.headers ?? [])];
    if (status > 100 && status < 300) {
      headers.push(['Contact', `<${this.ctx.transport.contactUri(this.invite.source.protocol)}>`]);
      headers.push(['Allow', ALLOW]);
    }
    if (options.sessionTimer && this.sessionTimer) {
      headers.push(...this.sessionTimer.headers());
      this.sessionTimer.start();
    }
    if (options.sdp !== undefined) this.sdpToCaller = options.sdp;
    const response = withSdp(
      buildResponse(this.invite.request, status, {
        reason: options.reason,
        toTag: this.localTag,
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
}
