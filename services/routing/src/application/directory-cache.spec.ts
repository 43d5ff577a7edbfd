import { platformChanges } from '../domain/dial-plan/dial-plan.spec-helper';
import { DirectoryCache } from './directory-cache';

const quiet = { warn: (): void => undefined };

describe(DirectoryCache.name, () => {
  it('keeps the changes committed while a reload reads the tables', async () => {
    const cache = new DirectoryCache(quiet);
    let release: () => void = () => undefined;
    const reading = cache.reload(
      () =>
        new Promise((resolve) => {
          release = (): void => resolve(platformChanges());
        }),
    );
    expect(cache.loaded).toBe(false);
    // Committed after the snapshot was taken: the rows do not have it.
    cache.applyCommitted([{ kind: 'user-removed', groupId: 'acme-hq', extension: '202' }]);
    release();
    await reading;
    expect(cache.loaded).toBe(true);
    expect(cache.index.user('acme-hq', '201')).toBeDefined();
    expect(cache.index.user('acme-hq', '202')).toBeUndefined();
  });

  it('tells trunk listeners about trunk changes and contains their failures', async () => {
    const cache = new DirectoryCache(quiet);
    await cache.reload(async () => []);
    let calls = 0;
    cache.onTrunksChange(() => {
      calls++;
      throw new Error('listener bug');
    });
    cache.applyCommitted([{ kind: 'user-removed', groupId: 'g', extension: '1' }]);
    expect(calls).toBe(0);
    expect(() => cache.applyCommitted([{ kind: 'trunk-removed', trunkId: 'x' }])).not.toThrow();
    expect(calls).toBe(1);
  });
});
