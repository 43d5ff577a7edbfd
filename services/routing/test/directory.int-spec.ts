import type { DataSource } from 'typeorm';
import { GroupDeletedSchema, UserRemovedSchema } from '@pbx/proto';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { DirectoryCache } from '../src/application/directory-cache';
import { directoryProjection } from '../src/adapters/projections/directory/directory.projection';
import { RoutingDirectory1764028801000 } from '../src/adapters/projections/directory/directory.migration';
import { readDirectory } from '../src/adapters/projections/directory/directory-tables';
import { envelope, groupEvents, newEvent, operatorTrunkEvent } from './provisioning-events';

const quiet = { warn: (): void => undefined };

describe('the routing directory on PostgreSQL', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [RoutingDirectory1764028801000]);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const read = (): ReturnType<typeof readDirectory> =>
    readDirectory((work) => db.transaction((m) => work({ query: (sql, p) => m.query(sql, p) })));

  it('fills the tables and, once committed, the in-memory index; a reload gives the same index', async () => {
    const cache = new DirectoryCache(quiet);
    await cache.reload(read);
    const projection = directoryProjection(cache);
    const events = [
      ...groupEvents('acme', 'acme-hq', {
        main: '+31201234500',
        users: ['+31201234501', '+31201234502'],
      }),
      operatorTrunkEvent('wholesale'),
    ];
    await db.transaction(async (tx) => {
      for (const event of events) await projection.apply(envelope(event), tx);
      // Not committed yet: route() must not see it.
      expect(cache.index.group('acme-hq')).toBeUndefined();
    });
    expect(cache.index.user('acme-hq', '202')).toMatchObject({ presentationRestricted: true });
    expect(cache.index.ownerOfNumber('+31201234501')).toEqual({
      kind: 'user',
      groupId: 'acme-hq',
      extension: '201',
    });
    expect(cache.index.operatorTrunks().map((t) => t.trunkId)).toEqual(['operator:wholesale']);

    const reloaded = new DirectoryCache(quiet);
    await reloaded.reload(read);
    expect(reloaded.index.group('acme-hq')).toEqual(cache.index.group('acme-hq'));
    expect(reloaded.index.group('acme-hq')?.country).toBe('NL');
    expect(reloaded.index.user('acme-hq', '201')).toEqual(cache.index.user('acme-hq', '201'));
    expect(reloaded.index.devicesOf('acme-hq', '201')).toEqual(['acme-hq-201']);
    expect(reloaded.index.allTrunks()).toEqual(cache.index.allTrunks());
  });

  it('leaves memory alone when the transaction rolls back', async () => {
    const cache = new DirectoryCache(quiet);
    await cache.reload(read);
    const projection = directoryProjection(cache);
    await expect(
      db.transaction(async (tx) => {
        await projection.apply(
          envelope(newEvent(UserRemovedSchema, { groupId: 'acme-hq', extension: '201' }, 'acme')),
          tx,
        );
        throw new Error('the checkpoint write failed');
      }),
    ).rejects.toThrow('checkpoint');
    expect(cache.index.user('acme-hq', '201')).toBeDefined();
    expect((await read()).some((c) => c.kind === 'user-set' && c.user.extension === '201')).toBe(
      true,
    );
  });

  it('drops a deleted group from the tables and from memory', async () => {
    const cache = new DirectoryCache(quiet);
    await cache.reload(read);
    const projection = directoryProjection(cache);
    await db.transaction((tx) =>
      projection.apply(envelope(newEvent(GroupDeletedSchema, { groupId: 'acme-hq' }, 'acme')), tx),
    );
    expect(cache.index.group('acme-hq')).toBeUndefined();
    expect(cache.index.ownerOfNumber('+31201234501')).toBeUndefined();
    const rows = await read();
    expect(rows.map((c) => c.kind)).toEqual(['trunk-set']);
  });
});
