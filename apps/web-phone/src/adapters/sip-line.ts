import {
  type Invitation,
  Registerer,
  RegistererState,
  RequestPendingError,
  UserAgent,
  Web,
} from 'sip.js';
import { aorText, type Account } from '../domain/account';
import { keepMd5Challenges } from '../domain/digest-challenges';
import type { PhoneEvent } from '../domain/phone-state';
import { reconnectDelayMs } from '../domain/reconnect-backoff';
import { registrationFailure } from '../domain/sip-outcomes';
import type { Microphone } from './microphone';

export interface SipLineSettings {
  readonly wsUrl: string;
  readonly iceServers: RTCIceServer[];
  readonly account: Account;
  readonly password: string;
}

export interface SipLineHooks {
  dispatch(event: PhoneEvent): void;
  /** The sign-in is over for good (wrong credentials): the page returns to the form. */
  signedOut(message: string): void;
  onInvite(invitation: Invitation): void;
}

/** The first sign-in failed; the message is for the user. */
export class SignInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

type RegisterOutcome =
  { readonly ok: true } | { readonly ok: false; readonly status?: number } | 'pending';

/** Seconds asked for; the edge's PBX_SIP_MIN_EXPIRES/MAX_EXPIRES bound what it grants. */
const REGISTER_EXPIRES_S = 300;

/**
 * The phone's line: one SIP.js user agent over the SIP WebSocket, its registration, and
 * getting both back after the connection drops (reconnect with backoff, then REGISTER again).
 * Wrong credentials end the line; a timeout or a server error is retried.
 */
