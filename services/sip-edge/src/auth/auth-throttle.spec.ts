import { Registry } from 'prom-client';
import { AuthThrottle } from './auth-throttle';

describe(AuthThrottle.name, () => {
  let now: number;
  let throttle: AuthThrottle;
  beforeEach(() => {
    now = 0;
    throttle = new AuthThrottle({
      maxFailuresPerSource: 3,
      maxFailuresPerUser: 2,
      windowMs: 60_000,
      penaltyMs: 120_000,
      now: () => now,
    });
  });

  it('counts failures in a sliding window: old ones fall out', () => {
    for (let i = 0; i < 3; i += 1) {
      throttle.recordFailure('192.0.2.1', undefined, 'wrong-password');
      now += 30_000;
    }
    // The failures at 0 and 30 s have left the window: 60 s and these three make four, one
    // above the limit of three.
    throttle.recordFailure('192.0.2.1', undefined, 'wrong-password');
    throttle.recordFailure('192.0.2.1', undefined, 'wrong-password');
    expect(throttle.check('192.0.2.1', undefined)).toEqual({ throttled: false });
    throttle.recordFailure('192.0.2.1', undefined, 'wrong-password');
    expect(throttle.check('192.0.2.1', undefined)).toEqual({ throttled: true, by: 'source' });
  });

  it('lifts the penalty after its period', () => {
    for (let i = 0; i < 3; i += 1) throttle.recordFailure('203.0.113.9', 'a@x', 'unknown-user');
    expect(throttle.check('198.51.100.1', 'a@x')).toEqual({ throttled: true, by: 'user' });
    now += 119_999;
    expect(throttle.check('198.51.100.1', 'a@x').throttled).toBe(true);
    now += 1;
    expect(throttle.check('198.51.100.1', 'a@x')).toEqual({ throttled: false });
  });

  it('stays within its memory bound under a spray of sources', () => {
    const bounded = new AuthThrottle({ maxTracked: 2, maxFailuresPerSource: 1, now: () => now });
    bounded.recordFailure('a', undefined, 'bad-nonce');
    bounded.recordFailure('a', undefined, 'bad-nonce');
    expect(bounded.check('a', undefined).throttled).toBe(true);
    bounded.recordFailure('b', undefined, 'bad-nonce');
    bounded.recordFailure('c', undefined, 'bad-nonce');
    expect(bounded.check('a', undefined).throttled).toBe(false);
  });

  it('refuses nonsense limits at construction', () => {
    expect(() => new AuthThrottle({ maxFailuresPerUser: 0 })).toThrow(RangeError);
    expect(() => new AuthThrottle({ windowMs: 1.5 })).toThrow(RangeError);
  });

  it('registers its counters in the given registry', async () => {
    const registry = new Registry();
    const counted = new AuthThrottle({ registry, maxFailuresPerSource: 1 });
    counted.recordFailure('a', 'u@x', 'wrong-password');
    counted.recordFailure('a', 'u@x', 'wrong-password');
    counted.check('a', 'u@x');
    const text = await registry.metrics();
    expect(text).toContain('sip_auth_failures_total{reason="wrong-password"} 2');
    expect(text).toContain('sip_auth_throttled_total{by="source"} 1');
  });
});
