import type { SipHeaders } from '@pbx/sip';

/** The smallest session interval the edge accepts (RFC 4028 section 4: Min-SE default 90 s). */
export const MIN_SE = 90;

export type SessionTimerNegotiation =
  | { readonly kind: 'none' }
  | { readonly kind: 'too-small'; readonly minSe: number }
  | { readonly kind: 'granted'; readonly timer: SessionTimer };

function supportsTimer(headers: SipHeaders): boolean {
  for (const v of [...headers.getAll('Supported'), ...headers.getAll('k')]) {
    if (v.trim().toLowerCase() === 'timer') return true;
  }
  return false;
}

/**
 * RFC 4028 session timer on the caller's leg. When the caller asks for one, the edge grants
 * min(asked, configured) and, with the caller as refresher, ends the call when no refresh
 * (re-INVITE or UPDATE) arrives before the interval runs out (section 10: the session expires
 * `min(32, SE/3)` seconds before the interval). When the caller asks the edge to refresh
 * (refresher=uas), the edge agrees and relies on the RTP timeout to notice a vanished peer.
 * A caller that does not list `timer` in Supported (a proxy inserted Session-Expires) cannot
 * refresh, so the edge is the refresher and does not Require the extension (section 9).
 */
export class SessionTimer {
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly intervalS: number,
    readonly refresher: 'uac' | 'uas',
    /** The caller listed `timer` in Supported: only then may a response Require it. */
    private readonly callerSupports: boolean,
    private readonly onExpired: () => void,
  ) {}

  static negotiate(
    headers: SipHeaders,
    configuredS: number,
    onExpired: () => void,
  ): SessionTimerNegotiation {
    const value = headers.get('Session-Expires') ?? headers.get('x');
    const supports = supportsTimer(headers);
    if (value === undefined) {
      return supports
        ? {
            kind: 'granted',
            timer: new SessionTimer(Math.max(configuredS, MIN_SE), 'uac', true, onExpired),
          }
        : { kind: 'none' };
    }
    const match = /^\s*(\d{1,10})\s*(?:;(.*))?$/.exec(value);
    if (!match) return { kind: 'none' };
    const asked = Number(match[1]);
    if (asked < MIN_SE) return { kind: 'too-small', minSe: MIN_SE };
    const refresher =
      !supports || /(?:^|;)\s*refresher\s*=\s*uas\s*(?:;|$)/i.test(match[2] ?? '') ? 'uas' : 'uac';
    const interval = Math.max(MIN_SE, Math.min(asked, configuredS));
    return {
      kind: 'granted',
      timer: new SessionTimer(interval, refresher, supports, onExpired),
    };
  }

  /** For the 2xx: Require: timer only towards a caller that supports it (RFC 4028 section 9). */
  headers(): [string, string][] {
    const headers: [string, string][] = [
      ['Session-Expires', `${this.intervalS};refresher=${this.refresher}`],
    ];
    if (this.callerSupports) headers.push(['Require', 'timer']);
    return headers;
  }

  start(): void {
    this.refreshed();
  }

  /** A refresh arrived from the caller. */
  refreshed(): void {
    this.stop();
    if (this.refresher !== 'uac') return;
    const expiresInS = this.intervalS - Math.min(32, this.intervalS / 3);
    this.#timer = setTimeout(this.onExpired, expiresInS * 1000).unref();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
