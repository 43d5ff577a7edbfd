/** Delay before redelivering a message whose handler failed: exponential, capped. */
export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_HANDLER_RETRY_BACKOFF: RetryBackoff = { initialMs: 100, maxMs: 5_000 };

/** `attempt` counts failures of the same message, from 1. */
export function retryDelayMs(attempt: number, backoff: RetryBackoff): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

export function resolveBackoff(partial: Partial<RetryBackoff> | undefined): RetryBackoff {
  const initialMs = Math.max(1, partial?.initialMs ?? DEFAULT_HANDLER_RETRY_BACKOFF.initialMs);
  const maxMs = Math.max(initialMs, partial?.maxMs ?? DEFAULT_HANDLER_RETRY_BACKOFF.maxMs);
  return { initialMs, maxMs };
}
