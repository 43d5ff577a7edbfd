import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { InProcessEventBus } from '../bus/in-process-event-bus';
import type { BusMessage } from '../bus/event-bus.port';
import { anEnvelope, waitUntil } from '../bus/event-bus.test-kit';
import type { EventEnvelope } from '../envelope/event-envelope';
import {
  ProjectionSchema1764028800001,
  ProjectionWatermark1764028800002,
} from './projection.migration';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

const TOPIC = 'pbx.tests.v1';

/** Writes each event's subject to a table, and fails once on the subject it is told to. */
class RecordingProjection implements Projection {
  readonly name = 'tests-recording';
  readonly topics = [TOPIC];
  failOn: string | undefined;
  calls = 0;

  async apply(event: EventEnvelope, tx: EntityManager): Promise<void> {
    this.calls++;
    await tx.query('INSERT INTO test_seen (subject) VALUES ($1)', [event.subject]);
    if (event.subject === this.failOn) {
      this.failOn = undefined;
      throw new Error('read model unavailable');
    }
  }

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM test_seen');
  }
}

function message(subject: string, id: string = randomUUID()): BusMessage {
  return { topic: TOPIC, key: 'one-stream', event: anEnvelope({ id, subject }) };
}

describe(ProjectionRunner.name, () => {
  let database: TestDatabase;
  let db: DataSource;
  let bus: InProcessEventBus;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    database = await createTestDatabase();
    db = await openTestDataSource(database.url, [
      ProjectionSchema1764028800001,
      ProjectionWatermark1764028800002,
    ]);
    await db.query('CREATE TABLE test_seen (n bigserial PRIMARY KEY, subject text NOT NULL)');
    bus = new InProcessEventBus({ handlerRetryBackoff: { initialMs: 10, maxMs: 20 } });
  });
  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await bus.close();
    await db.destroy();
    await database.drop();
  });

  const seen = async (): Promise<string[]> =>
    (await db.query('SELECT subject FROM test_seen ORDER BY n')).map(
      (r: { subject: string }) => r.subject,
    );

  it('applies a burst of events once each, in order, and counts them in the checkpoint', async () => {
    const projection = new RecordingProjection();
    const applied: string[] = [];
    runner = new ProjectionRunner(db, bus, [projection], {
      applied: (_, event) => applied.push(event.subject),
    });
    const transactions = jest.spyOn(db, 'transaction');
    const subjects = Array.from({ length: 450 }, (_, i) => `e${i}`);
    // Published before the runner starts, so they wait together and arrive in batches.
    await bus.publish(subjects.map((s) => message(s)));
    await runner.start();
    await waitUntil(async () => (await seen()).length >= subjects.length, 10_000);
    expect(await seen()).toEqual(subjects);
    expect(applied).toEqual(subjects);
    expect(projection.calls).toBe(subjects.length);
    // Events that waited together went in together: a handful of transactions, not 450.
    expect(transactions.mock.calls.length).toBeLessThanOrEqual(10);
    const [checkpoint] = await db.query(
      'SELECT events_applied::int AS n, last_event_id FROM pbx_projection_checkpoints WHERE projection = $1',
      [projection.name],
    );
    expect(checkpoint.n).toBe(subjects.length);
  });

  it('applies an event delivered twice, in one batch or two, only once', async () => {
    const projection = new RecordingProjection();
    runner = new ProjectionRunner(db, bus, [projection]);
    const id = randomUUID().toUpperCase();
    await bus.publish([message('first', id), message('again', id), message('other')]);
    await runner.start();
    await waitUntil(async () => (await seen()).length >= 2, 5_000);
    await bus.publish([message('third time', id.toLowerCase())]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await seen()).toEqual(['first', 'other']);
  });

  it('applies an event whose id PostgreSQL spells otherwise (braces, no hyphens)', async () => {
    const projection = new RecordingProjection();
    runner = new ProjectionRunner(db, bus, [projection]);
    const braced = `{${randomUUID()}}`;
    const bare = randomUUID().replaceAll('-', '');
    await bus.publish([message('braced', braced), message('bare', bare), message('plain')]);
    await runner.start();
    await waitUntil(async () => (await seen()).length >= 3, 5_000);
    expect(await seen()).toEqual(['braced', 'bare', 'plain']);
  });

  it('hands a projection with applyAll the fresh events of each batch, in order, at once', async () => {
    const projection = new RecordingProjection();
    const batches: string[][] = [];
    const batching: Projection = {
      name: projection.name,
      topics: projection.topics,
      apply: () => Promise.reject(new Error('apply is not used when applyAll is there')),
      reset: (tx) => projection.reset(tx),
      async applyAll(events, tx) {
        batches.push(events.map((e) => e.subject));
        for (const event of events) await projection.apply(event, tx);
      },
    };
    runner = new ProjectionRunner(db, bus, [batching]);
    const repeated = randomUUID();
    const subjects = Array.from({ length: 300 }, (_, i) => `e${i}`);
    await bus.publish([
      message('first', repeated),
      ...subjects.map((s) => message(s)),
      message('again', repeated),
    ]);
    await runner.start();
    await waitUntil(async () => (await seen()).length >= subjects.length + 1, 10_000);
    expect(await seen()).toEqual(['first', ...subjects]);
    expect(batches.flat()).toEqual(['first', ...subjects]);
    // Several events per call, not one.
    expect(batches.length).toBeLessThanOrEqual(10);
  });

  it('rolls back a whole batch when one event fails and applies it all again', async () => {
    const projection = new RecordingProjection();
    projection.failOn = 'e3';
    const failures: string[] = [];
    runner = new ProjectionRunner(db, bus, [projection], {
      failed: (_, event) => failures.push(event.subject),
    });
    const subjects = Array.from({ length: 10 }, (_, i) => `e${i}`);
    await bus.publish(subjects.map((s) => message(s)));
    await runner.start();
    await waitUntil(async () => (await seen()).length >= subjects.length, 5_000);
    // Nothing of the failed transaction stayed; every event is there exactly once, in order.
    expect(await seen()).toEqual(subjects);
    expect(failures).toHaveLength(1);
  });
});
