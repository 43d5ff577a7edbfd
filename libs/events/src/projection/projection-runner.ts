import type { DataSource, EntityManager } from 'typeorm';
import type { EventBus, Subscription } from '../bus/event-bus.port';
import type { EventEnvelope } from '../envelope/event-envelope';
import type { EventStore } from '../store/event-store.port';
import { toBusMessage } from '../relay/outbox-relay';
import { EVENT_COLUMNS, rowToStoredEvent } from '../store/postgres-event-store';
import type { Projection } from './projection';

export interface ProjectionObserver {
  applied?(projection: string, event: EventEnvelope): void;
  failed?(projection: string, event: EventEnvelope, error: unknown): void;
}

/** Events applied in one transaction at most; the bus hands over fewer when fewer wait. */
const LIVE_BATCH = 200;

/**
 * Runs projections as bus consumers, each in its own consumer group. Every event is applied at
 * most once per projection (inbox of event ids in the same transaction as the read model), and
 * the bus commits its offsets only after that transaction, so a crash in between redelivers and
 * the inbox absorbs the repeat. Events that wait together are applied together, in one
 * transaction with one inbox insert and one checkpoint update: one transaction per event and
 * projection cost the telephony node about 3,000 transactions a second at 285 calls a second,
 * on the event loop that also carries the calls.
 */
