/** How deliveries are retried (PBX_WEBHOOK_MAX_ATTEMPTS, _BACKOFF_BASE_MS, _BACKOFF_CAP_MS). */
export interface RetryPolicy {
  /** Attempts in all, the first included; then the delivery is dead-lettered. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/** What one attempt came to, as the sender saw it. */
export type AttemptResult =
  | { readonly kind: 'response'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'network-error'; readonly message: string }
  | { readonly kind: 'timeout'; readonly timeoutMs: number };

export type NextStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly delayMs: number; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

/**
 * Statuses by which the receiver refuses this very event (malformed, too large, unprocessable):
 * sending it again cannot help, so it is dead-lettered at once. Every other failure, 401, 403 and
 * 404 included, usually means the endpoint is down or misconfigured, which its owner fixes;
 * retrying then lets the webhook resume where it stopped.
 */
const REFUSALS = new Set([400, 413, 415, 422]);
const RETRY_AFTER_LIMIT_MS = 3_600_000;

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half
 * random, so retries of many webhooks spread out but never come sooner than half the schedule.
 * `attempts` is how many attempts were made so far (1 after the first).
 */
export function backoffMs(attempts: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempts - 1, 40));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (!/[a-z]/i.test(text) || Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

function describe(result: AttemptResult): string {
  switch (result.kind) {
    case 'response':
      return REFUSALS.has(result.status)
        ? `the receiver refused the event with ${result.status}; not retried`
        : `the receiver answered ${result.status}`;
    case 'network-error':
      return result.message;
    case 'timeout':
      return `no answer within ${result.timeoutMs} ms`;
    default:
      return assertNever(result);
  }
}

/** What to do after attempt number `attempts` (1-based) ended with `result`. */
export function nextStep(
  attempts: number,
  result: AttemptResult,
  policy: RetryPolicy,
  now: Date,
  random: () => number,
): NextStep {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    return { kind: 'delivered' };
  }
  const error = describe(result);
  if (result.kind === 'response' && REFUSALS.has(result.status)) return { kind: 'dead', error };
  if (attempts >= policy.maxAttempts) {
    return { kind: 'dead', error: `${error} (attempt ${attempts} of ${policy.maxAttempts})` };
  }
  let delayMs = backoffMs(attempts, policy, random);
  if (result.kind === 'response' && (result.status === 429 || result.status === 503)) {
    // The receiver knows best when it can take more: honoured up to the cap, or an hour when
    // the cap is shorter, so that a receiver cannot park its webhook for days.
    const asked = parseRetryAfter(result.retryAfter, now);
    const limit = Math.max(policy.capMs, RETRY_AFTER_LIMIT_MS);
    if (asked !== undefined) delayMs = Math.max(delayMs, Math.min(asked, limit));
  }
  return { kind: 'retry', delayMs, error };
}

export function assertNever(value: never): never {
  throw new TypeError(`unexpected ${JSON.stringify(value)}`);
}
