import { describeBindingStoreContract } from './binding-store.contract';
import { InMemoryBindingStore } from './in-memory-binding-store';

describeBindingStoreContract(InMemoryBindingStore.name, () => new InMemoryBindingStore());
