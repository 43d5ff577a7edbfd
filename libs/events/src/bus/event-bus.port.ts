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
/** Consecutive messages of one partition, in order. */
export type BatchHandler = (messages: readonly DeliveredMessage[]) => Promise<void>;

interface SubscribeOptionsBase {
  readonly groupId: string;
  readonly topics: readonly string[];
  /**
   * Where a group without a committed offset starts. Default: the beginning. `false` starts at
   * the end as of this subscription: what is published after `subscribe` resolved is delivered.
   */
  readonly fromBeginning?: boolean;
}

interface PerMessage {
  /**
   * Called once per message, in order per partition. The message counts as consumed (its offset
   * is committed) only after the returned promise resolves; a rejection redelivers it.
   */
  readonly handler: MessageHandler;
  readonly batchHandler?: never;
  readonly maxBatchSize?: never;
}

interface PerBatch {
  /**
   * Called with up to `maxBatchSize` consecutive messages of one partition that are ready now
   * (one when only one is), in order per partition. The batch counts as consumed only after the
   * returned promise resolves; a rejection redelivers the whole batch. For consumers whose cost
   * is per call rather than per message, such as one database transaction per call.
   */
  readonly batchHandler: BatchHandler;
  /** Default 100. */
  readonly maxBatchSize?: number;
  readonly handler?: never;
}

export type SubscribeOptions = SubscribeOptionsBase & (PerMessage | PerBatch);

export const DEFAULT_MAX_BATCH_SIZE = 100;

/** Either kind of subscriber as a batch handler with its batch bound (1 for per-message). */
export function batchDeliveryOf(options: SubscribeOptions): {
  readonly handle: BatchHandler;
  readonly maxBatchSize: number;
} {
  if (options.batchHandler !== undefined) {
    const max = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxBatchSize must be a whole number of at least 1, not ${max}`);
    }
    return { handle: options.batchHandler, maxBatchSize: max };
  }
  const handler = options.handler;
  return { handle: (messages) => handler(messages[0]), maxBatchSize: 1 };
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
