import {
  EventsError,
  EventsErrorCode,
  InMemoryEventStore,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@pbx/events';
import { callEventCodec } from '../adapters/events/call-event.codec';
import type { CallEvent } from '../domain/call/call';
import { CallJournal } from './call-journal';

const T = '2025-03-10T09:00:00.000Z';
const quiet = {
  debug: (): void => undefined,
  warn: (): void => undefined,
  error: (): void => undefined,
};

const ringing = (callId: string, n: number): CallEvent => ({
  type: 'CallRinging',
  callId,
  deviceId: `d${n}`,
  ringingAt: T,
});

/** A store whose appends take a while and can be told to fail (before or after committing). */
class FlakyStore implements EventStore {
  readonly inner = new InMemoryEventStore('/pbx/routing');
  failures: ('before' | 'after')[] = [];
  delayMs = 0;
  attempts = 0;

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.attempts++;
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const failure = this.failures.shift();
    if (failure === 'before')
      throw new EventsError(EventsErrorCode.StoreUnavailable, 'connection reset');
    const result = await this.inner.append(streamId, events, expected);
    if (failure === 'after')
      throw new EventsError(EventsErrorCode.StoreUnavailable, 'lost the reply');
    return result;
  }

  readStream(streamId: string, from?: number): ReturnType<EventStore['readStream']> {
    return this.inner.readStream(streamId, from);
  }

  readAll(after: bigint, limit: number): ReturnType<EventStore['readAll']> {
    return this.inner.readAll(after, limit);
  }
}

async function devicesOf(store: FlakyStore, callId: string): Promise<(string | undefined)[]> {
  const stream = await store.readStream(`call-${callId}`);
  return stream.map((e) => {
    const event = callEventCodec.decode(e.type, e.data);
    return event.type === 'CallRinging' ? event.deviceId : event.type;
  });
}

describe(CallJournal.name, () => {
  it("stores each call's events in the order they were recorded while appends are slow", async () => {
    const store = new FlakyStore();
    store.delayMs = 5;
    const journal = new CallJournal(store, callEventCodec, quiet, { retryMinMs: 1 });
    for (let n = 0; n < 5; n++) {
      journal.record('a', 'acme', [ringing('a', n)], false);
      journal.record('b', 'acme', [ringing('b', n)], n === 4);
    }
    await journal.flush();
    expect(await devicesOf(store, 'a')).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(await devicesOf(store, 'b')).toEqual(['d0', 'd1', 'd2', 'd3', 'd4']);
    expect(journal.pending).toBe(0);
  });

  it('retries an append that failed, keeping the order', async () => {
    const store = new FlakyStore();
    store.failures = ['before'];
    const journal = new CallJournal(store, callEventCodec, quiet, { retryMinMs: 1 });
    journal.record('a', 'acme', [ringing('a', 1), ringing('a', 2)], false);
    journal.record('a', 'acme', [ringing('a', 3)], true);
    await journal.flush();
    expect(await devicesOf(store, 'a')).toEqual(['d1', 'd2', 'd3']);
    expect(store.attempts).toBeGreaterThan(1);
  });

  it('does not store twice what an append committed before its reply was lost', async () => {
    const store = new FlakyStore();
    store.failures = ['after'];
    const journal = new CallJournal(store, callEventCodec, quiet, { retryMinMs: 1 });
    journal.record('a', 'acme', [ringing('a', 1)], false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    journal.record('a', 'acme', [ringing('a', 2)], true);
    await journal.flush();
    expect(await devicesOf(store, 'a')).toEqual(['d1', 'd2']);
  });

  it('drops events beyond its memory bound rather than growing without end', async () => {
    const store = new FlakyStore();
    store.delayMs = 5;
    const journal = new CallJournal(store, callEventCodec, quiet, { maxPendingEvents: 2 });
    journal.record('a', 'acme', [ringing('a', 1), ringing('a', 2)], false);
    journal.record('a', 'acme', [ringing('a', 3)], true);
    expect(journal.dropped).toBe(1);
    await journal.flush();
    expect(await devicesOf(store, 'a')).toEqual(['d1', 'd2']);
  });

  it('gives up at the flush deadline when the store stays down', async () => {
    const store = new FlakyStore();
    store.failures = Array.from({ length: 1000 }, () => 'before' as const);
    const errors: string[] = [];
    const journal = new CallJournal(
      store,
      callEventCodec,
      { ...quiet, error: (m) => errors.push(m) },
      {
        retryMinMs: 1,
        retryMaxMs: 5,
        flushTimeoutMs: 30,
      },
    );
    journal.record('a', 'acme', [ringing('a', 1)], true);
    await journal.flush();
    expect(journal.pending).toBe(1);
    expect(errors.join()).toMatch(/1 call event\(s\) could not be stored/);
  });
});
