import { describeEventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract(InMemoryEventStore.name, async () => ({
  store: new InMemoryEventStore(),
}));
