import {
  Admin,
  Kafka,
  Message,
  Partitioners,
  Producer,
  RetryOptions,
  TopicMessages,
} from 'kafkajs';
import { EventsError, EventsErrorCode } from '../events.error';
import { assertValidBusMessage, assertValidSubscribeOptions } from './bus-message.validation';
import { encodeKafkaRecord } from './cloudevents-kafka-binding';
import {
  BusMessage,
  DeliveredMessage,
  EventBus,
  SubscribeOptions,
  Subscription,
} from './event-bus.port';
import { toBusError } from './kafka-error.mapper';
import {
  KafkaBusLogger,
  KafkaBusLogLevel,
  kafkaLogCreator,
  toKafkaJsLogLevel,
} from './kafka-logging';
import { InvalidKafkaRecord, KafkaSubscription } from './kafka-subscription';
import { resolveBackoff, RetryBackoff } from './retry-backoff';
import { withTimeout } from './with-timeout';

export interface KafkaEventBusOptions {
  /** Bootstrap servers, `host:port` each. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** How long a fetch waits on the broker for new records. Default 1000; tests 100-500. */
  readonly maxWaitTimeInMs?: number;
  /** kafkajs's own log level. Default 'nothing'; entries only ever go to `log`. */
  readonly logLevel?: KafkaBusLogLevel;
  readonly log?: KafkaBusLogger;
  /**
   * Told about each record skipped because it is not a valid event (missing `ce_` header, bad
   * `ce_time`, no key...). The record is committed past, never retried: it cannot get better.
   */
  readonly onInvalidMessage?: (record: InvalidKafkaRecord) => void;
  /** Told about every handler failure (the message is then retried). */
  readonly onHandlerError?: (error: unknown, message: DeliveredMessage) => void;
  /** Delay before a failed message is delivered again. Default 100 ms doubling up to 5 s. */
  readonly handlerRetryBackoff?: Partial<RetryBackoff>;
  /** Bound on `publish`; past it the call rejects with BusUnavailable. Default 10 000. */
  readonly publishTimeoutMs?: number;
  /** Bound on the broker round trip behind `isReady`. Default 2000. */
  readonly readyTimeoutMs?: number;
  /** Default 1000. */
  readonly connectionTimeoutMs?: number;
  /** Default 5000. */
  readonly requestTimeoutMs?: number;
  /** Consumer group session timeout. Default 30 000. */
  readonly sessionTimeoutMs?: number;
  /** Default 3000; a rebalance is noticed at the next heartbeat. */
  readonly heartbeatIntervalMs?: number;
  /** Partitions one consumer processes at the same time. Default 1. */
  readonly partitionsConsumedConcurrently?: number;
}

/** Client retries: short, so an unreachable broker fails a call in about a second. */
const CLIENT_RETRY: RetryOptions = { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 };
const CONSUMER_RETRY: RetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 };
const CONSUMER_RESTART_BACKOFF: RetryBackoff = { initialMs: 1_000, maxMs: 30_000 };

/**
 * The bus on Kafka through kafkajs, CloudEvents Kafka binding in binary mode (envelope in `ce_`
 * headers, protobuf body, the stream id as record key so a stream stays in one partition).
 *
 * Delivery is at-least-once. The producer is neither idempotent nor transactional (the test
 * broker lacks both); one request in flight per broker keeps order per partition across retries.
 * Topics are created by the broker on first use (auto-create); this adapter never calls
 * createTopics.
 */
