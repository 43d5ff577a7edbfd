import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { describeNonceCountTrackerContract } from './nonce-count-tracker.contract';
import { RedisNonceCountTracker } from './redis-nonce-count-tracker';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  lazyConnect: true,
  maxRetriesPerRequest: 2,
});

afterAll(async () => {
  await redis.quit();
});

describeNonceCountTrackerContract(
  RedisNonceCountTracker.name,
  () => new RedisNonceCountTracker(redis, `pbx:test:${randomUUID()}:`),
);

describe(`${RedisNonceCountTracker.name} expiry`, () => {
  it('forgets a nonce count when its nonce expires, not before', async () => {
    const prefix = `pbx:test:${randomUUID()}:`;
    const tracker = new RedisNonceCountTracker(redis, prefix);
    const now = Date.now();
    await tracker.record({
      nonce: 'n',
      nonceCount: 1,
      issuedAt: now,
      expiresAt: now + 300_000,
      now,
    });
    const ttl = await redis.pttl(`${prefix}n`);
    expect(ttl).toBeGreaterThan(290_000);
    expect(ttl).toBeLessThanOrEqual(300_000);
  });

  it('shares counts between two trackers, as between two edge instances', async () => {
    const prefix = `pbx:test:${randomUUID()}:`;
    const other = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const a = new RedisNonceCountTracker(redis, prefix);
      const b = new RedisNonceCountTracker(other, prefix);
      const now = Date.now();
      const use = { nonce: 'shared', nonceCount: 7, issuedAt: now, expiresAt: now + 60_000, now };
      const outcomes = await Promise.all([a.record(use), b.record(use)]);
      expect(outcomes.sort()).toEqual(['fresh', 'replay']);
    } finally {
      await other.quit();
    }
  });
});
