import { createTestDatabase, openTestDataSource } from '@pbx/testing';
import { describeEventStoreContract } from './event-store.contract';
import { EventStoreSchema1764028800000 } from './event-store.migration';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract(PostgresEventStore.name, async () => {
  const database = await createTestDatabase();
  const db = await openTestDataSource(database.url, [EventStoreSchema1764028800000]);
  return {
    store: new PostgresEventStore(db, '/pbx/test'),
    teardown: async () => {
      await db.destroy();
      await database.drop();
    },
  };
});
