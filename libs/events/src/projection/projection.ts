import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '../envelope/event-envelope';

/**
 * A read model kept in PostgreSQL and fed by events. `apply` runs inside the transaction that
 * also records the event id as seen, so an event redelivered by the bus changes nothing.
 */
export interface Projection {
  /** Stable name: the consumer group and the checkpoint key. Never rename (wire name). */
  readonly name: string;
  readonly topics: readonly string[];
  /** Applies one event; events of types it does not handle are ignored. */
  apply(event: EventEnvelope, tx: EntityManager): Promise<void>;
  /**
   * Applies several events in their order, to the same effect as apply() on each in turn, with
   * fewer statements. Optional: the runner uses it for every batch when it is there. A read model
   * fed by every event (the audit log) otherwise costs a few queries per event and falls behind
   * whatever publishes faster than that, such as a registration storm.
   */
  applyAll?(events: readonly EventEnvelope[], tx: EntityManager): Promise<void>;
  /** Empties the read model before a rebuild from the log. */
  reset(tx: EntityManager): Promise<void>;
}
