import { Inviter, UserAgent, type Invitation } from 'sip.js';
import { Microphone, MicrophoneError } from '../adapters/microphone';
import {
  fetchCallLog,
  fetchPhoneConfig,
  pickSipUrl,
  PlatformApiError,
  startPhoneSession,
  type PhoneSession,
} from '../adapters/platform-api';
import { SignInError, SipLine } from '../adapters/sip-line';
import { SipCall } from '../adapters/sip-call';
import { aorText, parseAccount } from '../domain/account';
import { callLogRows, type CallLogRow } from '../domain/call-log';
import { dialUri, parseDialString } from '../domain/dial-string';
import { mediaProblemMessage } from '../domain/media-problem';
import { reducePhone, SIGNED_OUT, type PhoneEvent, type PhoneState } from '../domain/phone-state';

/** The call log as the page shows it. */
export type CallLogState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly rows: readonly CallLogRow[] }
  | { readonly kind: 'loaded'; readonly rows: readonly CallLogRow[] }
  | { readonly kind: 'failed'; readonly rows: readonly CallLogRow[]; readonly message: string };

export interface PhoneAppListener {
  phoneChanged(previous: PhoneState, next: PhoneState): void;
  callLogChanged(log: CallLogState): void;
  /** A problem with what the user typed, shown next to the field. */
  fieldError(field: 'account' | 'number', message: string | undefined): void;
}

/** Renew the session this long before it expires. */
const RENEW_MARGIN_MS = 60_000;
/** How long a call waits for a session renewal (TURN credentials) before it goes without. */
const SESSION_WAIT_BEFORE_CALL_MS = 2_000;
/**
 * The call log is a read model: a call just ended shows up, and then as ended, a moment later.
 * Looked at again after each of these pauses until it has.
 */
const LOG_SETTLE_PAUSES_MS = [400, 800, 1_500, 3_000];

/**
 * The web phone's application layer: one state (reduced from events, domain/phone-state.ts),
 * the SIP line and the current call, the session for the call log. The view calls the
 * commands; the adapters report what happened as events.
 */
export class PhoneApp {
  #state: PhoneState = SIGNED_OUT;
  #log: CallLogState = { kind: 'idle' };
  #line: SipLine | undefined;
  #call: SipCall | undefined;
  #session: PhoneSession | undefined;
  /** A renewal under way, shared by whoever needs the session meanwhile. */
  #renewing: Promise<PhoneSession> | undefined;
  #credentials: { aor: string; password: string } | undefined;
  /** ICE servers anyone gets (GET /api/v1/phone/config); TURN comes with the session. */
  #openIceServers: RTCIceServer[] = [];
  readonly #microphone = new Microphone();

  constructor(
    private readonly listener: PhoneAppListener,
    private readonly remoteAudio: HTMLAudioElement,
  ) {}

  get state(): PhoneState {
    return this.#state;
  }

  readonly dispatch = (event: PhoneEvent): void => {
    const previous = this.#state;
    const next = reducePhone(previous, event);
    if (next === previous) return;
    this.#state = next;
    this.listener.phoneChanged(previous, next);
  };

