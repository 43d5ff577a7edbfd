import { listsOptionTag, type SipHeaders } from '@pbx/sip';

/** The smallest session interval RFC 4028 allows (section 4: Min-SE default 90 s). */
export const MIN_SE = 90;
/** Spacing of another attempt after a refresh that failed without ending the dialog. */
const RETRY_S = 2;

export type SessionTimerNegotiation =
  | { readonly kind: 'none' }
  | { readonly kind: 'too-small'; readonly minSe: number }
  | { readonly kind: 'granted'; readonly timer: SessionTimer };

/** What the edge grants: at most `configuredS`, never below `minSeS`. */
export interface SessionTimerPolicy {
  readonly configuredS: number;
  readonly minSeS: number;
}

export interface SessionTimerHandlers {
  /** The session expired without a refresh: the call must end (RFC 4028 section 10). */
  onExpired(): void;
  /** The edge is the refresher and half the interval has passed: send a session refresh. */
  onRefreshDue(): void;
}

/** Throws on a policy the edge cannot run with (checked once, at start-up). */
export function assertSessionTimerPolicy(policy: SessionTimerPolicy): void {
  if (!Number.isInteger(policy.minSeS) || policy.minSeS < 1) {
    throw new RangeError(`minSessionExpiresS must be a positive integer, got ${policy.minSeS}`);
  }
  if (!Number.isInteger(policy.configuredS) || policy.configuredS < policy.minSeS) {
    throw new RangeError(
      `sessionExpiresS must be an integer of at least ${policy.minSeS}, got ${policy.configuredS}`,
    );
  }
}

/** `delta-seconds *(;param)` of Session-Expires / Min-SE (RFC 4028 sections 4 and 5). */
function parseDelta(value: string | undefined): { seconds: number; params: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d{1,10})\s*(?:;(.*))?$/.exec(value);
  return match ? { seconds: Number(match[1]), params: match[2] ?? '' } : undefined;
}

function refresherParam(params: string): 'uac' | 'uas' | undefined {
  const match = /(?:^|;)\s*refresher\s*=\s*(uac|uas)\s*(?:;|$)/i.exec(params);
  return match ? (match[1].toLowerCase() as 'uac' | 'uas') : undefined;
}

/**
 * RFC 4028 session timer on the caller's leg. `refresher` is named as in the caller's INVITE:
 * `uac` is the caller, `uas` the edge.
 *
 * - Caller refreshes: the edge ends the call when no refresh (re-INVITE or UPDATE) arrives
 *   before the session expires, `min(32, SE/3)` seconds before the interval (section 10).
 * - Edge refreshes (the caller asked `refresher=uas`, or cannot refresh because it does not list
 *   `timer` in Supported, a proxy having inserted Session-Expires, section 9): at half the
 *   interval onRefreshDue fires; a refresh that fails without ending the dialog is retried, and
 *   the call ends when the interval passes without a successful one.
 */
export class SessionTimer {
  #refreshTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  #intervalS: number;
  #refresher: 'uac' | 'uas';

  private constructor(
    intervalS: number,
    refresher: 'uac' | 'uas',
    /** The caller listed `timer` in Supported: only then may a response Require it. */
    private readonly callerSupports: boolean,
    private readonly minSeS: number,
    private readonly handlers: SessionTimerHandlers,
  ) {
    this.#intervalS = intervalS;
    this.#refresher = refresher;
  }

  static negotiate(
    headers: SipHeaders,
    policy: SessionTimerPolicy,
    handlers: SessionTimerHandlers,
  ): SessionTimerNegotiation {
    const supports = listsOptionTag(headers.getAll('Supported'), 'timer');
    // Section 9: the interval granted is never below the Min-SE of the request.
    const floor = Math.max(policy.minSeS, parseDelta(headers.get('Min-SE'))?.seconds ?? 0);
    const granted = (intervalS: number, refresher: 'uac' | 'uas'): SessionTimerNegotiation => ({
      kind: 'granted',
      timer: new SessionTimer(intervalS, refresher, supports, policy.minSeS, handlers),
    });
    const raw = headers.get('Session-Expires');
    if (raw === undefined) {
      return supports ? granted(Math.max(policy.configuredS, floor), 'uac') : { kind: 'none' };
    }
    const asked = parseDelta(raw);
    if (asked === undefined) return { kind: 'none' };
    if (asked.seconds < policy.minSeS) return { kind: 'too-small', minSe: policy.minSeS };
    const refresher = !supports || refresherParam(asked.params) === 'uas' ? 'uas' : 'uac';
    return granted(Math.max(floor, Math.min(asked.seconds, policy.configuredS)), refresher);
  }

  get intervalS(): number {
    return this.#intervalS;
  }

  get refresher(): 'uac' | 'uas' {
    return this.#refresher;
  }

  /** For the 2xx: Require: timer only towards a caller that supports it (RFC 4028 section 9). */
  headers(): [string, string][] {
    const headers: [string, string][] = [
      ['Session-Expires', `${this.#intervalS};refresher=${this.#refresher}`],
    ];
    if (this.callerSupports) headers.push(['Require', 'timer']);
    return headers;
  }

  /** For a refresh the edge sends: the edge, UAC of that transaction, stays refresher (7.4). */
  refreshHeaders(): [string, string][] {
    return [
      ['Session-Expires', `${this.#intervalS};refresher=uac`],
      ['Min-SE', String(this.minSeS)],
      ['Supported', 'timer'],
    ];
  }

  start(): void {
    this.refreshed();
  }

  /** A session refresh succeeded (either side's re-INVITE or UPDATE got a 2xx). */
  refreshed(): void {
    this.stop();
    if (this.#refresher === 'uac') {
      const expiresInS = this.#intervalS - Math.min(32, this.#intervalS / 3);
      this.#expiryTimer = setTimeout(() => this.#expire(), expiresInS * 1000).unref();
      return;
    }
    this.#expiryTimer = setTimeout(() => this.#expire(), this.#intervalS * 1000).unref();
    this.#scheduleRefresh(this.#intervalS / 2);
  }

  /**
   * The 2xx to the edge's own refresh (RFC 4028 section 7.2): a Session-Expires in it sets the
   * interval and who refreshes from now on (`uas` there is the caller); without one the edge
   * keeps refreshing as before.
   */
  refreshAnswered(response: SipHeaders): void {
    const granted = parseDelta(response.get('Session-Expires'));
    if (granted !== undefined && granted.seconds >= this.minSeS) {
      this.#intervalS = granted.seconds;
      this.#refresher = refresherParam(granted.params) === 'uas' ? 'uac' : 'uas';
    }
    this.refreshed();
  }

  /** The edge's refresh failed but the dialog lives (491, 5xx...): try again shortly. */
  refreshFailed(): void {
    if (this.#refresher !== 'uas' || this.#expiryTimer === undefined) return;
    this.#scheduleRefresh(Math.min(RETRY_S, this.#intervalS / 8));
  }

  stop(): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#expiryTimer);
    this.#refreshTimer = undefined;
    this.#expiryTimer = undefined;
  }

  #scheduleRefresh(inS: number): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      this.handlers.onRefreshDue();
    }, inS * 1000).unref();
  }

  #expire(): void {
    this.stop();
    this.handlers.onExpired();
  }
}