export class SipLine {
  readonly ua: UserAgent;
  readonly #registerer: Registerer;
  #signedIn = false;
  #stopping = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #registerFailures = 0;
  /** SIP.js reads these for every new call: replacing iceServers here applies to the next one. */
  readonly #sdhOptions: {
    peerConnectionConfiguration: RTCConfiguration;
    iceGatheringTimeout: number;
  };

  constructor(
    private readonly settings: SipLineSettings,
    private readonly hooks: SipLineHooks,
    microphone: Microphone,
  ) {
    const { account } = settings;
    const uri = UserAgent.makeURI(`sip:${aorText(account)}`);
    if (uri === undefined) throw new SignInError(`${aorText(account)} is not a SIP address.`);
    this.#sdhOptions = {
      peerConnectionConfiguration: { iceServers: settings.iceServers },
      // Host candidates come at once; with STUN or TURN the gathering needs a moment.
      iceGatheringTimeout: settings.iceServers.length > 0 ? 2_000 : 500,
    };
    this.ua = new UserAgent({
      uri,
      authorizationUsername: account.username,
      authorizationPassword: settings.password,
      transportOptions: { server: settings.wsUrl, connectionTimeout: 5, keepAliveInterval: 25 },
      sessionDescriptionHandlerFactory: Web.defaultSessionDescriptionHandlerFactory(
        microphone.streamFactory,
      ),
      sessionDescriptionHandlerFactoryOptions: this.#sdhOptions,
      delegate: {
        onConnect: () => this.#onConnect(),
        onDisconnect: () => this.#onDisconnect(),
        onInvite: (invitation) => hooks.onInvite(invitation),
      },
      logLevel: 'warn',
      userAgentString: 'PBX web phone (SIP.js 0.21)',
      noAnswerTimeout: 180,
    });
    // SIP.js answers only the last digest challenge and knows only MD5 (see keepMd5Challenges).
    const transport = this.ua.transport;
    const deliver = transport.onMessage;
    if (deliver) transport.onMessage = (message: string) => deliver(keepMd5Challenges(message));
    // Refreshed at 90% of what the edge granted (SIP.js waits for 99% by default), so that a
    // slow network or a retransmission still lands before the binding expires.
    this.#registerer = new Registerer(this.ua, {
      expires: REGISTER_EXPIRES_S,
      refreshFrequency: 90,
    });
    this.#registerer.stateChange.addListener((state) => {
      // A refresh that failed (no delegate of ours sees it): register again to learn why.
      if (state === RegistererState.Unregistered && this.#signedIn && !this.#stopping) {
        if (this.ua.isConnected()) void this.#reregister();
      }
    });
    window.addEventListener('online', this.#onOnline);
  }

  /** Connects and registers; throws SignInError with the reason when that fails. */
  async start(): Promise<void> {
    try {
      await this.ua.start();
    } catch {
      await this.stop();
      throw new SignInError(
        `The phone server cannot be reached at ${this.settings.wsUrl}: check the network, or ask your administrator whether the web phone is enabled.`,
      );
    }
    this.hooks.dispatch({ type: 'registering' });
    const outcome = await this.#register();
    if (outcome === 'pending' || !outcome.ok) {
      await this.stop();
      const status = outcome === 'pending' ? undefined : outcome.status;
      throw new SignInError(registrationFailure(status, this.settings.account.domain).message);
    }
    this.#signedIn = true;
    this.hooks.dispatch({ type: 'registered' });
  }

  /** ICE servers for the calls from now on (TURN credentials arrive with the session). */
  setIceServers(servers: RTCIceServer[]): void {
    this.#sdhOptions.peerConnectionConfiguration = { iceServers: servers };
    this.#sdhOptions.iceGatheringTimeout = servers.length > 0 ? 2_000 : 500;
  }

  /** Unregisters (briefly waited for) and closes the connection; safe to call twice. */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearTimeout(this.#timer);
    window.removeEventListener('online', this.#onOnline);
    if (this.#registerer.state === RegistererState.Registered && this.ua.isConnected()) {
      await Promise.race([
        this.#registerer.unregister().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 1_500)),
      ]);
    }
    await this.ua.stop().catch(() => undefined);
  }

  #register(): Promise<RegisterOutcome> {
    return new Promise((resolve) => {
      this.#registerer
        .register({
          requestDelegate: {
            onAccept: () => resolve({ ok: true }),
            onReject: (response) => resolve({ ok: false, status: response.message.statusCode }),
          },
        })
        .catch((error: unknown) =>
          resolve(error instanceof RequestPendingError ? 'pending' : { ok: false }),
        );
    });
  }

  async #reregister(): Promise<void> {
    clearTimeout(this.#timer);
    this.hooks.dispatch({ type: 'registering' });
    const outcome = await this.#register();
    if (this.#stopping || outcome === 'pending') return;
    if (outcome.ok) {
      this.#registerFailures = 0;
      this.hooks.dispatch({ type: 'registered' });
      return;
    }
    const failure = registrationFailure(outcome.status, this.settings.account.domain);
    if (!failure.retry) {
      this.hooks.signedOut(failure.message);
      return;
    }
    this.#registerFailures += 1;
    this.hooks.dispatch({ type: 'registration-lost', message: failure.message });
    const delay = Math.max(1_000, reconnectDelayMs(this.#registerFailures + 1, Math.random()));
    this.#timer = setTimeout(() => {
      if (this.ua.isConnected()) void this.#reregister();
    }, delay);
  }

  #onConnect(): void {
    if (!this.#signedIn || this.#stopping) return;
    this.#attempt = 0;
    this.hooks.dispatch({ type: 'connected' });
    void this.#reregister();
  }

  #onDisconnect(): void {
    if (!this.#signedIn || this.#stopping) return;
    clearTimeout(this.#timer);
    this.hooks.dispatch({ type: 'connection-lost' });
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    this.#attempt += 1;
    const attempt = this.#attempt;
    const delayMs = reconnectDelayMs(attempt, Math.random());
    this.hooks.dispatch({ type: 'reconnect-scheduled', attempt, delayMs });
    this.#timer = setTimeout(() => this.#reconnectNow(), delayMs);
  }

  #reconnectNow(): void {
    if (this.#stopping) return;
    clearTimeout(this.#timer);
    this.hooks.dispatch({ type: 'reconnecting' });
    // Success shows up as onConnect; a failed attempt only as this rejection.
    this.ua.reconnect().catch(() => {
      if (!this.#stopping && !this.ua.isConnected()) this.#scheduleReconnect();
    });
  }

  /** The browser says the network is back: try at once instead of waiting out the backoff. */
  readonly #onOnline = (): void => {
    if (this.#signedIn && !this.#stopping && !this.ua.isConnected()) this.#reconnectNow();
  };
}
