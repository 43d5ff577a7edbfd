import { randomUUID } from 'node:crypto';
import {
  EventsError,
  EventsErrorCode,
  STREAM_DOES_NOT_EXIST,
  type EventCodec,
  type EventStore,
  type NewEvent,
  type StoreTransaction,
  type TransactionalEventStore,
} from '@pbx/events';
import { callStreamId, type CallEvent } from '../domain/call/call';

export interface JournalLog {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CallJournalOptions {
  /** Calls whose events go in one transaction, when the store can share one. */
  readonly maxBatchCalls?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Events waiting in memory at most; beyond it new ones are dropped (and logged). */
  readonly maxPendingEvents?: number;
  /** How long `flush` keeps trying on shutdown. */
  readonly flushTimeoutMs?: number;
}

interface Entry {
  readonly callId: string;
  readonly streamId: string;
  readonly tenant: string;
  /** Events stored in the call's stream so far: the expected version of the next append. */
  version: number;
  /** Encoded, with their ids fixed, so that a retry is recognisable. */
  readonly pending: NewEvent[];
  /** No more events will come: the entry goes once they are stored. */
  finished: boolean;
}

function isTransactional(store: EventStore): store is TransactionalEventStore {
  return typeof (store as Partial<TransactionalEventStore>).transaction === 'function';
}

/** The store could not be reached (or failed in a way that says nothing about the events). */
function isUnavailable(error: unknown): boolean {
  return !(error instanceof EventsError) || error.code === EventsErrorCode.StoreUnavailable;
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * Stores the calls' events in the background, so that route() never waits for PostgreSQL. Each
 * call's events are appended in the order they were recorded (one drainer, one FIFO per call)
 * with optimistic concurrency on the call's stream; calls ready at the same moment share one
 * transaction. A failed append is retried with backoff; a retry after an append whose outcome is
 * unknown (the commit may have happened) re-reads the stream and skips the events already there,
 * recognised by their ids.
 */
export class CallJournal {
  readonly #entries = new Map<string, Entry>();
  /** Calls with events to store, oldest first. */
  readonly #ready = new Set<string>();
  readonly #maxBatchCalls: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #maxPending: number;
  readonly #flushTimeoutMs: number;
  #pendingEvents = 0;
  #draining: Promise<void> | undefined;
  #stopAt: number | undefined;
  #dropped = 0;

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec<CallEvent>,
    private readonly log: JournalLog,
    options: CallJournalOptions = {},
  ) {
    this.#maxBatchCalls = options.maxBatchCalls ?? 200;
    this.#retryMinMs = options.retryMinMs ?? 50;
    this.#retryMaxMs = options.retryMaxMs ?? 5_000;
    this.#maxPending = options.maxPendingEvents ?? 200_000;
    this.#flushTimeoutMs = options.flushTimeoutMs ?? 5_000;
  }

  /** Events waiting to be stored. */
  get pending(): number {
    return this.#pendingEvents;
  }

  /** Events given up on (memory bound reached, or refused by the store). */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * Queues a call's new events; `finished` when the call can have no more. Never throws and
   * never waits.
   */
  record(callId: string, tenant: string, events: readonly CallEvent[], finished: boolean): void {
    if (events.length === 0) return;
    if (this.#pendingEvents + events.length > this.#maxPending) {
      this.#dropped += events.length;
      this.log.error(
        `call ${callId}: ${events.length} event(s) dropped, ${this.#pendingEvents} are still waiting for the event store`,
      );
      return;
    }
    let entry = this.#entries.get(callId);
    if (!entry) {
      entry = {
        callId,
        streamId: callStreamId(callId),
        tenant,
        version: 0,
        pending: [],
        finished,
      };
      this.#entries.set(callId, entry);
    }
    entry.finished ||= finished;
    for (const event of events) {
      entry.pending.push({ id: randomUUID(), tenant: entry.tenant, ...this.codec.encode(event) });
    }
    this.#pendingEvents += events.length;
    this.#ready.add(callId);
    this.kick();
  }

  /** Stores what is waiting, trying for at most the flush timeout (shutdown). */
  async flush(): Promise<void> {
    this.#stopAt = Date.now() + this.#flushTimeoutMs;
    if (this.#ready.size > 0) this.kick();
    await this.#draining;
    if (this.#pendingEvents > 0) {
      this.log.error(
        `${this.#pendingEvents} call event(s) could not be stored before shutdown and are lost`,
      );
    }
  }

  private kick(): void {
    this.#draining ??= this.drain().finally(() => {
      this.#draining = undefined;
      // Events recorded between the drainer's last look and now.
      if (this.#ready.size > 0 && !this.expired()) this.kick();
    });
  }

  private expired(): boolean {
    return this.#stopAt !== undefined && Date.now() > this.#stopAt;
  }

  private async drain(): Promise<void> {
    let delay = this.#retryMinMs;
    while (this.#ready.size > 0) {
      if (this.expired()) return;
      const batch: Entry[] = [];
      for (const callId of this.#ready) {
        const entry = this.#entries.get(callId);
        if (entry) batch.push(entry);
        if (batch.length >= this.#maxBatchCalls) break;
      }
      for (const entry of batch) this.#ready.delete(entry.callId);
      const failed = await this.storeBatch(batch);
      for (const entry of failed) this.#ready.add(entry.callId);
      if (failed.length === batch.length) {
        await sleep(delay);
        delay = Math.min(delay * 2, this.#retryMaxMs);
      } else {
        delay = this.#retryMinMs;
      }
    }
  }

  /** Appends each entry's pending events; returns the entries to try again. */
  private async storeBatch(batch: readonly Entry[]): Promise<Entry[]> {
    const taken = batch.map((entry) => entry.pending.length);
    if (batch.length > 1 && isTransactional(this.store)) {
      try {
        const versions = await this.store.transaction(async (tx) => {
          const next: number[] = [];
          for (const [i, entry] of batch.entries())
            next.push(await this.append(tx, entry, taken[i]));
          return next;
        });
        batch.forEach((entry, i) => this.stored(entry, taken[i], versions[i]));
        return [];
      } catch (error) {
        if (isUnavailable(error)) {
          this.log.warn(
            `storing the events of ${batch.length} calls failed, retrying: ${(error as Error).message}`,
          );
          return [...batch];
        }
        // One call's problem must not hold the others back: each on its own.
      }
    }
    const failed: Entry[] = [];
    for (const [i, entry] of batch.entries()) {
      try {
        this.stored(entry, taken[i], await this.append(this.store, entry, taken[i]));
      } catch (error) {
        if (await this.recover(entry, error)) failed.push(entry);
      }
    }
    return failed;
  }

  private async append(
    target: Pick<StoreTransaction, 'append'>,
    entry: Entry,
    count: number,
  ): Promise<number> {
    const result = await target.append(
      entry.streamId,
      entry.pending.slice(0, count),
      entry.version === 0 ? STREAM_DOES_NOT_EXIST : entry.version,
    );
    return result.nextExpectedVersion;
  }

  private stored(entry: Entry, count: number, version: number): void {
    entry.pending.splice(0, count);
    entry.version = version;
    this.#pendingEvents -= count;
    this.settle(entry);
  }

  private settle(entry: Entry): void {
    if (entry.pending.length > 0) this.#ready.add(entry.callId);
    else if (entry.finished) this.#entries.delete(entry.callId);
  }

  /**
   * After a failed append: whether to try again. A version conflict or a duplicate id means an
   * earlier attempt may have committed: the stream says which events are there.
   */
  private async recover(entry: Entry, error: unknown): Promise<boolean> {
    const code = error instanceof EventsError ? error.code : undefined;
    const ambiguous =
      code === EventsErrorCode.WrongExpectedVersion || code === EventsErrorCode.InvalidEvent;
    if (isUnavailable(error)) {
      this.log.warn(
        `call ${entry.callId}: storing its events failed, retrying: ${(error as Error).message}`,
      );
      return true;
    }
    if (!ambiguous) return true;
    try {
      const stream = await this.store.readStream(entry.streamId);
      const ids = new Set(stream.map((e) => e.id));
      let already = 0;
      while (already < entry.pending.length && ids.has(entry.pending[already].id ?? '')) already++;
      if (already === 0 && code === EventsErrorCode.InvalidEvent) {
        this.#dropped += entry.pending.length;
        this.#pendingEvents -= entry.pending.length;
        this.log.error(
          `call ${entry.callId}: the event store refused its events (${(error as Error).message}); dropped`,
        );
        entry.pending.length = 0;
        this.settle(entry);
        return false;
      }
      entry.pending.splice(0, already);
      this.#pendingEvents -= already;
      entry.version = stream.length;
      this.log.debug(`call ${entry.callId}: resynchronised at version ${stream.length}`);
      this.settle(entry);
      return false;
    } catch (readError) {
      this.log.warn(
        `call ${entry.callId}: reading its stream failed, retrying: ${(readError as Error).message}`,
      );
      return true;
    }
  }
}
