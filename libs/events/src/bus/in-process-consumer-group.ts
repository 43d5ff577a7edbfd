import { BatchHandler, DeliveredMessage } from './event-bus.port';
import { copyEnvelope, PartitionLog, TopicLog } from './in-process-log';
import { RetryBackoff, retryDelayMs } from './retry-backoff';

export type HandlerErrorListener = (error: unknown, message: DeliveredMessage) => void;

/** Messages delivered back to back before the drain yields to timers and I/O. */
const DELIVERIES_PER_TURN = 64;

export interface MemberDelivery {
  readonly handle: BatchHandler;
  /** 1 for a per-message subscriber. */
  readonly maxBatchSize: number;
}

/** One subscriber of a group; it receives the partitions the group assigns to it. */
export class GroupMember {
  readonly #inFlight = new Set<Promise<boolean>>();

  constructor(
    readonly topics: ReadonlySet<string>,
    private readonly delivery: MemberDelivery,
    private readonly onHandlerError: HandlerErrorListener | undefined,
  ) {}

  get maxBatchSize(): number {
    return this.delivery.maxBatchSize;
  }

  /** Resolves true once the handler resolved, false when it failed; never rejects. */
  deliver(messages: readonly DeliveredMessage[]): Promise<boolean> {
    const attempt = this.#invoke(messages);
    this.#inFlight.add(attempt);
    void attempt.finally(() => this.#inFlight.delete(attempt));
    return attempt;
  }

  /** Waits for the deliveries already handed to this member. */
  async settled(): Promise<void> {
    await Promise.all([...this.#inFlight]);
  }

  async #invoke(messages: readonly DeliveredMessage[]): Promise<boolean> {
    try {
      await this.delivery.handle(messages);
      return true;
    } catch (error) {
      try {
        this.onHandlerError?.(error, messages[0]);
      } catch {
        // A failing listener must not turn a handler failure into a lost message.
      }
      return false;
    }
  }
}

/**
 * The group's position in one partition. There is one cursor per (group, topic, partition),
 * whoever owns it, so a partition is never delivered twice at once within a group, stays in
 * order across reassignments, and a failing message holds back only its own partition.
 */
export class PartitionCursor {
  owner: GroupMember | undefined;
  #committed: number;
  #draining = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopped = false;

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly log: PartitionLog,
    private readonly backoff: RetryBackoff,
    fromBeginning: boolean,
  ) {
    this.#committed = fromBeginning ? log.start : log.end;
  }

  /** Schedules delivery of whatever is pending; never calls a handler synchronously. */
  kick(): void {
    if (this.#stopped || this.#draining || this.#retryTimer !== undefined) return;
    this.#draining = true;
    setImmediate(() => void this.#drain());
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  async #drain(): Promise<void> {
    try {
      let deliveredThisTurn = 0;
      while (!this.#stopped) {
        const owner = this.owner;
        if (owner === undefined) return;
        // Records dropped by retention are gone, as after Kafka's offset reset to earliest.
        this.#committed = Math.max(this.#committed, this.log.start);
        const offset = this.#committed;
        const batch: DeliveredMessage[] = [];
        for (let next = offset; batch.length < owner.maxBatchSize; next++) {
          const record = this.log.at(next);
          if (record === undefined) break;
          batch.push({
            topic: this.topic,
            partition: this.partition,
            offset: String(next),
            key: record.key,
            event: copyEnvelope(record.event),
          });
        }
        if (batch.length === 0) return;
        const delivered = await owner.deliver(batch);
        if (!delivered) {
          this.#failures += 1;
          if (this.#stopped) return;
          this.#retryTimer = setTimeout(
            () => {
              this.#retryTimer = undefined;
              this.kick();
            },
            retryDelayMs(this.#failures, this.backoff),
          );
          return;
        }
        this.#failures = 0;
        this.#committed = offset + batch.length;
        deliveredThisTurn += batch.length;
        if (deliveredThisTurn >= DELIVERIES_PER_TURN) {
          deliveredThisTurn = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}

/** A consumer group: its members and, per subscribed topic, one cursor per partition. */
export class ConsumerGroup {
  readonly #members: GroupMember[] = [];
  readonly #cursors = new Map<string, readonly PartitionCursor[]>();

  constructor(private readonly backoff: RetryBackoff) {}

  join(member: GroupMember, topics: ReadonlyMap<string, TopicLog>, fromBeginning: boolean): void {
    for (const [topic, log] of topics) {
      if (!this.#cursors.has(topic)) {
        this.#cursors.set(
          topic,
          log.partitions.map((partitionLog, partition) => {
            return new PartitionCursor(topic, partition, partitionLog, this.backoff, fromBeginning);
          }),
        );
      }
    }
    this.#members.push(member);
    this.#rebalance();
  }

  leave(member: GroupMember): void {
    const index = this.#members.indexOf(member);
    if (index < 0) return;
    this.#members.splice(index, 1);
    this.#rebalance();
  }

  notifyAppended(topic: string, partition: number): void {
    this.#cursors.get(topic)?.[partition]?.kick();
  }

  stop(): void {
    for (const cursors of this.#cursors.values()) for (const cursor of cursors) cursor.stop();
  }

  /** Round-robin of each topic's partitions over the members subscribed to it. */
  #rebalance(): void {
    for (const [topic, cursors] of this.#cursors) {
      const eligible = this.#members.filter((member) => member.topics.has(topic));
      cursors.forEach((cursor, partition) => {
        cursor.owner = eligible.length === 0 ? undefined : eligible[partition % eligible.length];
        cursor.kick();
      });
    }
  }
}
