import { randomUUID } from 'node:crypto';
import {
  ANY_VERSION,
  EventsError,
  EventsErrorCode,
  type EventStore,
  type NewEvent,
} from '@pbx/events';
import type { Binding } from './binding';
import { registrationEventCodec } from './registration-event.codec';
import {
  registeredEvent,
  registrationStreamId,
  unregisteredEvent,
  type RegistrationEvent,
  type UnregisterReason,
} from './registration-event';

/** Where the registrar reports bindings appearing and disappearing; never blocks, never throws. */
export interface RegistrationEventSink {
  registered(binding: Binding, now: number): void;
  unregistered(binding: Binding, reason: UnregisterReason, now: number): void;
}

export interface PublisherLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface RegistrationEventPublisherOptions {
  readonly log: PublisherLog;
  /** Events per drain round. Default 200. */
  readonly batchSize?: number;
  /** First retry delay after a failed append, doubled up to maxRetryDelayMs. Default 500 ms. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /**
   * Events held while the store is unavailable; past it the oldest are dropped (and logged):
   * registrations go on working during an outage, their events are best effort.
   */
  readonly maxQueued?: number;
}

interface Queued {
  readonly streamId: string;
  readonly event: NewEvent;
  attempts: number;
}

/**
 * Appends registration events to the event store off the response path: the registrar only
 * queues them; a drain on the next turn of the event loop appends them in small batches, one
 * append per device stream (the outbox relay then publishes them on `pbx.registrations.v1`).
 * A failed append is retried with backoff, in order within its stream; each event keeps its id
 * across retries, so an append that committed but did not answer is recognised, not doubled.
 */
export class RegistrationEventPublisher implements RegistrationEventSink {
  readonly #queue: Queued[] = [];
  readonly #batchSize: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #maxQueued: number;
  #draining: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #delayMs: number;
  #closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: RegistrationEventPublisherOptions,
  ) {
    this.#batchSize = options.batchSize ?? 200;
    this.#retryDelayMs = options.retryDelayMs ?? 500;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#maxQueued = options.maxQueued ?? 100_000;
    this.#delayMs = this.#retryDelayMs;
  }

  get pending(): number {
    return this.#queue.length;
  }

  registered(binding: Binding, now: number): void {
    this.#enqueue(binding, registeredEvent(binding, now), now);
  }

  unregistered(binding: Binding, reason: UnregisterReason, now: number): void {
    this.#enqueue(binding, unregisteredEvent(binding, reason), now);
  }

  /** Appends everything queued now; resolves when done or when the store refused (retry set). */
  async flush(): Promise<void> {
    while (this.#queue.length > 0) {
      const before = this.#queue.length;
      await this.#drain();
      if (this.#retryTimer !== undefined || this.#queue.length >= before) return;
    }
  }

  /** Stops retrying after one last flush; idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#draining;
    await this.flush();
    if (this.#queue.length > 0) {
      this.options.log.warn(`${this.#queue.length} registration events not appended at shutdown`);
    }
  }

  #enqueue(binding: Binding, event: RegistrationEvent, now: number): void {
    const encoded = registrationEventCodec.encode(event);
    this.#queue.push({
      streamId: registrationStreamId(binding.groupId, binding.username),
      event: { ...encoded, id: randomUUID(), tenant: binding.tenantId, time: new Date(now) },
      attempts: 0,
    });
    if (this.#queue.length > this.#maxQueued) {
      const dropped = this.#queue.splice(0, this.#queue.length - this.#maxQueued);
      this.options.log.error(`dropped ${dropped.length} registration events: event store behind`);
    }
    if (this.#draining === undefined && this.#retryTimer === undefined && !this.#closed) {
      setImmediate(() => void this.#drain());
    }
  }

  #drain(): Promise<void> {
    this.#draining ??= this.#drainBatch().finally(() => {
      this.#draining = undefined;
      if (this.#queue.length > 0 && this.#retryTimer === undefined && !this.#closed) {
        setImmediate(() => void this.#drain());
      }
    });
    return this.#draining;
  }

  async #drainBatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#batchSize);
    if (batch.length === 0) return;
    const byStream = new Map<string, Queued[]>();
    for (const item of batch) {
      const list = byStream.get(item.streamId);
      if (list === undefined) byStream.set(item.streamId, [item]);
      else list.push(item);
    }
    const failed: Queued[] = [];
    await Promise.all(
      [...byStream].map(async ([streamId, items]) => {
        // Retried events go alone first: if their earlier append did commit, the store says so
        // for that append only, and the stream's newer events are not mistaken for them.
        const retried = items.filter((i) => i.attempts > 0);
        const fresh = items.filter((i) => i.attempts === 0);
        for (const [index, group] of [retried, fresh].entries()) {
          if (group.length === 0) continue;
          if (!(await this.#append(streamId, group))) {
            failed.push(...(index === 0 ? items : group));
            return;
          }
        }
      }),
    );
    if (failed.length === 0) {
      this.#delayMs = this.#retryDelayMs;
      return;
    }
    // Back in front, in their order: a stream's later events stay behind its earlier ones.
    const order = new Map(batch.map((item, i) => [item, i]));
    failed.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    this.#queue.unshift(...failed);
    if (this.#closed) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#drain();
    }, this.#delayMs);
    this.#retryTimer.unref();
    this.#delayMs = Math.min(this.#delayMs * 2, this.#maxRetryDelayMs);
  }

  /** True when appended (or found appended already, or refused for good). */
  async #append(streamId: string, items: readonly Queued[]): Promise<boolean> {
    try {
      await this.store.append(
        streamId,
        items.map((i) => i.event),
        ANY_VERSION,
      );
      return true;
    } catch (error) {
      if (error instanceof EventsError && error.code === EventsErrorCode.InvalidEvent) {
        if (items[0].attempts > 0 && /already stored|duplicate event id/.test(error.message)) {
          return true;
        }
        this.options.log.error(`registration events of ${streamId} refused: ${error.message}`);
        return true;
      }
      for (const item of items) item.attempts += 1;
      this.options.log.warn(
        `registration events of ${streamId} not appended, will retry: ${String(error)}`,
      );
      return false;
    }
  }
}
