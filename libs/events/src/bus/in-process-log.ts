import { EventEnvelope } from '../envelope/event-envelope';

export interface StoredRecord {
  readonly key: string;
  readonly event: EventEnvelope;
}

/**
 * One partition of the in-process bus: append-only, addressed by offsets that never get reused.
 * Beyond `retain` records the oldest ones are dropped, as Kafka's retention does, so that a
 * long-running standalone process does not grow without bound.
 *
 * Records are kept in chunks of a quarter of `retain`, and the oldest chunk goes whole: dropping
 * never moves the records that stay. (Splicing them off the front of one array moved 100,000
 * references at once, and stalled the event loop for 180 ms while a major GC was marking.)
 */
export class PartitionLog {
  readonly #chunkSize: number;
  /** Every chunk but the last is full; the first one starts at `#start`. */
  readonly #chunks: StoredRecord[][] = [];
  #start = 0;
  #end = 0;

  constructor(private readonly retain: number) {
    this.#chunkSize = Math.max(1, Math.floor(retain / 4));
  }

  /** Offset of the oldest record still held. */
  get start(): number {
    return this.#start;
  }

  /** Offset the next appended record gets. */
  get end(): number {
    return this.#end;
  }

  append(record: StoredRecord): number {
    let last = this.#chunks[this.#chunks.length - 1];
    if (last === undefined || last.length === this.#chunkSize) {
      last = [];
      this.#chunks.push(last);
    }
    last.push(record);
    this.#end += 1;
    while (this.#end - this.#start - this.#chunks[0].length >= this.retain) {
      this.#start += this.#chunks[0].length;
      this.#chunks.shift();
    }
    return this.#end - 1;
  }

  at(offset: number): StoredRecord | undefined {
    if (offset < this.#start || offset >= this.#end) return undefined;
    const index = offset - this.#start;
    const chunk = Math.floor(index / this.#chunkSize);
    return this.#chunks[chunk][index - chunk * this.#chunkSize];
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
