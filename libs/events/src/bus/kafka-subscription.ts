import { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import { EventsError, EventsErrorCode } from '../events.error';
import { decodeKafkaRecord } from './cloudevents-kafka-binding';
import {
  batchDeliveryOf,
  BatchHandler,
  DeliveredMessage,
  SubscribeOptions,
  Subscription,
} from './event-bus.port';
import { toBusError } from './kafka-error.mapper';
import { RetryBackoff, retryDelayMs } from './retry-backoff';
import { withTimeout } from './with-timeout';

/** A record the consumer skipped (and committed past) because it is not a valid event. */
export interface InvalidKafkaRecord {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly error: EventsError;
}

export interface KafkaSubscriptionSettings {
  readonly consumer: Omit<ConsumerConfig, 'groupId'>;
  readonly autoCommitIntervalMs: number;
  readonly partitionsConsumedConcurrently: number;
  /** Bound on waiting for the first fetch when `fromBeginning` is false. */
  readonly positionTimeoutMs: number;
  readonly handlerRetryBackoff: RetryBackoff;
  /** Delay before recreating a consumer that kafkajs gave up on, doubled up to the max. */
  readonly restartBackoff: RetryBackoff;
  readonly onInvalidMessage: (record: InvalidKafkaRecord) => void;
  readonly onHandlerError: ((error: unknown, message: DeliveredMessage) => void) | undefined;
}

interface FailureStreak {
  readonly offset: string;
  readonly count: number;
}

/**
 * One kafkajs consumer in a group. Offsets are resolved only after the handler resolved; a
 * failing message pauses its partition for a backoff and is fetched again from the same offset,
 * so it is neither skipped nor allowed to hold back the other partitions.
 */
export class KafkaSubscription implements Subscription {
  #consumer: Consumer | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #restarts = 0;
  readonly #resumeTimers = new Set<NodeJS.Timeout>();
  readonly #failures = new Map<string, FailureStreak>();
  readonly #handle: BatchHandler;
  readonly #maxBatchSize: number;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: SubscribeOptions,
    private readonly settings: KafkaSubscriptionSettings,
    private readonly onClosed: (subscription: KafkaSubscription) => void,
  ) {
    const delivery = batchDeliveryOf(options);
    this.#handle = delivery.handle;
    this.#maxBatchSize = delivery.maxBatchSize;
  }

  /** Resolves once the consumer joined its group; rejects with BusUnavailable otherwise. */
  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      ...this.settings.consumer,
      groupId: this.options.groupId,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts by itself after retriable errors; after the others it stops for good.
      if (!payload.restart && consumer === this.#consumer) this.#scheduleRestart();
    });
    // kafkajs looks up "latest" for a partition without a committed offset at its first fetch,
    // not at join; waiting for that fetch makes `fromBeginning: false` mean "from the end as of
    // subscribe()", so nothing published after subscribe() resolved is skipped.
    const fromBeginning = this.options.fromBeginning ?? true;
    let positioned: (() => void) | undefined;
    const firstFetch = new Promise<void>((resolve) => (positioned = resolve));
    const removeFetchListener = consumer.on(consumer.events.FETCH, () => positioned?.());
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [...this.options.topics], fromBeginning });
      await consumer.run({
        autoCommit: true,
        autoCommitInterval: this.settings.autoCommitIntervalMs,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.#consumeBatch(payload),
      });
      if (!fromBeginning) {
        // Bounded: a consumer that cannot fetch (broker gone again) is still subscribed.
        await withTimeout(
          firstFetch,
          this.settings.positionTimeoutMs,
          () => new Error('not positioned'),
        ).catch(() => undefined);
      }
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw toBusError(error, `subscribe group ${this.options.groupId}`);
    } finally {
      removeFetchListener();
    }
    // close() may have run while this start was joining; it then could not stop this consumer.
    if (this.#closed) await consumer.disconnect().catch(() => undefined);
    this.#restarts = 0;
  }

  /** Waits for the batch in progress, commits what its handler finished and leaves the group. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closed = true;
      clearTimeout(this.#restartTimer);
      for (const timer of this.#resumeTimers) clearTimeout(timer);
      this.#resumeTimers.clear();
      const consumer = this.#consumer;
      this.#consumer = undefined;
      this.#closing = (async () => {
        await consumer?.disconnect().catch(() => undefined);
        this.onClosed(this);
      })();
    }
    return this.#closing;
  }

  async #consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary } =
      payload;
    let chunk: DeliveredMessage[] = [];
    // Hands the chunk to the handler; false when it failed (the partition is then paused).
    const flush = async (): Promise<boolean> => {
      if (chunk.length === 0) return true;
      const messages = chunk;
      chunk = [];
      if (!(await this.#deliver(messages))) {
        this.#pauseAfterFailure(messages[0], pause);
        return false;
      }
      resolveOffset(messages[messages.length - 1].offset);
      await commitOffsetsIfNecessary();
      await heartbeat();
      return true;
    };
    for (const record of batch.messages) {
      if (this.#closed || !isRunning() || isStale()) return;
      let message: DeliveredMessage;
      try {
        message = decodeKafkaRecord(batch.topic, batch.partition, record);
      } catch (error) {
        // Offsets resolve in order: what came before the broken record goes first.
        if (!(await flush())) return;
        this.#reportInvalid(batch.topic, batch.partition, record.offset, error);
        resolveOffset(record.offset);
        continue;
      }
      chunk.push(message);
      if (chunk.length >= this.#maxBatchSize && !(await flush())) return;
    }
    if (this.#closed || !isRunning() || isStale()) return;
    await flush();
  }

  async #deliver(messages: readonly DeliveredMessage[]): Promise<boolean> {
    const first = messages[0];
    const partitionKey = `${first.topic}\u0000${first.partition}`;
    try {
      await this.#handle(messages);
      this.#failures.delete(partitionKey);
      return true;
    } catch (error) {
      const streak = this.#failures.get(partitionKey);
      const count = streak !== undefined && streak.offset === first.offset ? streak.count + 1 : 1;
      this.#failures.set(partitionKey, { offset: first.offset, count });
      try {
        this.settings.onHandlerError?.(error, first);
      } catch {
        // A failing listener must not turn a handler failure into a lost message.
      }
      return false;
    }
  }

  /** The next fetch of this partition starts again at the unresolved (failed) offset. */
  #pauseAfterFailure(message: DeliveredMessage, pause: () => () => void): void {
    const count = this.#failures.get(`${message.topic}\u0000${message.partition}`)?.count ?? 1;
    const resume = pause();
    const timer = setTimeout(
      () => {
        this.#resumeTimers.delete(timer);
        if (this.#closed) return;
        try {
          resume();
        } catch {
          // The consumer that paused is gone (restart); its successor never saw the pause.
        }
      },
      retryDelayMs(count, this.settings.handlerRetryBackoff),
    );
    this.#resumeTimers.add(timer);
  }

  #reportInvalid(topic: string, partition: number, offset: string, error: unknown): void {
    const invalid =
      error instanceof EventsError
        ? error
        : new EventsError(
            EventsErrorCode.InvalidEvent,
            `undecodable Kafka record: ${String(error)}`,
            {
              topic,
              partition,
              offset,
            },
          );
    try {
      this.settings.onInvalidMessage({
        groupId: this.options.groupId,
        topic,
        partition,
        offset,
        error: invalid,
      });
    } catch {
      // Reporting is best effort; the record is skipped either way.
    }
  }

  #scheduleRestart(): void {
    if (this.#closed || this.#restartTimer !== undefined) return;
    this.#restarts += 1;
    this.#restartTimer = setTimeout(
      () => {
        this.#restartTimer = undefined;
        if (this.#closed) return;
        const previous = this.#consumer;
        void (async () => {
          await previous?.disconnect().catch(() => undefined);
          if (this.#closed) return;
          try {
            await this.start();
          } catch {
            this.#scheduleRestart();
          }
        })();
      },
      retryDelayMs(this.#restarts, this.settings.restartBackoff),
    );
  }
}
