import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  StoredEvent,
} from './event-store.port';
import { matchesExpectedVersion, validateAppend, wrongExpectedVersion } from './expected-version';
import { EventsError, EventsErrorCode } from '../events.error';
import { AppendListeners } from './append-listeners';

/** The event store for unit tests: same contract as PostgresEventStore, kept in memory. */
export class InMemoryEventStore implements EventStore {
  readonly appended = new AppendListeners();
  readonly #all: StoredEvent[] = [];
  readonly #streams = new Map<string, StoredEvent[]>();
  readonly #ids = new Set<string>();

  constructor(private readonly source = '/pbx/test') {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const topics = validateAppend(streamId, events, expectedVersion);
    const stream = this.#streams.get(streamId) ?? [];
    if (!matchesExpectedVersion(stream.length, expectedVersion)) {
      throw wrongExpectedVersion(streamId, expectedVersion, stream.length);
    }
    const ids = events.map((e) => e.id ?? randomUUID());
    if (ids.some((id) => this.#ids.has(id)) || new Set(ids).size !== ids.length) {
      throw new EventsError(EventsErrorCode.InvalidEvent, 'duplicate event id', { streamId });
    }
    const stored = events.map((e, i): StoredEvent => ({
      id: ids[i],
      streamId,
      version: stream.length + i + 1,
      globalPosition: BigInt(this.#all.length + i + 1),
      type: e.type,
      topic: topics[i],
      source: this.source,
      tenant: e.tenant,
      time: e.time ?? new Date(),
      data: e.data,
    }));
    for (const event of stored) {
      this.#ids.add(event.id);
      this.#all.push(event);
      stream.push(event);
    }
    this.#streams.set(streamId, stream);
    this.appended.notify(stored);
    return { nextExpectedVersion: stream.length, events: stored };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<readonly StoredEvent[]> {
    return (this.#streams.get(streamId) ?? []).filter((e) => e.version >= fromVersion);
  }

  async readAll(after: bigint, limit: number): Promise<readonly StoredEvent[]> {
    return this.#all.filter((e) => e.globalPosition > after).slice(0, limit);
  }
}
