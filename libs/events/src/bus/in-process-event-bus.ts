import { EventsError, EventsErrorCode } from '../events.error';
import {
  batchDeliveryOf,
  BusMessage,
  EventBus,
  SubscribeOptions,
  Subscription,
} from './event-bus.port';
import { assertValidBusMessage, assertValidSubscribeOptions } from './bus-message.validation';
import { ConsumerGroup, GroupMember, HandlerErrorListener } from './in-process-consumer-group';
import { copyEnvelope, TopicLog } from './in-process-log';
import { partitionForKey } from './key-partitioner';
import { resolveBackoff, RetryBackoff } from './retry-backoff';

export interface InProcessEventBusOptions {
  /** Partitions per topic. Default 4, as topics auto-created by the test Kafka get. */
  readonly partitions?: number;
  /** Records kept per partition before the oldest are dropped. Default 100 000. */
  readonly retainPerPartition?: number;
  /** Delay before a failed message is delivered again. Default 100 ms doubling up to 5 s. */
  readonly handlerRetryBackoff?: Partial<RetryBackoff>;
  /** Told about every handler failure (the message is then retried). */
  readonly onHandlerError?: HandlerErrorListener;
}

/**
 * The bus of the standalone shape: Kafka's semantics (partitions by key, consumer groups with
 * committed offsets, at-least-once, order per partition) kept in memory. Offsets survive a
 * group's re-subscription but not the process.
 */
export class InProcessEventBus implements EventBus {
  readonly #partitions: number;
  readonly #retain: number;
  readonly #backoff: RetryBackoff;
  readonly #onHandlerError: HandlerErrorListener | undefined;
  readonly #topics = new Map<string, TopicLog>();
  readonly #groups = new Map<string, ConsumerGroup>();
  readonly #subscriptions = new Set<InProcessSubscription>();
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: InProcessEventBusOptions = {}) {
    this.#partitions = positiveInteger(options.partitions ?? 4, 'partitions');
    this.#retain = positiveInteger(options.retainPerPartition ?? 100_000, 'retainPerPartition');
    this.#backoff = resolveBackoff(options.handlerRetryBackoff);
    this.#onHandlerError = options.onHandlerError;
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    this.#assertOpen();
    // All or nothing: a bad message in the batch appends none of them.
    messages.forEach(assertValidBusMessage);
    const appended: Array<[string, number]> = [];
    for (const message of messages) {
      const partition = partitionForKey(message.key, this.#partitions);
      this.#topic(message.topic).partitions[partition].append({
        key: message.key,
        event: copyEnvelope(message.event),
      });
      appended.push([message.topic, partition]);
    }
    for (const group of this.#groups.values()) {
      for (const [topic, partition] of appended) group.notifyAppended(topic, partition);
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    assertValidSubscribeOptions(options);
    const topics = new Map(options.topics.map((topic) => [topic, this.#topic(topic)] as const));
    let group = this.#groups.get(options.groupId);
    if (group === undefined) {
      group = new ConsumerGroup(this.#backoff);
      this.#groups.set(options.groupId, group);
    }
    const member = new GroupMember(
      new Set(topics.keys()),
      batchDeliveryOf(options),
      this.#onHandlerError,
    );
    group.join(member, topics, options.fromBeginning ?? true);
    const subscription = new InProcessSubscription(group, member, () =>
      this.#subscriptions.delete(subscription),
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async isReady(): Promise<boolean> {
    return !this.#closed;
  }

  close(): Promise<void> {
    if (this.#closed) return this.#closing ?? Promise.resolve();
    this.#closed = true;
    this.#closing = (async () => {
      await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
      for (const group of this.#groups.values()) group.stop();
    })();
    return this.#closing;
  }

  #topic(name: string): TopicLog {
    let topic = this.#topics.get(name);
    if (topic === undefined) {
      topic = new TopicLog(this.#partitions, this.#retain);
      this.#topics.set(name, topic);
    }
    return topic;
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new EventsError(EventsErrorCode.BusUnavailable, 'the in-process bus is closed');
  }
}

class InProcessSubscription implements Subscription {
  #closing: Promise<void> | undefined;

  constructor(
    private readonly group: ConsumerGroup,
    private readonly member: GroupMember,
    private readonly onClosed: () => void,
  ) {}

  /** Stops new deliveries at once, then waits for the ones in flight (their offsets commit). */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.group.leave(this.member);
      this.onClosed();
      this.#closing = this.member.settled();
    }
    return this.#closing;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