export class ProjectionRunner {
  readonly #subscriptions: Subscription[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    private readonly projections: readonly Projection[],
    private readonly observer: ProjectionObserver = {},
  ) {}

  get names(): readonly string[] {
    return this.projections.map((p) => p.name);
  }

  async start(): Promise<void> {
    for (const projection of this.projections) {
      this.#subscriptions.push(
        await this.bus.subscribe({
          groupId: projection.name,
          topics: projection.topics,
          fromBeginning: true,
          maxBatchSize: LIVE_BATCH,
          batchHandler: async (messages) => {
            const events = messages.map((m) => m.event);
            try {
              await this.db.transaction((tx) => this.applyBatch(projection, events, tx));
            } catch (error) {
              this.observer.failed?.(projection.name, events[0], error);
              throw error;
            }
          },
        }),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#subscriptions.splice(0).map((s) => s.close()));
  }

  /**
   * Applies committed events that the read models have not seen, straight from the store. The
   * in-process bus forgets everything when the process dies, so an event the relay handed to it
   * just before a crash would otherwise never reach the projections: the standalone shape runs
   * this before the relay and the live consumers start. Only transactions older than the oldest
   * running one are read (as the relay does), and each projection remembers that transaction id
   * as its watermark, so the next start scans only what came after.
   */
  async catchUp(batchSize = 500): Promise<number> {
    let applied = 0;
    const [{ xmin }]: { xmin: string }[] = await this.db.query(
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin',
    );
    for (const projection of this.projections) {
      const rows: { watermark: string | null }[] = await this.db.query(
        'SELECT watermark::text AS watermark FROM pbx_projection_checkpoints WHERE projection = $1',
        [projection.name],
      );
      let cursor = { transactionId: rows[0]?.watermark ?? '0', position: '0' };
      for (;;) {
        const batch: (Parameters<typeof rowToStoredEvent>[0] & { transaction_id: string })[] =
          await this.db.query(
            `SELECT ${EVENT_COLUMNS}, e.transaction_id::text AS transaction_id FROM pbx_events e
              WHERE e.topic = ANY($2::text[]) AND e.transaction_id < $3::xid8
                AND (e.transaction_id, e.global_position) > ($4::xid8, $5::bigint)
                AND NOT EXISTS (SELECT 1 FROM pbx_projection_inbox i
                                 WHERE i.projection = $1 AND i.event_id = e.event_id)
              ORDER BY e.transaction_id, e.global_position LIMIT $6`,
            [
              projection.name,
              projection.topics,
              xmin,
              cursor.transactionId,
              cursor.position,
              batchSize,
            ],
          );
        for (const row of batch) {
          const event = toBusMessage(rowToStoredEvent(row)).event;
          if (await this.db.transaction((tx) => this.applyOnce(projection, event, tx))) applied++;
        }
        if (batch.length < batchSize) break;
        const last = batch[batch.length - 1];
        cursor = { transactionId: last.transaction_id, position: last.global_position };
      }
      await this.db.query(
        `INSERT INTO pbx_projection_checkpoints (projection, watermark) VALUES ($1, $2::xid8)
         ON CONFLICT (projection) DO UPDATE SET watermark = EXCLUDED.watermark`,
        [projection.name, xmin],
      );
    }
    return applied;
  }

  /**
   * Throws the read model away and replays the log from the event store, in one transaction:
   * live deliveries that arrive meanwhile wait on the read model's rows and then find their
   * events already in the inbox.
   */
  async rebuild(name: string, store: EventStore, batchSize = 1000): Promise<number> {
    const projection = this.projections.find((p) => p.name === name);
    if (!projection) {
      throw new RangeError(
        `unknown projection "${name}"; known: ${this.projections.map((p) => p.name).join(', ')}`,
      );
    }
    const topics = new Set(projection.topics);
    return this.db.transaction(async (tx) => {
      await projection.reset(tx);
      await tx.query('DELETE FROM pbx_projection_inbox WHERE projection = $1', [name]);
      await tx.query('DELETE FROM pbx_projection_checkpoints WHERE projection = $1', [name]);
      let after = 0n;
      let applied = 0;
      for (;;) {
        const batch = await store.readAll(after, batchSize);
        if (batch.length === 0) break;
        after = batch[batch.length - 1].globalPosition;
        for (const stored of batch) {
          if (!topics.has(stored.topic)) continue;
          if (await this.applyOnce(projection, toBusMessage(stored).event, tx)) applied++;
        }
      }
      await tx.query(
        'UPDATE pbx_projection_checkpoints SET rebuilt_at = now() WHERE projection = $1',
        [name],
      );
      return applied;
    });
  }

  /**
   * Applies the events the projection has not seen, in order, in `tx`: one inbox insert and one
   * checkpoint update for all of them. Returns how many were new.
   */
  private async applyBatch(
    projection: Projection,
    events: readonly EventEnvelope[],
    tx: EntityManager,
  ): Promise<number> {
    // Matched back by position, not by id text: PostgreSQL returns a uuid in its own spelling.
    // An id twice in one batch (a republished event) counts at its first position only.
    const fresh: { n: string }[] = await tx.query(
      `WITH given AS (SELECT id, n FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, n)),
            inserted AS (
              INSERT INTO pbx_projection_inbox (projection, event_id)
              SELECT DISTINCT $1, id FROM given
              ON CONFLICT DO NOTHING RETURNING event_id)
       SELECT min(given.n)::text AS n FROM given JOIN inserted ON inserted.event_id = given.id
        GROUP BY given.id`,
      [projection.name, events.map((e) => e.id)],
    );
    if (fresh.length === 0) return 0;
    const isFresh = new Set(fresh.map((r) => Number(r.n) - 1));
    const applied = events.filter((_, i) => isFresh.has(i));
    if (projection.applyAll !== undefined) {
      await projection.applyAll(applied, tx);
    } else {
      for (const event of applied) await projection.apply(event, tx);
    }
    const last = applied[applied.length - 1];
    await tx.query(
      `INSERT INTO pbx_projection_checkpoints (projection, events_applied, last_event_id, last_event_time, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = pbx_projection_checkpoints.events_applied + EXCLUDED.events_applied,
         last_event_id = EXCLUDED.last_event_id, last_event_time = EXCLUDED.last_event_time, updated_at = now()`,
      [projection.name, applied.length, last.id, last.time],
    );
    for (const event of applied) this.observer.applied?.(projection.name, event);
    return applied.length;
  }

  private async applyOnce(
    projection: Projection,
    event: EventEnvelope,
    tx: EntityManager,
  ): Promise<boolean> {
    return (await this.applyBatch(projection, [event], tx)) === 1;
  }
}
