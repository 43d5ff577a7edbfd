import { Invitation, Inviter, type Session, SessionState, Web } from 'sip.js';
import { isDtmfTone } from '../domain/dial-string';
import type { PhoneEvent } from '../domain/phone-state';
import type { CallEnd } from '../domain/sip-outcomes';

/** How long a tone sounds; RFC 4733 events of 100-120 ms are what IVRs expect. */
const TONE_MS = 120;
const TONE_GAP_MS = 70;

/**
 * One call as SIP.js runs it, told to the phone as PhoneEvents. It remembers what happened on
 * the way (who hung up, which final response came, whether this side cancelled or declined) so
 * that the end can be told precisely.
 */
export class SipCall {
  #established = false;
  #localHangUp = false;
  #remoteHangUp = false;
  #declined = false;
  #cancelled = false;
  #rejectedWith: number | undefined;
  #failure: string | undefined;
  #held = false;
  #muted = false;
  /** A hold or resume re-INVITE is out: SIP.js ends the call if it cannot use the answer. */
  #renegotiating: 'hold' | 'resume' | undefined;

  constructor(
    readonly session: Session,
    readonly remote: string,
    private readonly dispatch: (event: PhoneEvent) => void,
    private readonly remoteAudio: HTMLAudioElement,
    private readonly onEnded: (call: SipCall) => void,
  ) {
    session.stateChange.addListener((state) => this.#onState(state));
    // Handling onBye takes over answering the BYE (SIP.js answers it only without a delegate).
    session.delegate = {
      onBye: (bye) => {
        this.#remoteHangUp = true;
        bye.accept().catch(() => undefined);
      },
    };
  }

  get id(): string {
    return this.session.id;
  }

  /** Sends the INVITE of an outgoing call; provisional and final responses become events. */
  async invite(): Promise<void> {
    const inviter = this.session as Inviter;
    try {
      await inviter.invite({
        requestDelegate: {
          onProgress: (response) => {
            const status = response.message.statusCode;
            if (status === 180 || status === 183)
              this.dispatch({ type: 'call-ringing', id: this.id });
          },
          onReject: (response) => (this.#rejectedWith = response.message.statusCode),
        },
      });
    } catch (error) {
      this.#failure = `The call could not be placed: ${describe(error)}.`;
      if (inviter.state === SessionState.Initial) await inviter.dispose().catch(() => undefined);
    }
  }

  async answer(): Promise<void> {
    const invitation = this.session as Invitation;
    this.dispatch({ type: 'call-answering', id: this.id });
    try {
      await invitation.accept({
        sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      } as Parameters<Invitation['accept']>[0]);
    } catch (error) {
      this.#failure = `The call could not be answered: ${describe(error)}.`;
    }
  }

  /** 486 Busy Here: only this device declines; the user's other devices go on ringing. */
  decline(): void {
    if (!(this.session instanceof Invitation) || this.session.state !== SessionState.Initial)
      return;
    this.#declined = true;
    this.session.reject({ statusCode: 486 }).catch(() => undefined);
  }

  hangUp(): void {
    const s = this.session;
    this.dispatch({ type: 'call-ending', id: this.id });
    if (s.state === SessionState.Established) {
      this.#localHangUp = true;
      s.bye().catch(() => void s.dispose());
    } else if (s instanceof Inviter && s.state !== SessionState.Terminated) {
      this.#cancelled = true;
      s.cancel().catch(() => void s.dispose());
    } else if (s instanceof Invitation && s.state === SessionState.Initial) {
      this.decline();
    } else {
      this.#localHangUp = true;
      void s.dispose();
    }
  }

  /** A re-INVITE with the SDP direction for hold (sendonly) or resume (sendrecv). */
  async setHold(held: boolean): Promise<void> {
    const s = this.session;
    if (s.state !== SessionState.Established || held === this.#held) return;
    this.dispatch({ type: 'call-hold-pending', id: this.id });
    const before = s.sessionDescriptionHandlerOptionsReInvite;
    s.sessionDescriptionHandlerOptionsReInvite = { ...before, hold: held } as typeof before;
    const verb = held ? 'hold' : 'resume';
    this.#renegotiating = verb;
    const refused = (why: string): void => {
      this.#renegotiating = undefined;
      s.sessionDescriptionHandlerOptionsReInvite = before;
      this.dispatch({
        type: 'call-hold-failed',
        id: this.id,
        message: `Could not ${verb} the call: ${why}.`,
      });
    };
    try {
      await s.invite({
        requestDelegate: {
          onAccept: () => {
            this.#renegotiating = undefined;
            if (s.state !== SessionState.Established) return;
            this.#held = held;
            this.#applyTracks();
            this.dispatch({ type: 'call-hold-changed', id: this.id, held });
          },
          onReject: (response) => refused(`the other side answered ${response.message.statusCode}`),
        },
      });
    } catch (error) {
      refused(describe(error));
    }
  }

  setMuted(muted: boolean): void {
    if (this.session.state !== SessionState.Established) return;
    this.#muted = muted;
    this.#applyTracks();
    this.dispatch({ type: 'call-mute-changed', id: this.id, muted });
  }

  /**
   * RFC 4733 telephone-events in the RTP stream when the browser can insert them (an
   * RTCDTMFSender, telephone-event negotiated); otherwise SIP INFO (application/dtmf-relay),
   * which the edge relays to the other side.
   */
  sendTone(tone: string): void {
    const s = this.session;
    if (!isDtmfTone(tone) || s.state !== SessionState.Established || this.#held) return;
    const sdh = s.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    const inBand = sdh?.sendDtmf(tone, { duration: TONE_MS, interToneGap: TONE_GAP_MS }) ?? false;
    if (!inBand) {
      s.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: `Signal=${tone}\r\nDuration=${TONE_MS}`,
          },
        },
      }).catch(() => undefined);
    }
    this.dispatch({ type: 'call-tone-sent', id: this.id, tone });
  }

