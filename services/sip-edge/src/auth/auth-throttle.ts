import { Counter, type Registry } from 'prom-client';

/** Why an authentication failed, as counted in sip_auth_failures_total{reason}. */
export type AuthFailureReason =
  | 'wrong-password'
  | 'unknown-user'
  | 'bad-nonce'
  | 'replay'
  | 'realm-mismatch'
  | 'uri-mismatch'
  | 'identity-mismatch';

export type ThrottleVerdict =
  { readonly throttled: false } | { readonly throttled: true; readonly by: 'source' | 'user' };

export interface AuthThrottleOptions {
  /** Failures from one source address within the window before it is shut out. Default 10. */
  readonly maxFailuresPerSource?: number;
  /** Failures for one username@domain within the window before it is shut out. Default 5. */
  readonly maxFailuresPerUser?: number;
  /** Default 60 s. */
  readonly windowMs?: number;
  /** How long a source or user stays shut out once over its limit. Default 5 minutes. */
  readonly penaltyMs?: number;
  /** Bounds memory under a spray of addresses or names; the least recently failing go first. */
  readonly maxTracked?: number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  readonly registry?: Registry;
}

interface Track {
  /** Failure times within the window, oldest first; never longer than the limit. */
  readonly times: number[];
  blockedUntil: number;
}

/**
 * Slows down password guessing (and stops a misconfigured phone from flooding the directory):
 * failures are counted per source address and per username@domain in a sliding window; over
 * the limit, that source or user is refused without verifying for a penalty period. A success
 * clears the user's count (not the source's: one address may host a guesser and a good phone).
 * Counts are per edge instance.
 */
export class AuthThrottle {
  readonly #sources = new Map<string, Track>();
  readonly #users = new Map<string, Track>();
  readonly #maxPerSource: number;
  readonly #maxPerUser: number;
  readonly #windowMs: number;
  readonly #penaltyMs: number;
  readonly #maxTracked: number;
  readonly #now: () => number;
  readonly #failures: Counter<'reason'>;
  readonly #throttled: Counter<'by'>;

  constructor(options: AuthThrottleOptions = {}) {
    this.#maxPerSource = positive(options.maxFailuresPerSource ?? 10, 'maxFailuresPerSource');
    this.#maxPerUser = positive(options.maxFailuresPerUser ?? 5, 'maxFailuresPerUser');
    this.#windowMs = positive(options.windowMs ?? 60_000, 'windowMs');
    this.#penaltyMs = positive(options.penaltyMs ?? 300_000, 'penaltyMs');
    this.#maxTracked = positive(options.maxTracked ?? 100_000, 'maxTracked');
    this.#now = options.now ?? ((): number => performance.now());
    const registers = options.registry === undefined ? [] : [options.registry];
    this.#failures = new Counter({
      name: 'sip_auth_failures_total',
      help: 'SIP digest authentications that failed, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.#throttled = new Counter({
      name: 'sip_auth_throttled_total',
      help: 'SIP requests refused without verifying because their source or user failed too often',
      labelNames: ['by'],
      registers,
    });
  }

  /** Whether to refuse this request without verifying it; counts the refusals. */
  check(source: string, user: string | undefined): ThrottleVerdict {
    const now = this.#now();
    if (isBlocked(this.#sources.get(source), now)) return this.#refuse('source');
    if (user !== undefined && isBlocked(this.#users.get(user), now)) return this.#refuse('user');
    return { throttled: false };
  }

  recordFailure(source: string, user: string | undefined, reason: AuthFailureReason): void {
    this.#failures.inc({ reason });
    const now = this.#now();
    this.#count(this.#sources, source, this.#maxPerSource, now);
    if (user !== undefined) this.#count(this.#users, user, this.#maxPerUser, now);
  }

  recordSuccess(user: string): void {
    this.#users.delete(user);
  }

  #refuse(by: 'source' | 'user'): ThrottleVerdict {
    this.#throttled.inc({ by });
    return { throttled: true, by };
  }

  #count(tracks: Map<string, Track>, key: string, limit: number, now: number): void {
    let track = tracks.get(key);
    if (track === undefined) {
      track = { times: [], blockedUntil: 0 };
      while (tracks.size >= this.#maxTracked) {
        const oldest = tracks.keys().next();
        if (oldest.done === true) break;
        tracks.delete(oldest.value);
      }
    } else {
      tracks.delete(key);
    }
    tracks.set(key, track);
    const times = track.times;
    while (times.length > 0 && times[0] <= now - this.#windowMs) times.shift();
    times.push(now);
    if (times.length > limit) {
      track.blockedUntil = now + this.#penaltyMs;
      times.length = 0;
    }
  }
}

function isBlocked(track: Track | undefined, now: number): boolean {
  return track !== undefined && track.blockedUntil > now;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  }
  return value;
}
