import { randomUUID } from 'node:crypto';
import {
  ANY_VERSION,
  EventStore,
  NewEvent,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
} from './event-store.port';
import { EventsError, EventsErrorCode } from '../events.error';

const TYPE = 'pbx.provisioning.v1.TenantRenamed';

export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return { type: TYPE, data: new TextEncoder().encode(randomUUID()), tenant: 't-1', ...overrides };
}

async function expectCode(promise: Promise<unknown>, code: EventsErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(EventsError);
  await promise.catch((error: EventsError) => expect(error.code).toBe(code));
}

/** One contract for every EventStore adapter (in-memory and PostgreSQL). */
export function describeEventStoreContract(
  name: string,
  setup: () => Promise<{ store: EventStore; teardown?: () => Promise<void> }>,
): void {
  describe(`${name} (EventStore contract)`, () => {
    let store: EventStore;
    let teardown: (() => Promise<void>) | undefined;
    const stream = (): string => `tenant-${randomUUID()}`;

    beforeAll(async () => {
      ({ store, teardown } = await setup());
    });
    afterAll(async () => {
      await teardown?.();
    });

    it('appends to a new stream and reads the events back in version order', async () => {
      const id = stream();
      const events = [newEvent(), newEvent(), newEvent()];
      const result = await store.append(id, events, STREAM_DOES_NOT_EXIST);
      expect(result.nextExpectedVersion).toBe(3);
      const read = await store.readStream(id);
      expect(read.map((e) => e.version)).toEqual([1, 2, 3]);
      expect(read.map((e) => Buffer.from(e.data).toString())).toEqual(
        events.map((e) => Buffer.from(e.data).toString()),
      );
      expect(read[0].topic).toBe('pbx.provisioning.v1');
      expect(read[0].tenant).toBe('t-1');
      expect(read.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
      expect(read.map((e) => e.globalPosition)).toEqual(result.events.map((e) => e.globalPosition));
    });

    it('keeps the ids and times a caller supplies', async () => {
      const id = stream();
      const eventId = randomUUID();
      const time = new Date('2026-01-02T03:04:05.678Z');
      await store.append(id, [newEvent({ id: eventId, time })], ANY_VERSION);
      const [read] = await store.readStream(id);
      expect(read.id).toBe(eventId);
      expect(read.time.toISOString()).toBe(time.toISOString());
    });

    it('appends when the expected version matches', async () => {
      const id = stream();
      await store.append(id, [newEvent()], STREAM_DOES_NOT_EXIST);
      await store.append(id, [newEvent(), newEvent()], 1);
      await store.append(id, [newEvent()], STREAM_EXISTS);
      const result = await store.append(id, [newEvent()], 4);
      expect(result.nextExpectedVersion).toBe(5);
    });

    it('refuses a stale expected version with a typed conflict and stores nothing', async () => {
      const id = stream();
      await store.append(id, [newEvent(), newEvent()], STREAM_DOES_NOT_EXIST);
      await expectCode(store.append(id, [newEvent()], 1), EventsErrorCode.WrongExpectedVersion);
      await expectCode(
        store.append(id, [newEvent()], STREAM_DOES_NOT_EXIST),
        EventsErrorCode.WrongExpectedVersion,
      );
      await expectCode(
        store.append(stream(), [newEvent()], STREAM_EXISTS),
        EventsErrorCode.WrongExpectedVersion,
      );
      await expectCode(
        store.append(stream(), [newEvent()], 3),
        EventsErrorCode.WrongExpectedVersion,
      );
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('reports the actual version in the conflict', async () => {
      const id = stream();
      await store.append(id, [newEvent(), newEvent()], STREAM_DOES_NOT_EXIST);
      const error = await store.append(id, [newEvent()], 7).catch((e: EventsError) => e);
      expect(error).toBeInstanceOf(EventsError);
      expect((error as EventsError).details).toMatchObject({ actual: 2, expected: 7 });
    });

    it('lets exactly one of many concurrent writers with the same expected version win', async () => {
      const id = stream();
      await store.append(id, [newEvent()], STREAM_DOES_NOT_EXIST);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, () => store.append(id, [newEvent()], 1)),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected')
          expect((o.reason as EventsError).code).toBe(EventsErrorCode.WrongExpectedVersion);
      }
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it('gives every event of concurrent ANY appends its own version', async () => {
      const id = stream();
      await Promise.all(
        Array.from({ length: 10 }, () => store.append(id, [newEvent(), newEvent()], ANY_VERSION)),
      );
      const read = await store.readStream(id);
      expect(read.map((e) => e.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('refuses bad input with a clear error and stores nothing', async () => {
      const id = stream();
      await expectCode(store.append(id, [], ANY_VERSION), EventsErrorCode.InvalidEvent);
      await expectCode(store.append('', [newEvent()], ANY_VERSION), EventsErrorCode.InvalidEvent);
      await expectCode(
        store.append('bad stream id', [newEvent()], ANY_VERSION),
        EventsErrorCode.InvalidEvent,
      );
      await expectCode(
        store.append(id, [newEvent({ type: 'NotAnEvent' })], ANY_VERSION),
        EventsErrorCode.InvalidEvent,
      );
      await expectCode(
        store.append(id, [newEvent({ tenant: '' })], ANY_VERSION),
        EventsErrorCode.InvalidEvent,
      );
      await expectCode(store.append(id, [newEvent()], -1), EventsErrorCode.InvalidEvent);
      expect(await store.readStream(id)).toHaveLength(0);
    });

    it('refuses an event id that is already stored, leaving the stream unchanged', async () => {
      const id = stream();
      const eventId = randomUUID();
      await store.append(id, [newEvent({ id: eventId })], STREAM_DOES_NOT_EXIST);
      await expectCode(
        store.append(id, [newEvent({ id: eventId })], 1),
        EventsErrorCode.InvalidEvent,
      );
      expect(await store.readStream(id)).toHaveLength(1);
      await store.append(id, [newEvent()], 1);
    });

    it('reads all events after a position in increasing global order', async () => {
      const before = await store.readAll(0n, 100000);
      const last = before.length ? before[before.length - 1].globalPosition : 0n;
      const a = stream();
      const b = stream();
      await store.append(a, [newEvent()], ANY_VERSION);
      await store.append(b, [newEvent(), newEvent()], ANY_VERSION);
      const after = await store.readAll(last, 100);
      expect(after.map((e) => e.streamId)).toEqual([a, b, b]);
      const positions = after.map((e) => e.globalPosition);
      expect([...positions].sort((x, y) => (x < y ? -1 : 1))).toEqual(positions);
      expect(await store.readAll(last, 1)).toHaveLength(1);
    });

    it('reads a stream from a given version', async () => {
      const id = stream();
      await store.append(id, [newEvent(), newEvent(), newEvent()], ANY_VERSION);
      expect((await store.readStream(id, 2)).map((e) => e.version)).toEqual([2, 3]);
      expect(await store.readStream(stream())).toEqual([]);
    });
  });
}
