import type { DataSource, EntityManager } from 'typeorm';
import type { EventBus, Subscription } from '../bus/event-bus.port';
import type { EventEnvelope } from '../envelope/event-envelope';
import type { EventStore } from '../store/event-store.port';
import { toBusMessage } from '../relay/outbox-relay';
import type { Projection } from './projection';

export interface ProjectionObserver {
  applied?(projection: string, event: EventEnvelope): void;
  failed?(projection: string, event: EventEnvelope, error: unknown): void;
}

/**
 * Runs projections as bus consumers, each in its own consumer group. Every event is applied at
 * most once per projection (inbox of event ids in the same transaction as the read model), and
 * the bus commits its offset only after that transaction, so a crash in between redelivers and
 * the inbox absorbs the repeat.
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
          handler: async (message) => {
            try {
              await this.db.transaction((tx) => this.applyOnce(projection, message.event, tx));
            } catch (error) {
              this.observer.failed?.(projection.name, message.event, error);
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

  private async applyOnce(
    projection: Projection,
    event: EventEnvelope,
    tx: EntityManager,
  ): Promise<boolean> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO pbx_projection_inbox (projection, event_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [projection.name, event.id],
    );
    if (inserted.length === 0) return false;
    await projection.apply(event, tx);
    await tx.query(
      `INSERT INTO pbx_projection_checkpoints (projection, events_applied, last_event_id, last_event_time, updated_at)
       VALUES ($1, 1, $2, $3, now())
       ON CONFLICT (projection) DO UPDATE SET events_applied = pbx_projection_checkpoints.events_applied + 1,
         last_event_id = EXCLUDED.last_event_id, last_event_time = EXCLUDED.last_event_time, updated_at = now()`,
      [projection.name, event.id, event.time],
    );
    this.observer.applied?.(projection.name, event);
    return true;
  }
}