  async signIn(accountText: string, password: string): Promise<void> {
    if (this.#state.kind !== 'signed-out') return;
    const parsed = parseAccount(accountText);
    this.listener.fieldError('account', parsed.ok ? undefined : parsed.message);
    if (!parsed.ok) return;
    if (password === '') {
      this.dispatch({
        type: 'signed-out',
        notice: { level: 'error', text: 'Enter your SIP password.' },
      });
      return;
    }
    const account = parsed.account;
    this.dispatch({ type: 'sign-in-started', account });
    try {
      const config = await fetchPhoneConfig();
      const wsUrl = pickSipUrl(config, location.protocol);
      if (wsUrl === undefined) {
        throw new SignInError(
          location.protocol === 'https:'
            ? 'The platform offers no secure SIP WebSocket (PBX_SIP_WSS_PORT) for a page served over HTTPS.'
            : 'The platform has no SIP WebSocket enabled (PBX_SIP_WS_PORT or PBX_SIP_WSS_PORT).',
        );
      }
      const line = new SipLine(
        { wsUrl, iceServers: config.iceServers, account, password },
        {
          dispatch: this.dispatch,
          signedOut: (message) => void this.signOut(message),
          onInvite: (invitation) => this.#incoming(invitation),
        },
        this.#microphone,
      );
      this.#line = line;
      this.#openIceServers = config.iceServers;
      await line.start();
      this.#credentials = { aor: aorText(account), password };
      // The session brings the TURN credentials before the first call, and the call log.
      void this.refreshCallLog();
    } catch (error) {
      this.#line = undefined;
      const text =
        error instanceof SignInError || error instanceof PlatformApiError
          ? error.message
          : `Sign-in failed: ${String(error)}`;
      this.dispatch({ type: 'signed-out', notice: { level: 'error', text } });
    }
  }

  async signOut(reason?: string): Promise<void> {
    const line = this.#line;
    this.#line = undefined;
    this.#call?.hangUp();
    this.#call = undefined;
    this.#session = undefined;
    this.#renewing = undefined;
    this.#credentials = undefined;
    this.#log = { kind: 'idle' };
    this.listener.callLogChanged(this.#log);
    this.dispatch({
      type: 'signed-out',
      ...(reason ? { notice: { level: 'error', text: reason } } : {}),
    });
    await line?.stop();
  }

  async dial(text: string): Promise<void> {
    const line = this.#line;
    if (line === undefined || this.#state.kind !== 'signed-in' || this.#call) return;
    const parsed = parseDialString(text);
    this.listener.fieldError('number', parsed.ok ? undefined : parsed.message);
    if (!parsed.ok) return;
    const target = UserAgent.makeURI(dialUri(parsed.digits, this.#state.account.domain));
    if (target === undefined) {
      this.listener.fieldError('number', `${parsed.digits} cannot be dialled.`);
      return;
    }
    if (!(await this.#microphoneReady())) return;
    await this.#freshSession();
    const inviter = new Inviter(line.ua, target, {
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
    } as ConstructorParameters<typeof Inviter>[2]);
    const call = this.#track(inviter, parsed.digits);
    this.dispatch({ type: 'call-dialing', id: call.id, remote: parsed.digits });
    await call.invite();
  }

  async answer(): Promise<void> {
    const call = this.#call;
    if (
      call === undefined ||
      this.#state.kind !== 'signed-in' ||
      this.#state.call.kind !== 'incoming'
    )
      return;
    if (!(await this.#microphoneReady())) return;
    await this.#freshSession();
    await call.answer();
  }

  decline(): void {
    this.#call?.decline();
  }

  hangUp(): void {
    this.#call?.hangUp();
  }

  async setHold(held: boolean): Promise<void> {
    await this.#call?.setHold(held);
  }

  setMuted(muted: boolean): void {
    this.#call?.setMuted(muted);
  }

  sendTone(tone: string): void {
    this.#call?.sendTone(tone);
  }

  /** Refreshes the log after a call until the call is in it and no longer ongoing (bounded). */
  async #refreshUntilSettled(): Promise<void> {
    const credentials = this.#credentials;
    const newestBefore = this.#log.kind === 'idle' ? undefined : this.#log.rows[0]?.callId;
    for (const pause of LOG_SETTLE_PAUSES_MS) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (this.#credentials !== credentials || this.#call !== undefined) return;
      await this.refreshCallLog();
      const log = this.#log;
      if (log.kind !== 'loaded') continue;
      if (log.rows[0]?.callId !== newestBefore && !log.rows.some((row) => row.ongoing)) return;
    }
  }

  /** Loads the user's call log (U1), renewing the read-only session when it is about to end. */
  async refreshCallLog(): Promise<void> {
    const credentials = this.#credentials;
    if (credentials === undefined) return;
    this.#setLog({ kind: 'loading', rows: this.#log.kind === 'idle' ? [] : this.#log.rows });
    try {
      const session = await this.#renewedSession();
      const records = await fetchCallLog(session.token);
      if (this.#credentials !== credentials) return;
      this.#setLog({ kind: 'loaded', rows: callLogRows(records, session.owner) });
    } catch (error) {
      if (this.#credentials !== credentials) return;
      if (error instanceof PlatformApiError && error.status === 401) this.#session = undefined;
      const message = error instanceof Error ? error.message : String(error);
      this.#setLog({
        kind: 'failed',
        rows: this.#log.kind === 'idle' ? [] : this.#log.rows,
        message,
      });
    }
  }

  /** The session, renewed when it is about to expire; its TURN servers go to the line. */
  async #renewedSession(): Promise<PhoneSession> {
    const current = this.#session;
    if (current !== undefined && current.expiresAt - Date.now() >= RENEW_MARGIN_MS) return current;
    const credentials = this.#credentials;
    if (credentials === undefined) throw new PlatformApiError('Signed out.');
    this.#renewing ??= startPhoneSession(credentials.aor, credentials.password).finally(() => {
      this.#renewing = undefined;
    });
    const session = await this.#renewing;
    if (this.#credentials !== credentials) throw new PlatformApiError('Signed out.');
    this.#session = session;
    this.#line?.setIceServers([...this.#openIceServers, ...session.iceServers]);
    return session;
  }

  /**
   * Before a call: a session whose TURN credentials are still good. Waits briefly; without it
   * the call still goes, on the ICE servers already known (enough on the same network).
   */
  async #freshSession(): Promise<void> {
    await Promise.race([
      this.#renewedSession().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, SESSION_WAIT_BEFORE_CALL_MS)),
    ]);
  }

  #setLog(log: CallLogState): void {
    this.#log = log;
    this.listener.callLogChanged(log);
  }

  async #microphoneReady(): Promise<boolean> {
    try {
      await this.#microphone.acquire();
      return true;
    } catch (error) {
      const text =
        error instanceof MicrophoneError ? mediaProblemMessage(error.problem) : String(error);
      this.dispatch({ type: 'notice', notice: { level: 'error', text } });
      return false;
    }
  }

  #incoming(invitation: Invitation): void {
    if (this.#call !== undefined || this.#state.kind !== 'signed-in') {
      // One call at a time: a second caller hears busy (and call waiting is not offered).
      invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const identity = invitation.remoteIdentity;
    const number = identity.uri.user ?? identity.uri.host;
    const remote = identity.displayName ? `${identity.displayName} (${number})` : number;
    const call = this.#track(invitation, remote);
    this.dispatch({ type: 'call-incoming', id: call.id, remote });
    invitation.progress().catch(() => undefined);
  }

  #track(session: Inviter | Invitation, remote: string): SipCall {
    const call = new SipCall(session, remote, this.dispatch, this.remoteAudio, (ended) => {
      if (this.#call === ended) this.#call = undefined;
      this.#microphone.release();
      void this.#refreshUntilSettled();
    });
    this.#call = call;
    return call;
  }
}
