import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ANY_VERSION,
  AppendResult,
  StoreTransaction,
  TransactionalEventStore,
  ExpectedVersion,
  NewEvent,
  STREAM_DOES_NOT_EXIST,
  STREAM_EXISTS,
  StoredEvent,
} from './event-store.port';
import { validateAppend, wrongExpectedVersion } from './expected-version';
import { EventsError, EventsErrorCode } from '../events.error';
import { AppendListeners } from './append-listeners';

interface EventRow {
  global_position: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  topic: string;
  source: string;
  tenant: string;
  time: Date;
  data: Buffer;
}

export const EVENT_COLUMNS =
  'global_position, stream_id, version, event_id, type, topic, source, tenant, time, data';

export function rowToStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    globalPosition: BigInt(row.global_position),
    type: row.type,
    topic: row.topic,
    source: row.source,
    tenant: row.tenant,
    time: row.time,
    data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
  };
}

function expectedKind(expected: ExpectedVersion): [string, number] {
  switch (expected) {
    case ANY_VERSION:
    case STREAM_DOES_NOT_EXIST:
    case STREAM_EXISTS:
      return [expected, 0];
    default:
      return ['version', expected];
  }
}

/** Event store in PostgreSQL (schema: EventStoreSchema migration). */
export class PostgresEventStore implements TransactionalEventStore {
  constructor(
    private readonly db: DataSource,
    /** CloudEvents `source` of everything this store appends, e.g. `/pbx/provisioning`. */
    private readonly source: string,
    /** Shared with the relay of this process so it wakes on every append. */
    readonly appended: AppendListeners = new AppendListeners(),
  ) {}

  async append(
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const result = await this.appendWith(
      (sql, params) => this.query(sql, params),
      streamId,
      events,
      expectedVersion,
    );
    this.appended.notify(result.events);
    return result;
  }

  /**
   * Runs `work` in one transaction: its appends and its own statements commit together or not at
   * all. The relay is woken only after the commit.
   */
  async transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const pool = this.pool();
    if (!pool) {
      throw new EventsError(
        EventsErrorCode.StoreUnavailable,
        'event store unavailable: not connected',
      );
    }
    let client: PgClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new EventsError(
        EventsErrorCode.StoreUnavailable,
        `event store unavailable: ${(error as Error).message}`,
      );
    }
    const appended: StoredEvent[] = [];
    const run = async <R>(sql: string, params: readonly unknown[]): Promise<R> => {
      try {
        return (await client.query(sql, [...params])).rows as R;
      } catch (error) {
        throw toStoreError(error);
      }
    };
    try {
      await client.query('BEGIN');
      const result = await work({
        append: async (streamId, events, expectedVersion) => {
          const done = await this.appendWith(run, streamId, events, expectedVersion);
          appended.push(...done.events);
          return done;
        },
        query: <R>(sql: string, params: readonly unknown[] = []) => run<R>(sql, params),
      });
      await client.query('COMMIT');
      if (appended.length > 0) this.appended.notify(appended);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async appendWith(
    run: <R>(sql: string, params: unknown[]) => Promise<R>,
    streamId: string,
    events: readonly NewEvent[],
    expectedVersion: ExpectedVersion,
  ): Promise<AppendResult> {
    const topics = validateAppend(streamId, events, expectedVersion);
    const ids = events.map((e) => e.id ?? randomUUID());
    const times = events.map((e) => e.time ?? new Date());
    const [kind, number] = expectedKind(expectedVersion);
    const rows: { appended: boolean; stream_version: number | null; positions: string[] | null }[] =
      await run('SELECT * FROM pbx_append_to_stream($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
        streamId,
        kind,
        number,
        ids,
        events.map((e) => e.type),
        topics,
        this.source,
        events.map((e) => e.tenant),
        times,
        events.map((e) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength)),
      ]);
    const result = rows[0];
    if (!result.appended || !result.positions) {
      throw wrongExpectedVersion(streamId, expectedVersion, result.stream_version ?? 0);
    }
    const version = result.stream_version ?? 0;
    const positions = result.positions;
    const stored: StoredEvent[] = events.map((e, i) => ({
      id: ids[i],
      streamId,
      version: version - events.length + i + 1,
      globalPosition: BigInt(positions[i]),
      type: e.type,
      topic: topics[i],
      source: this.source,
      tenant: e.tenant,
      time: times[i],
      data: e.data,
    }));
    return { nextExpectedVersion: version, events: stored };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<readonly StoredEvent[]> {
    const rows: EventRow[] = await this.query(
      `SELECT ${EVENT_COLUMNS} FROM pbx_events WHERE stream_id = $1 AND version >= $2 ORDER BY version`,
      [streamId, fromVersion],
    );
    return rows.map(rowToStoredEvent);
  }

  async readAll(after: bigint, limit: number): Promise<readonly StoredEvent[]> {
    const rows: EventRow[] = await this.query(
      `SELECT ${EVENT_COLUMNS} FROM pbx_events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [after.toString(), limit],
    );
    return rows.map(rowToStoredEvent);
  }

  /** Database failures become typed errors: a caller can tell "try later" from "your fault". */
  private async query<T>(sql: string, params: unknown[]): Promise<T> {
    try {
      const pool = this.pool();
      if (pool) {
        // Named, so each connection parses and plans the statement once (the hot path).
        const result = await pool.query({ name: statementName(sql), text: sql, values: params });
        return result.rows as T;
      }
      return (await this.db.query(sql, params)) as T;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** node-postgres's pool under TypeORM, once the data source is initialised. */
  private pool(): PgPool | undefined {
    if (!this.db.isInitialized) return undefined;
    return (this.db.driver as unknown as { master?: PgPool }).master;
  }
}

interface PgClient {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  release(): void;
}

interface PgPool {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgClient>;
}

function toStoreError(error: unknown): Error {
  if (error instanceof EventsError) return error;
  const pgCode =
    (error as { driverError?: { code?: string } }).driverError?.code ??
    (error as { code?: string }).code;
  if (
    pgCode === '23505' &&
    /pbx_events/.test(String((error as { table?: string }).table ?? (error as Error).message))
  ) {
    return new EventsError(
      EventsErrorCode.InvalidEvent,
      'an event with this id was already stored',
    );
  }
  if (pgCode === '22021' || pgCode === '22P02') {
    return new EventsError(
      EventsErrorCode.InvalidEvent,
      `invalid event: ${(error as Error).message}`,
    );
  }
  if (pgCode && /^(23|P0)/.test(pgCode)) return error as Error;
  return new EventsError(
    EventsErrorCode.StoreUnavailable,
    `event store unavailable: ${(error as Error).message}`,
  );
}

const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `pbx_event_store_${statementNames.size}`;
    statementNames.set(sql, name);
  }
  return name;
}
