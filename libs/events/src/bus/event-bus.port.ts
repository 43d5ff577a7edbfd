import { EventEnvelope } from '../envelope/event-envelope';

/** One event on its way to a topic. `key` decides the partition, so order holds per key. */
export interface BusMessage {
  readonly topic: string;
  readonly key: string;
  readonly event: EventEnvelope;
}

export interface DeliveredMessage extends BusMessage {
  readonly partition: number;
  /** Position within the partition, as Kafka spells it (a decimal string). */
  readonly offset: string;
}

export type MessageHandler = (message: DeliveredMessage) => Promise<void>;

export interface SubscribeOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Where a group without a committed offset starts. Default: the beginning. `false` starts at
   * the end as of this subscription: what is published after `subscribe` resolved is delivered.
   */
  readonly fromBeginning?: boolean;
  /**
   * Called once per message, in order per partition. The message counts as consumed (its offset
   * is committed) only after the returned promise resolves; a rejection redelivers it.
   */
  readonly handler: MessageHandler;
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The bus port. Delivery is at-least-once: a message may arrive twice after a crash or a
 * rebalance, never zero times once `publish` resolved; consumers deduplicate on the event id.
 */
export interface EventBus {
  /** Resolves once every message is durably accepted by the bus. */
  publish(messages: readonly BusMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** True while the bus is reachable; feeds `/readyz`. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