export class KafkaEventBus implements EventBus {
  readonly #kafka: Kafka;
  readonly #producer: Producer;
  readonly #admin: Admin;
  readonly #options: KafkaEventBusOptions;
  readonly #handlerRetryBackoff: RetryBackoff;
  readonly #subscriptions = new Set<KafkaSubscription>();
  #producerConnecting: Promise<void> | undefined;
  #adminConnecting: Promise<void> | undefined;
  #probe: Promise<boolean> | undefined;
  #invalidMessageCount = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: KafkaEventBusOptions) {
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) {
      throw new RangeError('KafkaEventBus needs at least one broker');
    }
    this.#options = options;
    this.#handlerRetryBackoff = resolveBackoff(options.handlerRetryBackoff);
    this.#kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: toKafkaJsLogLevel(options.logLevel ?? 'nothing'),
      logCreator: kafkaLogCreator(options.log),
      connectionTimeout: options.connectionTimeoutMs ?? 1_000,
      requestTimeout: options.requestTimeoutMs ?? 5_000,
      retry: CLIENT_RETRY,
    });
    this.#producer = this.#kafka.producer({
      allowAutoTopicCreation: true,
      idempotent: false,
      maxInFlightRequests: 1,
      // Java-compatible murmur2, so keys land where other Kafka clients would put them.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: CLIENT_RETRY,
    });
    this.#admin = this.#kafka.admin({ retry: { retries: 0 } });
  }

  /** Records skipped by this bus's consumers because they were not valid events. */
  get invalidMessageCount(): number {
    return this.#invalidMessageCount;
  }

  async publish(messages: readonly BusMessage[]): Promise<void> {
    this.#assertOpen();
    messages.forEach(assertValidBusMessage);
    if (messages.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(encodeKafkaRecord(message));
      byTopic.set(message.topic, list);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list,
    }));
    const timeoutMs = this.#options.publishTimeoutMs ?? 10_000;
    await withTimeout(
      this.#send(topicMessages),
      timeoutMs,
      () =>
        new EventsError(
          EventsErrorCode.BusUnavailable,
          `Kafka did not acknowledge within ${timeoutMs} ms`,
        ),
    );
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.#assertOpen();
    assertValidSubscribeOptions(options);
    const subscription = new KafkaSubscription(
      this.#kafka,
      options,
      {
        consumer: {
          maxWaitTimeInMs: this.#options.maxWaitTimeInMs ?? 1_000,
          sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
          heartbeatInterval: this.#options.heartbeatIntervalMs ?? 3_000,
          allowAutoTopicCreation: true,
          retry: CONSUMER_RETRY,
        },
        autoCommitIntervalMs: 5_000,
        partitionsConsumedConcurrently: this.#options.partitionsConsumedConcurrently ?? 1,
        positionTimeoutMs:
          (this.#options.maxWaitTimeInMs ?? 1_000) + (this.#options.requestTimeoutMs ?? 5_000),
        handlerRetryBackoff: this.#handlerRetryBackoff,
        restartBackoff: CONSUMER_RESTART_BACKOFF,
        onInvalidMessage: (record) => {
          this.#invalidMessageCount += 1;
          this.#options.onInvalidMessage?.(record);
        },
        onHandlerError: this.#options.onHandlerError,
      },
      (closed) => this.#subscriptions.delete(closed),
    );
    this.#subscriptions.add(subscription);
    try {
      await subscription.start();
    } catch (error) {
      await subscription.close();
      throw error;
    }
    return subscription;
  }

  /** A metadata round trip to the cluster within `readyTimeoutMs`; concurrent calls share one. */
  isReady(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    if (this.#probe === undefined) {
      const timeoutMs = this.#options.readyTimeoutMs ?? 2_000;
      this.#probe = withTimeout(
        (async () => {
          await this.#connectAdmin();
          await this.#admin.describeCluster();
        })(),
        timeoutMs,
        () => new Error(`no metadata within ${timeoutMs} ms`),
      )
        .then(
          () => true,
          () => false,
        )
        .finally(() => {
          this.#probe = undefined;
        });
    }
    return this.#probe;
  }

  close(): Promise<void> {
    if (this.#closed) return this.#closing ?? Promise.resolve();
    this.#closed = true;
    this.#closing = (async () => {
      await Promise.all([...this.#subscriptions].map((subscription) => subscription.close()));
      await Promise.all([
        this.#producer.disconnect().catch(() => undefined),
        this.#admin.disconnect().catch(() => undefined),
      ]);
    })();
    return this.#closing;
  }

  async #send(topicMessages: TopicMessages[]): Promise<void> {
    try {
      await this.#connectProducer();
      await this.#producer.sendBatch({
        topicMessages,
        acks: -1,
        timeout: this.#options.requestTimeoutMs ?? 5_000,
      });
    } catch (error) {
      throw toBusError(error, 'publish');
    }
  }

  /** Connects once; a failed attempt is forgotten so that the next call tries again. */
  #connectProducer(): Promise<void> {
    this.#producerConnecting ??= this.#producer.connect().catch((error: unknown) => {
      this.#producerConnecting = undefined;
      throw error;
    });
    return this.#producerConnecting;
  }

  #connectAdmin(): Promise<void> {
    this.#adminConnecting ??= this.#admin.connect().catch((error: unknown) => {
      this.#adminConnecting = undefined;
      throw error;
    });
    return this.#adminConnecting;
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new EventsError(EventsErrorCode.BusUnavailable, 'the Kafka bus is closed');
  }
}
