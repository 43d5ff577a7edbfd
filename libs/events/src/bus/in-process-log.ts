import { EventEnvelope } from '../envelope/event-envelope';

export interface StoredRecord {
  readonly key: string;
  readonly event: EventEnvelope;
}

/**
 * One partition of the in-process bus: append-only, addressed by offsets that never get reused.
 * Beyond `retain` records the oldest ones are dropped, as Kafka's retention does, so that a
 * long-running standalone process does not grow without bound.
 */
export class PartitionLog {
  #start = 0;
  #records: StoredRecord[] = [];

  constructor(private readonly retain: number) {}

  /** Offset of the oldest record still held. */
  get start(): number {
    return this.#start;
  }

  /** Offset the next appended record gets. */
  get end(): number {
    return this.#start + this.#records.length;
  }

  append(record: StoredRecord): number {
    this.#records.push(record);
    // Trim in chunks so that appends stay amortised O(1).
    const excess = this.#records.length - this.retain;
    if (excess > 0 && excess >= Math.max(1, Math.floor(this.retain / 4))) {
      this.#records.splice(0, excess);
      this.#start += excess;
    }
    return this.end - 1;
  }

  at(offset: number): StoredRecord | undefined {
    return this.#records[offset - this.#start];
  }
}

export class TopicLog {
  readonly partitions: readonly PartitionLog[];

  constructor(partitionCount: number, retain: number) {
    this.partitions = Array.from({ length: partitionCount }, () => new PartitionLog(retain));
  }
}

/** A defensive copy: neither the publisher nor one consumer can alter what another one reads. */
export function copyEnvelope(event: EventEnvelope): EventEnvelope {
  return { ...event, time: new Date(event.time.getTime()), data: event.data.slice() };
}
