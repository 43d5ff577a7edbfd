import { TransactionError, TransactionErrorCode } from './transaction.error';

/** The base intervals of RFC 3261 17.1.1.1 and Table 4, in milliseconds. */
export interface TimerSettings {
  /** RTT estimate. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses. */
  readonly t2: number;
  /** Maximum duration a message remains in the network. */
  readonly t4: number;
}

export const DEFAULT_TIMER_SETTINGS: TimerSettings = Object.freeze({ t1: 500, t2: 4000, t4: 5000 });

/** Timer D is "> 32 s" on unreliable transports whatever T1 is (RFC 3261 Table 4). */
const TIMER_D_UNRELIABLE_MIN = 32000;

/** Validates and completes timer settings; throws TransactionError on a bad value. */
export function resolveTimerSettings(partial: Partial<TimerSettings> = {}): TimerSettings {
  const s = { ...DEFAULT_TIMER_SETTINGS, ...partial };
  for (const [name, value] of Object.entries(s)) {
    if (!Number.isInteger(value) || value <= 0 || value > 600_000) {
      throw new TransactionError(
        TransactionErrorCode.InvalidTimers,
        `${name} must be an integer number of milliseconds in 1..600000`,
        { [name]: value },
      );
    }
  }
  if (s.t2 < s.t1)
    throw new TransactionError(TransactionErrorCode.InvalidTimers, 'T2 must not be below T1', s);
  return Object.freeze(s);
}

/**
 * The transaction timers of RFC 3261 Table 4 and RFC 6026 section 8.4, named by their letters.
 * The ones that depend on the transport take `reliable`; zero means "fire at once".
 */
export class Timers {
  readonly t1: number;
  readonly t2: number;
  readonly t4: number;

  constructor(settings: TimerSettings) {
    this.t1 = settings.t1;
    this.t2 = settings.t2;
    this.t4 = settings.t4;
  }

  /** INVITE request retransmit interval, initially T1, doubling (17.1.1.2), unreliable only. */
  get A(): number {
    return this.t1;
  }
  /** INVITE transaction timeout (17.1.1.2). */
  get B(): number {
    return 64 * this.t1;
  }
  /** Wait time for response retransmissions (17.1.1.2). */
  D(reliable: boolean): number {
    return reliable ? 0 : Math.max(TIMER_D_UNRELIABLE_MIN, 64 * this.t1);
  }
  /** Non-INVITE request retransmit interval, T1 doubling up to T2 (17.1.2.2), unreliable only. */
  get E(): number {
    return this.t1;
  }
  /** Non-INVITE transaction timeout (17.1.2.2). */
  get F(): number {
    return 64 * this.t1;
  }
  /** INVITE final response retransmit interval, T1 doubling up to T2 (17.2.1), unreliable only. */
  get G(): number {
    return this.t1;
  }
  /** Wait time for ACK receipt (17.2.1). */
  get H(): number {
    return 64 * this.t1;
  }
  /** Wait time for ACK retransmissions (17.2.1). */
  I(reliable: boolean): number {
    return reliable ? 0 : this.t4;
  }
  /** Wait time for non-INVITE request retransmissions (17.2.2). */
  J(reliable: boolean): number {
    return reliable ? 0 : 64 * this.t1;
  }
  /** Wait time for response retransmissions (17.1.2.2). */
  K(reliable: boolean): number {
    return reliable ? 0 : this.t4;
  }
  /** Wait time for accepted INVITE request retransmissions (RFC 6026 8.7). */
  get L(): number {
    return 64 * this.t1;
  }
  /** Wait time for retransmissions of 2xx responses (RFC 6026 8.4). */
  get M(): number {
    return 64 * this.t1;
  }

  /** The next retransmit interval: doubled, capped at T2 when `capped` (Timers E and G). */
  next(interval: number, capped: boolean): number {
    const doubled = interval * 2;
    return capped ? Math.min(doubled, this.t2) : doubled;
  }
}

export type TimerHandle = ReturnType<typeof setTimeout>;

/** setTimeout that does not keep the process alive (a pending transaction is no reason to). */
export function startTimer(ms: number, fire: () => void): TimerHandle {
  const handle = setTimeout(fire, ms);
  handle.unref();
  return handle;
}

export function stopTimer(handle: TimerHandle | undefined): undefined {
  if (handle !== undefined) clearTimeout(handle);
  return undefined;
}

export type IntervalHandle = ReturnType<typeof setInterval>;

/** setInterval that does not keep the process alive. */
export function startInterval(ms: number, fire: () => void): IntervalHandle {
  const handle = setInterval(fire, ms);
  handle.unref();
  return handle;
}

export function stopInterval(handle: IntervalHandle | undefined): undefined {
  if (handle !== undefined) clearInterval(handle);
  return undefined;
}
