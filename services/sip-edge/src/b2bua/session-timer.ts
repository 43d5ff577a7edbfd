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
 */
export class SessionTimer {
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    readonly intervalS: number,
    readonly refresher: 'uac' | 'uas',
    private readonly onExpired: () => void,
  ) {}

  static negotiate(
    headers: SipHeaders,
    configuredS: number,
    onExpired: () => void,
  ): SessionTimerNegotiation {
    const value = headers.get('Session-Expires') ?? headers.get('x');
    if (value === undefined) {
      return supportsTimer(headers)
        ? {
            kind: 'granted',
            timer: new SessionTimer(Math.max(configuredS, MIN_SE), 'uac', onExpired),
          }
        : { kind: 'none' };
    }
    const match = /^\s*(\d{1,10})\s*(?:;(.*))?$/.exec(value);
    if (!match) return { kind: 'none' };
    const asked = Number(match[1]);
    if (asked < MIN_SE) return { kind: 'too-small', minSe: MIN_SE };
    const refresher = /(?:^|;)\s*refresher\s*=\s*uas\s*(?:;|$)/i.test(match[2] ?? '')
      ? 'uas'
      : 'uac';
    const interval = Math.max(MIN_SE, Math.min(asked, configuredS));
    return { kind: 'granted', timer: new SessionTimer(interval, refresher, onExpired) };
  }

  headers(): [string, string][] {
    return [
      ['Session-Expires', `${this.intervalS};refresher=${this.refresher}`],
      ['Require', 'timer'],
    ];
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
