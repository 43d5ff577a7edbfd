/**
 * The caller's session timer (RFC 4028): granted on the INVITE or refused with 422 (section 9),
 * and the edge as the refresher towards the caller (section 10) with UPDATE (RFC 3311) or a
 * re-INVITE offering the same SDP again (RFC 3264 section 8). A refresh that finds the dialog
 * gone ends the call.
 */
import type { Dialog } from '@pbx/sip';
import type { CallLegs } from './call-legs';
import type { CallTeardown } from './call-teardown';
import { allows, sendSessionRefresh } from './session-refresh';
import { MIN_SE, SessionTimer } from './session-timer';

export class CallerSessionRefresher {
  constructor(
    private readonly legs: CallLegs,
    private readonly teardown: CallTeardown,
  ) {}

  /**
   * RFC 4028: grant the caller's session timer, or 422 when it asked for too short a one.
   * Returns true when the INVITE was rejected.
   */
  negotiate(): boolean {
    const legs = this.legs;
    const timer = SessionTimer.negotiate(
      legs.invite.parsed.message.headers,
      {
        configuredS: legs.ctx.settings.sessionExpiresS,
        minSeS: legs.ctx.settings.minSessionExpiresS ?? MIN_SE,
      },
      {
        onExpired: () => this.teardown.hangUp('failed'),
        onRefreshDue: () => this.#refreshCaller(),
      },
    );
    if (timer.kind === 'too-small') {
      legs.reply(422, { headers: [['Min-SE', String(timer.minSe)]] });
      this.teardown.end();
      return true;
    }
    legs.sessionTimer = timer.kind === 'granted' ? timer.timer : undefined;
    return false;
  }

  /**
   * The edge is the refresher towards the caller (RFC 4028 section 10): an UPDATE without SDP
   * when the caller's INVITE allowed UPDATE (RFC 3311), else a re-INVITE offering again the last
   * SDP the edge sent it (unchanged, so the same o= version, RFC 3264 section 8). A re-INVITE
   * waits while another offer/answer exchange is in progress.
   */
  #refreshCaller(): void {
    const legs = this.legs;
    const timer = legs.sessionTimer;
    const dialog = legs.aDialog;
    if (legs.state !== 'answered' || timer === undefined || dialog === undefined) return;
    const method = allows(legs.invite.parsed.message.headers, 'UPDATE') ? 'UPDATE' : 'INVITE';
    if (method === 'INVITE') {
      const busy = legs.pending.caller || legs.pending.callee || legs.lateOffer;
      if (busy || legs.refreshingCaller || legs.sdpToCaller === undefined) {
        timer.refreshFailed();
        return;
      }
      legs.refreshingCaller = true;
    }
    legs.ctx.log.debug({ callId: legs.callId, method }, 'refreshing the caller’s session');
    try {
      this.#sendCallerRefresh(timer, dialog, method);
    } catch (error) {
      // The dialog cannot carry another request (its CSeq space is exhausted, RFC 3261 8.1.1.5).
      legs.refreshingCaller = false;
      legs.ctx.log.warn({ err: error, callId: legs.callId }, 'session refresh not sent');
      this.teardown.hangUp('failed');
    }
  }

  #sendCallerRefresh(timer: SessionTimer, dialog: Dialog, method: 'UPDATE' | 'INVITE'): void {
    const legs = this.legs;
    sendSessionRefresh(
      legs.ctx,
      {
        dialog,
        target: legs.invite.source,
        method,
        sdp: legs.sdpToCaller,
        headers: timer.refreshHeaders(),
      },
      {
        onRefreshed: (response) => {
          legs.refreshingCaller = false;
          if (legs.state !== 'answered') return;
          legs.refreshTarget('caller', response);
          timer.refreshAnswered(response.message.headers);
        },
        onDialogGone: () => {
          legs.refreshingCaller = false;
          legs.ctx.log.info({ callId: legs.callId }, 'session refresh failed: call ended');
          this.teardown.hangUp('failed');
        },
        onFailed: (status) => {
          legs.refreshingCaller = false;
          legs.ctx.log.debug({ callId: legs.callId, status }, 'session refresh refused');
          if (legs.state === 'answered') timer.refreshFailed();
        },
      },
    );
  }
}