  #applyTracks(): void {
    const sdh = this.session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    sdh?.enableReceiverTracks(!this.#held);
    sdh?.enableSenderTracks(!this.#held && !this.#muted);
  }

  #onState(state: SessionState): void {
    switch (state) {
      case SessionState.Established: {
        this.#established = true;
        const sdh = this.session.sessionDescriptionHandler as
          Web.SessionDescriptionHandler | undefined;
        if (sdh) {
          this.remoteAudio.srcObject = sdh.remoteMediaStream;
          this.remoteAudio.play().catch(() => undefined);
        }
        this.dispatch({ type: 'call-established', id: this.id, at: Date.now() });
        return;
      }
      case SessionState.Terminated:
        this.remoteAudio.srcObject = null;
        this.dispatch({ type: 'call-ended', id: this.id, end: this.#end() });
        this.onEnded(this);
        return;
      default:
        return;
    }
  }

  #end(): CallEnd {
    if (this.#established && !this.#localHangUp && !this.#remoteHangUp && this.#renegotiating) {
      return {
        kind: 'failed',
        message: `The call ended: the answer to ${this.#renegotiating} could not be used.`,
      };
    }
    if (this.#established) {
      return { kind: 'hung-up', by: this.#localHangUp && !this.#remoteHangUp ? 'local' : 'remote' };
    }
    if (this.#failure !== undefined) return { kind: 'failed', message: this.#failure };
    if (this.session instanceof Invitation)
      return this.#declined ? { kind: 'declined' } : { kind: 'missed' };
    if (this.#cancelled) return { kind: 'cancelled' };
    if (this.#rejectedWith !== undefined) return { kind: 'rejected', status: this.#rejectedWith };
    return { kind: 'failed', message: 'The call could not be set up.' };
  }
}

/**
 * What went wrong, for the user. WebRTC refusing a session description (an offer without DTLS,
 * a direction it cannot take) says nothing to a caller; the details stay in the console.
 */
function describe(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'InvalidAccessError' || name === 'OperationError' || /Description/.test(message)) {
    console.warn('web phone: session description refused', error);
    return 'this browser could not use the audio the other side offered';
  }
  return message.replace(/\.$/, '');
}
