import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import type { BusMessage, EventBus, Subscription } from '../bus/event-bus.port';
import { EventsError, EventsErrorCode } from '../events.error';
import {
  EventStoreSchema1764028800000,
  EventStoreStreamOrder1764028800003,
} from '../store/event-store.migration';
import { PostgresEventStore } from '../store/postgres-event-store';
import { OutboxRelay } from './outbox-relay';

/** Records what reaches the bus; can be told to refuse publishes, as a broker that went away. */
class RecordingBus implements EventBus {
  readonly published: BusMessage[] = [];
  down = false;
  async publish(messages: readonly BusMessage[]): Promise<void> {
    if (this.down) throw new EventsError(EventsErrorCode.BusUnavailable, 'broker down');
    this.published.push(...messages);
  }
  async subscribe(): Promise<Subscription> {
    throw new Error('not used here');
  }
  async isReady(): Promise<boolean> {
    return !this.down;
  }
  async close(): Promise<void> {}
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const TYPE = 'pbx.provisioning.v1.TenantRenamed';

describe(OutboxRelay.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  const relays: OutboxRelay[] = [];
  const track = (relay: OutboxRelay): OutboxRelay => (relays.push(relay), relay);

  beforeEach(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(
      database.url,
      [EventStoreSchema1764028800000, EventStoreStreamOrder1764028800003],
      40,
    );
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await db.destroy();
    await database.drop();
  });

  /**
   * Appends from many concurrent transactions that hold their sequence numbers for random times
   * before committing (or rolling back), so commits land out of sequence order while the relay
   * runs. Every committed event must reach the bus exactly once, each stream in version order.
   */
  it('delivers every committed event exactly once, in stream order, when commits land out of sequence', async () => {
    const bus = new RecordingBus();
    const relay = track(new OutboxRelay(db, bus, undefined, { idlePollMs: 5, batchSize: 50 }));
    relay.start();
    const streams = Array.from({ length: 12 }, () => `call-${randomUUID()}`);
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

    const writer = async (w: number): Promise<void> => {
      for (let i = 0; i < 15; i++) {
        const runner = db.createQueryRunner();
        await runner.connect();
        const ids = [randomUUID(), randomUUID()];
        const rollback = random() < 0.1;
        try {
          await runner.startTransaction();
          await runner.query(
            `SELECT * FROM pbx_append_to_stream($1, 'any', 0, $2, $3, $4, '/pbx/test', $5, $6, $7)`,
            [
              streams[(w + i) % streams.length],
              ids,
              [TYPE, TYPE],
              ['pbx.provisioning.v1', 'pbx.provisioning.v1'],
              ['t', 't'],
              [new Date(), new Date()],
              [Buffer.from('a'), Buffer.from('b')],
            ],
          );
          await runner.query('SELECT pg_sleep($1)', [random() * 0.03]);
          if (rollback) {
            await runner.rollbackTransaction();
            ids.forEach((id) => rolledBack.add(id));
          } else {
            await runner.commitTransaction();
            ids.forEach((id) => committed.add(id));
          }
        } finally {
          await runner.release();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, w) => writer(w)));
    // xmin is cluster-wide: another suite's CREATE DATABASE on the same server holds the relay back
    // for a while (correctly), hence the generous bound.
    await until(() => bus.published.length >= committed.size, 45_000, 'the relay to catch up');
    await new Promise((r) => setTimeout(r, 200));
    await relay.stop();

    const ids = bus.published.map((m) => m.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(committed);
    expect(rolledBack.size).toBeGreaterThan(0);

    const stored = await new PostgresEventStore(db, '/pbx/test').readAll(0n, 100000);
    const versionOf = new Map(stored.map((e) => [e.id, e.version]));
    for (const stream of streams) {
      const versions = bus.published
        .filter((m) => m.key === stream)
        .map((m) => versionOf.get(m.event.id));
      expect(versions).toEqual([...versions].sort((a, b) => (a ?? 0) - (b ?? 0)));
    }
    // Kafka partitions by this key, so each stream keeps its order on the bus too.
    expect(
      bus.published.every((m) => m.topic === 'pbx.provisioning.v1' && m.event.subject === m.key),
    ).toBe(true);
  });

  it('holds events while the bus is down and delivers them, none lost, when it returns', async () => {
    const bus = new RecordingBus();
    const store = new PostgresEventStore(db, '/pbx/test');
    const errors: unknown[] = [];
    const relay = track(
      new OutboxRelay(db, bus, store.appended, {
        idlePollMs: 10,
        retryMinMs: 10,
        retryMaxMs: 50,
        observer: { failed: (e) => errors.push(e) },
      }),
    );
    relay.start();
    await store.append('tenant-a', [{ type: TYPE, tenant: 't', data: new Uint8Array([1]) }], 'any');
    await until(() => bus.published.length === 1, 5000, 'the first event');
    bus.down = true;
    for (let i = 0; i < 5; i++) {
      await store.append(
        'tenant-a',
        [{ type: TYPE, tenant: 't', data: new Uint8Array([i]) }],
        'any',
      );
    }
    await until(() => errors.length >= 2, 5000, 'failed publishes');
    expect(relay.lastError).toContain('broker down');
    bus.down = false;
    await until(() => bus.published.length === 6, 5000, 'the held events');
    await relay.stop();
    expect(relay.lastError).toBeUndefined();
    expect(new Set(bus.published.map((m) => m.event.id)).size).toBe(6);
  });

  it('resumes after a restart from its checkpoint without repeating what it published', async () => {
    const bus = new RecordingBus();
    const store = new PostgresEventStore(db, '/pbx/test');
    const first = track(new OutboxRelay(db, bus, store.appended, { idlePollMs: 10 }));
    first.start();
    await store.append('tenant-b', [{ type: TYPE, tenant: 't', data: new Uint8Array([1]) }], 'any');
    await until(() => bus.published.length === 1, 5000, 'the first event');
    await first.stop();
    await store.append('tenant-b', [{ type: TYPE, tenant: 't', data: new Uint8Array([2]) }], 'any');
    const second = track(new OutboxRelay(db, bus, store.appended, { idlePollMs: 10 }));
    second.start();
    await until(() => bus.published.length === 2, 5000, 'the event appended while stopped');
    await new Promise((r) => setTimeout(r, 100));
    await second.stop();
    expect(bus.published).toHaveLength(2);
  });

  it('lets only one of two relays publish, and the other take over when the leader stops', async () => {
    const bus = new RecordingBus();
    const store = new PostgresEventStore(db, '/pbx/test');
    const a = track(new OutboxRelay(db, bus, store.appended, { idlePollMs: 10 }));
    const b = track(new OutboxRelay(db, bus, store.appended, { idlePollMs: 10 }));
    a.start();
    await until(() => a.isLeader, 5000, 'a to lead');
    b.start();
    for (let i = 0; i < 20; i++) {
      await store.append(
        `tenant-${i % 3}`,
        [{ type: TYPE, tenant: 't', data: new Uint8Array([i]) }],
        'any',
      );
    }
    await until(() => bus.published.length === 20, 5000, 'twenty events');
    expect(b.isLeader).toBe(false);
    await a.stop();
    await until(() => b.isLeader, 5000, 'b to take over');
    await store.append('tenant-x', [{ type: TYPE, tenant: 't', data: new Uint8Array([1]) }], 'any');
    await until(() => bus.published.length === 21, 5000, 'the event after the takeover');
    await b.stop();
    expect(new Set(bus.published.map((m) => m.event.id)).size).toBe(21);
  });
});
