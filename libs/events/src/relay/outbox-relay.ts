import type { DataSource, QueryRunner } from 'typeorm';
import type { BusMessage, EventBus } from '../bus/event-bus.port';
import { PROTOBUF_CONTENT_TYPE } from '../envelope/event-envelope';
import type { StoredEvent } from '../store/event-store.port';
import { EVENT_COLUMNS, rowToStoredEvent } from '../store/postgres-event-store';
import type { AppendListeners } from '../store/append-listeners';

export interface RelayObserver {
  relayed?(events: readonly StoredEvent[], publishedAt: Date): void;
  failed?(error: unknown): void;
  leadershipChanged?(leader: boolean): void;
}

export interface OutboxRelayOptions {
  /** Checkpoint name; also keys the advisory lock, so one relay per name is active at a time. */
  readonly name?: string;
  readonly batchSize?: number;
  /** How long an idle relay waits before it looks again (cross-process appends, missed wakes). */
  readonly idlePollMs?: number;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  readonly observer?: RelayObserver;
}

interface Cursor {
  transactionId: string;
  position: string;
}

export function toBusMessage(event: StoredEvent): BusMessage {
  return {
    topic: event.topic,
    key: event.streamId,
    event: {
      id: event.id,
      source: event.source,
      type: event.type,
      subject: event.streamId,
      time: event.time,
      tenant: event.tenant,
      dataContentType: PROTOBUF_CONTENT_TYPE,
      data: event.data,
    },
  };
}

/**
 * Feeds the bus from the event store after commit (the outbox pattern on the store itself).
 *
 * Sequence numbers are taken when a row is inserted, not when its transaction commits, so a
 * transaction holding position 10 can commit after one holding 11. A relay that simply followed
 * `global_position` would pass 11, then never see 10. This relay reads in (transaction id,
 * position) order and only transactions older than the oldest one still running
 * (`pg_snapshot_xmin`), so nothing can still commit behind its cursor. Order within a stream is
 * kept because appends to one stream are serialised on its `pbx_streams` row.
 *
 * Only one relay per name runs at a time across all processes (a session advisory lock); the
 * others stand by and take over when the leader's connection goes away.
 */
export class OutboxRelay {
  readonly #name: string;
  readonly #batchSize: number;
  readonly #idlePollMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #observer: RelayObserver;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #pendingWake = false;
  #leader = false;
  #lastError: string | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly bus: EventBus,
    appended?: AppendListeners,
    options: OutboxRelayOptions = {},
  ) {
    this.#name = options.name ?? 'default';
    this.#batchSize = options.batchSize ?? 500;
    this.#idlePollMs = options.idlePollMs ?? 50;
    this.#retryMinMs = options.retryMinMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 5000;
    this.#observer = options.observer ?? {};
    this.#unsubscribe = appended?.add(() => this.wake());
  }

  get isLeader(): boolean {
    return this.#leader;
  }

  /** The last publish or database error, cleared by the next success; for /readyz detail. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.run();
  }

  /** Finishes the batch in flight, then releases leadership. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Look for new events now instead of at the next poll. */
  wake(): void {
    this.#pendingWake = true;
    this.#wake?.();
  }

  private async run(): Promise<void> {
    let backoff = this.#retryMinMs;
    while (this.#running) {
      let runner: QueryRunner | undefined;
      try {
        runner = this.db.createQueryRunner();
        await runner.connect();
        if (!(await this.tryLead(runner))) {
          await runner.release();
          runner = undefined;
          await this.sleep(1000);
          continue;
        }
        this.setLeader(true);
        await this.relayWhileLeading(runner);
        backoff = this.#retryMinMs;
      } catch (error) {
        this.#lastError = (error as Error).message;
        this.#observer.failed?.(error);
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.#retryMaxMs);
      } finally {
        this.setLeader(false);
        if (runner) await this.releaseLead(runner);
      }
    }
  }

  private async tryLead(runner: QueryRunner): Promise<boolean> {
    const [row] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      `pbx-relay:${this.#name}`,
    ]);
    return row.locked === true;
  }

  private async releaseLead(runner: QueryRunner): Promise<void> {
    try {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`pbx-relay:${this.#name}`]);
    } catch {
      // The connection is gone, and the lock with it.
    }
    await runner.release().catch(() => undefined);
  }

  private async relayWhileLeading(runner: QueryRunner): Promise<void> {
    let cursor = await this.loadCursor(runner);
    let publishBackoff = this.#retryMinMs;
    while (this.#running) {
      this.#pendingWake = false;
      const rows: (Parameters<typeof rowToStoredEvent>[0] & { transaction_id: string })[] =
        await runner.query(
          `SELECT ${EVENT_COLUMNS}, transaction_id::text AS transaction_id FROM pbx_events
            WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
              AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY transaction_id, global_position
            LIMIT $3`,
          [cursor.transactionId, cursor.position, this.#batchSize],
        );
      if (rows.length === 0) {
        await this.sleep(this.#idlePollMs);
        continue;
      }
      const events = rows.map(rowToStoredEvent);
      try {
        await this.bus.publish(events.map(toBusMessage));
      } catch (error) {
        // Nothing is lost: the cursor stays put and the same batch goes out again later.
        this.#lastError = (error as Error).message;
        this.#observer.failed?.(error);
        await this.sleep(publishBackoff);
        publishBackoff = Math.min(publishBackoff * 2, this.#retryMaxMs);
        continue;
      }
      publishBackoff = this.#retryMinMs;
      const last = rows[rows.length - 1];
      cursor = { transactionId: last.transaction_id, position: last.global_position };
      await runner.query(
        `INSERT INTO pbx_relay_checkpoints (name, transaction_id, global_position, updated_at)
         VALUES ($1, $2::xid8, $3, now())
         ON CONFLICT (name) DO UPDATE
           SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position,
               updated_at = EXCLUDED.updated_at`,
        [this.#name, cursor.transactionId, cursor.position],
      );
      this.#lastError = undefined;
      this.#observer.relayed?.(events, new Date());
    }
  }

  private async loadCursor(runner: QueryRunner): Promise<Cursor> {
    const rows: { transaction_id: string; global_position: string }[] = await runner.query(
      'SELECT transaction_id::text AS transaction_id, global_position FROM pbx_relay_checkpoints WHERE name = $1',
      [this.#name],
    );
    return rows[0]
      ? { transactionId: rows[0].transaction_id, position: String(rows[0].global_position) }
      : { transactionId: '0', position: '0' };
  }

  private setLeader(leader: boolean): void {
    if (this.#leader === leader) return;
    this.#leader = leader;
    this.#observer.leadershipChanged?.(leader);
  }

  private sleep(ms: number): Promise<void> {
    if (!this.#running) return Promise.resolve();
    if (this.#pendingWake) {
      this.#pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = (): void => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
