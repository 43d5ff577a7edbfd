import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { aBinding, describeBindingStoreContract } from './binding-store.contract';
import { RedisBindingStore } from './redis-binding-store';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });

afterAll(async () => {
  await redis.quit();
});

describeBindingStoreContract(
  RedisBindingStore.name,
  () => new RedisBindingStore(redis, { prefix: `pbx:test:${randomUUID()}:` }),
);

describe(`${RedisBindingStore.name} in Redis`, () => {
  it('expires the AOR key after its last binding plus the grace period', async () => {
    const prefix = `pbx:test:${randomUUID()}:`;
    const store = new RedisBindingStore(redis, { prefix, graceMs: 60_000 });
    const now = Date.now();
    await store.upsert('a@x', aBinding({ expiresAt: now + 120_000 }), now, 10);
    const ttl = await redis.pttl(`${prefix}aor:a@x`);
    expect(ttl).toBeGreaterThan(170_000);
    expect(ttl).toBeLessThanOrEqual(180_000);
    await store.removeAll('a@x', now);
    await expect(redis.exists(`${prefix}aor:a@x`)).resolves.toBe(0);
    await expect(redis.zcard(`${prefix}expiries`)).resolves.toBe(0);
  });

  it('shares bindings between two instances and applies concurrent REGISTERs once', async () => {
    const prefix = `pbx:test:${randomUUID()}:`;
    const other = new Redis(url);
    try {
      const a = new RedisBindingStore(redis, { prefix });
      const b = new RedisBindingStore(other, { prefix });
      const now = Date.now();
      const binding = aBinding({ expiresAt: now + 60_000, cseq: 2 });
      const results = await Promise.all([
        a.upsert('a@x', binding, now, 10),
        b.upsert('a@x', binding, now, 10),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['ok', 'out-of-order']);
      await expect(b.list('a@x', now)).resolves.toEqual([binding]);
      const swept = await Promise.all([a.sweep(now + 60_000, 10), b.sweep(now + 60_000, 10)]);
      expect(swept.flat()).toHaveLength(1);
    } finally {
      await other.quit();
    }
  });

  it('refuses a stored value that is not a binding with a clear error', async () => {
    const prefix = `pbx:test:${randomUUID()}:`;
    await redis.hset(`${prefix}aor:a@x`, 'k', '{"hello":1}');
    await expect(new RedisBindingStore(redis, { prefix }).list('a@x', 0)).rejects.toThrow(
      /not a registration binding/,
    );
    await redis.del(`${prefix}aor:a@x`);
  });
});
