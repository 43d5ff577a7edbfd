import type { Logger } from 'pino';
import {
  answerDigestChallenge,
  buildRequest,
  pickDigestChallenge,
  randomToken,
  type ParsedMessage,
  type SipTransport,
  type TransactionLayer,
} from '@pbx/sip';
import type { TrunkRoute } from '@pbx/telephony';

export type TrunkRegistrationState = 'registering' | 'registered' | 'failed' | 'stopped';

const REQUESTED_EXPIRES_S = 3600;
const RETRY_MIN_MS = 5_000;
const RETRY_MAX_MS = 300_000;

/**
 * Keeps one trunk registered to its carrier (RFC 3261 10.2): REGISTER with the trunk's
 * credentials when challenged, refreshed before the granted expiry, retried with backoff.
 */
export class TrunkRegistration {
  readonly #callId = `${randomToken()}${randomToken()}`;
  readonly #fromTag = randomToken();
  #cseq = 0;
  #nonceCount = 0;
  #state: TrunkRegistrationState = 'registering';
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #expiresAt = 0;

  constructor(
    readonly trunk: TrunkRoute,
    private readonly layer: TransactionLayer,
    private readonly transport: SipTransport,
    private readonly log: Logger,
  ) {}

  get state(): TrunkRegistrationState {
    return this.#state;
  }

  /** When the carrier's registration runs out (ms since epoch); 0 before the first success. */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  start(): void {
    this.#register(undefined, REQUESTED_EXPIRES_S);
  }

  /** Unregisters (Expires: 0) and stops refreshing. */
  stop(): void {
    clearTimeout(this.#timer);
    if (this.#state === 'registered') this.#register(undefined, 0);
    this.#state = 'stopped';
  }

  #aor(): string {
    return `sip:${this.trunk.username ?? 'pbx'}@${this.trunk.host}`;
  }

  #register(authorization: readonly [string, string] | undefined, expires: number): void {
    const t = this.trunk;
    this.#cseq += 1;
    const request = buildRequest({
      method: 'REGISTER',
      requestUri: `sip:${t.host}:${t.port}${t.transport === 'udp' ? '' : `;transport=${t.transport}`}`,
      from: { value: `<${this.#aor()}>`, tag: this.#fromTag },
      to: { value: `<${this.#aor()}>` },
      callId: this.#callId,
      cseq: this.#cseq,
      contact: `<${this.transport.contactUri(t.transport, t.username)}>`,
      headers: [['Expires', String(expires)], ...(authorization ? [authorization] : [])],
    });
    this.layer.sendRequest(
      request,
      { protocol: t.transport, address: t.host, port: t.port },
      {
        onFinal: (response) =>
          this.#onFinal(response, request.requestUri, expires, !!authorization),
        onTimeout: () => this.#retry('no answer from the carrier'),
        onTransportError: (error) => this.#retry(error.message),
      },
    );
  }

  #onFinal(response: ParsedMessage, uri: string, expires: number, authenticated: boolean): void {
    if (this.#state === 'stopped' || response.message.kind !== 'response') return;
    const status = response.message.status;
    if (status >= 200 && status < 300) {
      if (expires === 0) return;
      const granted = grantedExpires(response, expires);
      this.#state = 'registered';
      this.#failures = 0;
      this.#expiresAt = Date.now() + granted * 1000;
      this.log.info({ trunk: this.trunk.name, expires: granted }, 'registered to the carrier');
      // Refresh at half the interval, at least 5 s before it runs out.
      const inMs = Math.max(1_000, Math.min(granted * 500, (granted - 5) * 1000));
      this.#timer = setTimeout(() => this.#register(undefined, REQUESTED_EXPIRES_S), inMs).unref();
      return;
    }
    if ((status === 401 || status === 407) && this.trunk.password !== undefined) {
      const challenge = pickDigestChallenge(
        response.message.headers.getAll(status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate'),
      );
      if (challenge && (!authenticated || challenge.stale)) {
        this.#nonceCount = 1;
        const value = answerDigestChallenge({
          challenge,
          method: 'REGISTER',
          uri,
          username: this.trunk.username ?? '',
          password: this.trunk.password,
          nonceCount: this.#nonceCount,
        });
        this.#register([status === 401 ? 'Authorization' : 'Proxy-Authorization', value], expires);
        return;
      }
    }
    this.#retry(`carrier answered ${status}`);
  }

  #retry(reason: string): void {
    if (this.#state === 'stopped') return;
    this.#state = 'failed';
    this.#failures += 1;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** (this.#failures - 1));
    this.log.warn(
      { trunk: this.trunk.name, reason, retryInMs: delay },
      'trunk registration failed',
    );
    this.#timer = setTimeout(() => this.#register(undefined, REQUESTED_EXPIRES_S), delay).unref();
  }
}

/** The expiry the registrar granted (RFC 3261 10.2.4): Contact expires, else Expires, else asked. */
function grantedExpires(response: ParsedMessage, asked: number): number {
  const contact = response.contact;
  if (contact && !contact.wildcard) {
    for (const c of contact.contacts) if (c.expires !== null) return c.expires;
  }
  const header = response.message.headers.get('Expires');
  if (header !== undefined && /^\d+$/.test(header.trim())) return Number(header.trim());
  return asked;
}
