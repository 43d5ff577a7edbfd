export interface BackoffPolicy {
  /** Delay before the second attempt; the first one follows the loss at once. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** ± this fraction of randomness, so that many phones dropped together do not return together. */
  readonly jitter: number;
}

export const RECONNECT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 30_000, jitter: 0.2 };

/**
 * How long to wait before reconnect attempt `attempt` (1-based): 0 for the first (a restart of
 * the edge is usually over by the time the socket notices), then base·2^(n-2) up to the cap,
 * spread by the jitter. `random` is in [0, 1).
 */
export function reconnectDelayMs(
  attempt: number,
  random: number,
  policy: BackoffPolicy = RECONNECT_BACKOFF,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  if (attempt === 1) return 0;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, attempt - 2));
  const spread = 1 + policy.jitter * (2 * random - 1);
  return Math.round(Math.min(policy.maxMs, exponential * spread));
}
