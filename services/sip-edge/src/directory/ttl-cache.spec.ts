import { TtlCache } from './ttl-cache';

describe(TtlCache.name, () => {
  let now: number;
  let cache: TtlCache<string | undefined>;
  beforeEach(() => {
    now = 0;
    cache = new TtlCache({ ttlMs: 5_000, maxEntries: 2, now: () => now });
  });

  it('serves a hit without loading, until the TTL passes', async () => {
    const load = jest.fn(async () => 'v1');
    await cache.get('k', load);
    expect(load).toHaveBeenCalledWith(false);
    now = 4_999;
    expect(await cache.get('k', load)).toBe('v1');
    expect(load).toHaveBeenCalledTimes(1);
    now = 5_000;
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('peeks at a live entry without loading, and at nothing once it expired', async () => {
    expect(cache.peek('k')).toBeUndefined();
    await cache.get('k', async () => undefined);
    expect(cache.peek('k')).toEqual(expect.objectContaining({ value: undefined }));
    now = 5_000;
    expect(cache.peek('k')).toBeUndefined();
  });

  it('serves a stale entry while it reloads in the background, then the new value', async () => {
    const stale = new TtlCache<string>({
      ttlMs: 5_000,
      staleMs: 60_000,
      maxEntries: 10,
      now: () => now,
    });
    let release: (value: string) => void = () => undefined;
    const slow = jest.fn(() => new Promise<string>((resolve) => (release = resolve)));
    await stale.get('k', async () => 'v1');
    now = 6_000;
    expect(await stale.get('k', slow)).toBe('v1');
    expect(await stale.get('k', slow)).toBe('v1');
    expect(slow).toHaveBeenCalledTimes(1);
    // Nobody waits for this load: the loader may put it off.
    expect(slow).toHaveBeenCalledWith(true);
    release('v2');
    await Promise.resolve();
    expect(await stale.get('k', slow)).toBe('v2');
    expect(stale.peek('k')?.value).toBe('v2');
  });

  it('waits for the load once an entry is older than its stale window, and keeps it on a failed reload', async () => {
    const stale = new TtlCache<string>({
      ttlMs: 5_000,
      staleMs: 10_000,
      maxEntries: 10,
      now: () => now,
    });
    await stale.get('k', async () => 'v1');
    now = 6_000;
    expect(await stale.get('k', async () => Promise.reject(new Error('db down')))).toBe('v1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(stale.peek('k')?.value).toBe('v1');
    now = 15_001;
    expect(stale.peek('k')).toBeUndefined();
    expect(await stale.get('k', async () => 'v3')).toBe('v3');
  });

  it('caches an absent value too, so unknown names cost one load per TTL', async () => {
    const load = jest.fn(async () => undefined);
    await cache.get('nobody', load);
    await cache.get('nobody', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('shares one load among concurrent callers', async () => {
    let resolve!: (v: string) => void;
    const load = jest.fn(() => new Promise<string>((r) => (resolve = r)));
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    resolve('v');
    expect(await both).toEqual(['v', 'v']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a value loaded across an invalidation', async () => {
    let resolve!: (v: string) => void;
    const pending = cache.get('k', () => new Promise<string>((r) => (resolve = r)));
    cache.invalidate('k');
    resolve('old');
    await pending;
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('evicts the least recently used entry beyond its bound', async () => {
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('a', async () => 'reloaded');
    await cache.get('c', async () => 'c');
    expect(await cache.get('a', async () => 'reloaded')).toBe('a');
    expect(await cache.get('b', async () => 'reloaded')).toBe('reloaded');
  });

  it('does not cache a failed load', async () => {
    await expect(cache.get('k', async () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(await cache.get('k', async () => 'up')).toBe('up');
  });
});
