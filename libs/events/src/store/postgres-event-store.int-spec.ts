import { createTestDatabase, openTestDataSource } from '@pbx/testing';
import { describeEventStoreContract, newEvent } from './event-store.contract';
import {
  EventStoreSchema1764028800000,
  EventStoreStreamOrder1764028800003,
} from './event-store.migration';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract(PostgresEventStore.name, async () => {
  const database = await createTestDatabase();
  const db = await openTestDataSource(database.url, [
    EventStoreSchema1764028800000,
    EventStoreStreamOrder1764028800003,
  ]);
  return {
    store: new PostgresEventStore(db, '/pbx/test'),
    teardown: async () => {
      await db.destroy();
      await database.drop();
    },
  };
});

describe(`${PostgresEventStore.name} transactions`, () => {
  it('commits appends to several streams and the caller own statements together, or nothing', async () => {
    const database = await createTestDatabase();
    const db = await openTestDataSource(database.url, [
      EventStoreSchema1764028800000,
      EventStoreStreamOrder1764028800003,
    ]);
    try {
      const store = new PostgresEventStore(db, '/pbx/test');
      await db.query('CREATE TABLE claims (value text PRIMARY KEY, holder text NOT NULL)');
      const woken: number[] = [];
      store.appended.add((events) => woken.push(events.length));

      await store.transaction(async (tx) => {
        await tx.append('group-a', [newEvent()], 'no_stream');
        await tx.append('tenant-a', [newEvent(), newEvent()], 'no_stream');
        await tx.query('INSERT INTO claims VALUES ($1, $2)', ['+31201234501', 'a']);
      });
      expect(woken).toEqual([3]);
      expect(await store.readStream('group-a')).toHaveLength(1);

      const failed = store.transaction(async (tx) => {
        await tx.append('group-b', [newEvent()], 'no_stream');
        await tx.query('INSERT INTO claims VALUES ($1, $2)', ['+31201234501', 'b']);
      });
      await expect(failed).rejects.toMatchObject({ code: '23505' });
      expect(await store.readStream('group-b')).toHaveLength(0);
      expect(woken).toEqual([3]);

      const conflict = store.transaction(async (tx) => {
        await tx.query('INSERT INTO claims VALUES ($1, $2)', ['+31201234599', 'c']);
        await tx.append('group-a', [newEvent()], 'no_stream');
      });
      await expect(conflict).rejects.toMatchObject({ code: 'WRONG_EXPECTED_VERSION' });
      expect(await db.query('SELECT * FROM claims')).toHaveLength(1);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
