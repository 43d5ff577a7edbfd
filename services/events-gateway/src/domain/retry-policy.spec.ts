import { backoffMs, nextStep, parseRetryAfter, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 5, baseMs: 1_000, capMs: 60_000 };
const NOW = new Date('2025-03-10T09:00:00Z');
const low = (): number => 0;
const high = (): number => 0.999999;

describe(backoffMs.name, () => {
  it('doubles per attempt between half and all of the exponential delay', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, low))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, policy, high))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(backoffMs(7, policy, high)).toBe(60_000);
    expect(backoffMs(1_000, policy, high)).toBe(60_000);
    expect(backoffMs(1_000, policy, low)).toBe(30_000);
  });
});

describe(parseRetryAfter.name, () => {
  it('reads delay-seconds and an HTTP-date, and ignores junk', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('Mon, 10 Mar 2025 09:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Mon, 10 Mar 2025 08:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe(nextStep.name, () => {
  const response = (status: number, retryAfter?: string) =>
    ({ kind: 'response', status, retryAfter }) as const;

  it('is done on any 2xx', () => {
    expect(nextStep(1, response(204), policy, NOW, low)).toEqual({ kind: 'delivered' });
  });

  it('retries network errors, timeouts, 5xx, 429 and 404 with backoff', () => {
    expect(
      nextStep(1, { kind: 'network-error', message: 'ECONNREFUSED' }, policy, NOW, low),
    ).toEqual({ kind: 'retry', delayMs: 500, error: 'ECONNREFUSED' });
    expect(nextStep(2, { kind: 'timeout', timeoutMs: 10_000 }, policy, NOW, low)).toEqual({
      kind: 'retry',
      delayMs: 1000,
      error: 'no answer within 10000 ms',
    });
    for (const status of [500, 502, 503, 429, 404, 401]) {
      expect(nextStep(1, response(status), policy, NOW, low)).toMatchObject({ kind: 'retry' });
    }
  });

  it('waits as long as Retry-After asks on 429 and 503, up to an hour or the cap', () => {
    expect(nextStep(1, response(429, '30'), policy, NOW, low)).toMatchObject({ delayMs: 30_000 });
    expect(nextStep(1, response(503, '3600'), policy, NOW, low)).toMatchObject({
      delayMs: 3_600_000,
    });
    expect(nextStep(1, response(503, '86400'), policy, NOW, low)).toMatchObject({
      delayMs: 3_600_000,
    });
    const longCap = { ...policy, capMs: 86_400_000 };
    expect(nextStep(1, response(503, '86400'), longCap, NOW, low)).toMatchObject({
      delayMs: 86_400_000,
    });
    // A Retry-After shorter than the backoff does not hurry the retry.
    expect(nextStep(4, response(429, '1'), policy, NOW, low)).toMatchObject({ delayMs: 4_000 });
  });

  it('dead-letters after the last attempt, and at once when the receiver refuses the event', () => {
    expect(nextStep(5, response(500), policy, NOW, low)).toEqual({
      kind: 'dead',
      error: 'the receiver answered 500 (attempt 5 of 5)',
    });
    expect(nextStep(1, response(422), policy, NOW, low)).toEqual({
      kind: 'dead',
      error: 'the receiver refused the event with 422; not retried',
    });
  });
});
