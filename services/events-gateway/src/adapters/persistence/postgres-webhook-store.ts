import { DatabaseConnection } from '@pbx/platform';
import type { EntityManager } from 'typeorm';
import type {
  DeliveryRecord,
  DeliveryStatus,
  NewWebhook,
  Page,
  WebhookChanges,
  WebhookRecord,
  WebhookStore,
} from '../../application/webhooks/webhook-store.port';
import { count } from './count-changed';
import { WEBHOOK_QUEUE_CHANNEL } from './notification-channels';

interface WebhookRow {
  id: string;
  tenant: string;
  url: string;
  description: string;
  event_types: string[];
  paused: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  consecutive_failures: number;
  last_error: string | null;
  last_failure_at: Date | null;
  last_success_at: Date | null;
  next_due_at: Date | null;
  pending: string;
  dead: string;
}

interface DeliveryRow {
  id: string;
  seq: string;
  event_id: string;
  event_type: string;
  event_time: Date;
  status: DeliveryStatus;
  attempts: number;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  finished_at: Date | null;
  body?: string;
}

const WEBHOOK_COLUMNS = `w.id, w.tenant, w.url, w.description, w.event_types, w.paused, w.version,
  w.created_at, w.updated_at, w.consecutive_failures, w.last_error, w.last_failure_at,
  w.last_success_at, w.next_due_at,
  (SELECT count(*) FROM events_gateway_deliveries d WHERE d.webhook_id = w.id AND d.status = 'pending') AS pending,
  (SELECT count(*) FROM events_gateway_deliveries d WHERE d.webhook_id = w.id AND d.status = 'dead') AS dead`;

const DELIVERY_COLUMNS = `id, seq, event_id, event_type, event_time, status, attempts, last_attempt_at,
  last_status, last_error, next_attempt_at, created_at, finished_at`;

function toWebhook(row: WebhookRow): WebhookRecord {
  return {
    id: row.id,
    tenant: row.tenant,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    paused: row.paused,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    consecutiveFailures: row.consecutive_failures,
    lastError: row.last_error,
    lastFailureAt: row.last_failure_at,
    lastSuccessAt: row.last_success_at,
    nextDueAt: row.next_due_at,
    pending: Number(row.pending),
    dead: Number(row.dead),
  };
}

function toDelivery(row: DeliveryRow): DeliveryRecord {
  return {
    id: String(row.id),
    seq: String(row.seq),
    eventId: row.event_id,
    eventType: row.event_type,
    eventTime: row.event_time,
    status: row.status,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    ...(row.body === undefined ? {} : { body: row.body }),
  };
}

const encodeCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** A cursor this store made, or undefined for anything else (the caller answers 400). */
export function decodeCursor<T>(
  cursor: string,
  check: (value: unknown) => value is T,
): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return check(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

type WebhookCursor = [string, string];
const isWebhookCursor = (v: unknown): v is WebhookCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === 'string' &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === 'string' &&
  /^[0-9a-f-]{36}$/.test(v[1]);
const isDeliveryCursor = (v: unknown): v is string => typeof v === 'string' && /^\d{1,18}$/.test(v);

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor: not a cursor this endpoint gave out');
    this.name = 'InvalidCursorError';
  }
}

/** What a statement runs on: the connection, or a transaction's manager. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Webhooks and their deliveries in PostgreSQL (Webhooks1764028800220). Through DatabaseConnection,
 * so an unreachable database is a 503 (DatabaseUnavailableError), not a 500.
 */
export class PostgresWebhookStore implements WebhookStore {
  constructor(private readonly database: DatabaseConnection) {}

  async tenantKnown(tenant: string): Promise<boolean> {
    const [row]: { known: boolean }[] = await this.database.query(
      'SELECT EXISTS (SELECT 1 FROM events_gateway_tenant_positions WHERE tenant = $1) AS known',
      [tenant],
    );
    return row.known;
  }

  async create(webhook: NewWebhook): Promise<WebhookRecord> {
    await this.database.query(
      `INSERT INTO events_gateway_webhooks (id, tenant, url, description, event_types, secret)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        webhook.id,
        webhook.tenant,
        webhook.url,
        webhook.description,
        webhook.eventTypes,
        webhook.secret,
      ],
    );
    return (await this.get(webhook.id)) as WebhookRecord;
  }

  async get(id: string, tx: Queryable = this.database): Promise<WebhookRecord | undefined> {
    const rows = (await tx.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM events_gateway_webhooks w WHERE w.id = $1`,
      [id],
    )) as WebhookRow[];
    return rows[0] && toWebhook(rows[0]);
  }

  async list(
    tenant: string | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<WebhookRecord>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isWebhookCursor);
    if (cursor !== undefined && after === undefined) throw new InvalidCursorError();
    const rows: WebhookRow[] = await this.database.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM events_gateway_webhooks w
        WHERE ($1::text IS NULL OR w.tenant = $1)
          AND ($2::timestamptz IS NULL OR (w.created_at, w.id) > ($2::timestamptz, $3::uuid))
        ORDER BY w.created_at, w.id LIMIT $4`,
      [tenant ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toWebhook);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return {
      items,
      ...(last ? { nextCursor: encodeCursor([last.created_at.toISOString(), last.id]) } : {}),
    };
  }

  async update(
    id: string,
    changes: WebhookChanges,
    expectedVersion?: number,
  ): Promise<WebhookRecord | 'version-mismatch' | undefined> {
    return this.database.transaction(async (tx) => {
      const [current]: { version: number; url: string; paused: boolean }[] = await tx.query(
        'SELECT version, url, paused FROM events_gateway_webhooks WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!current) return undefined;
      if (expectedVersion !== undefined && expectedVersion !== current.version) {
        return 'version-mismatch';
      }
      await tx.query(
        `UPDATE events_gateway_webhooks
            SET url = COALESCE($2, url), description = COALESCE($3, description),
                event_types = COALESCE($4, event_types), paused = COALESCE($5, paused),
                version = version + 1, updated_at = now()
          WHERE id = $1`,
        [
          id,
          changes.url ?? null,
          changes.description ?? null,
          changes.eventTypes ?? null,
          changes.paused ?? null,
        ],
      );
      // A new URL or a resume is the owner saying "try now": the waiting head goes at once.
      const retryNow =
        (changes.url !== undefined && changes.url !== current.url) ||
        (changes.paused === false && current.paused);
      if (retryNow) await this.dueNow(tx, id);
      return this.get(id, tx);
    });
  }

  async delete(id: string): Promise<boolean> {
    return (
      (await count(this.database, 'DELETE FROM events_gateway_webhooks WHERE id = $1 RETURNING 1', [
        id,
      ])) > 0
    );
  }

  async rotateSecret(
    id: string,
    secret: string,
    previousUntil: Date,
  ): Promise<WebhookRecord | undefined> {
    const updated = await count(
      this.database,
      `UPDATE events_gateway_webhooks
          SET previous_secret = secret, previous_secret_until = $3, secret = $2,
              version = version + 1, updated_at = now()
        WHERE id = $1 RETURNING 1`,
      [id, secret, previousUntil],
    );
    return updated > 0 ? this.get(id) : undefined;
  }

  async deliveries(
    webhookId: string,
    status: DeliveryStatus | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<DeliveryRecord>> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor, isDeliveryCursor);
    if (cursor !== undefined && before === undefined) throw new InvalidCursorError();
    const rows: DeliveryRow[] = await this.database.query(
      `SELECT ${DELIVERY_COLUMNS} FROM events_gateway_deliveries
        WHERE webhook_id = $1 AND ($2::text IS NULL OR status = $2)
          AND ($3::bigint IS NULL OR id < $3::bigint)
        ORDER BY id DESC LIMIT $4`,
      [webhookId, status ?? null, before ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toDelivery);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, ...(last ? { nextCursor: encodeCursor(String(last.id)) } : {}) };
  }

  async delivery(webhookId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const rows: DeliveryRow[] = await this.database.query(
      `SELECT ${DELIVERY_COLUMNS}, body FROM events_gateway_deliveries
        WHERE webhook_id = $1 AND id = $2`,
      [webhookId, deliveryId],
    );
    return rows[0] && toDelivery(rows[0]);
  }

  async redrive(webhookId: string, deliveryId?: string): Promise<number> {
    return this.database.transaction(async (tx) => {
      const locked: unknown[] = await tx.query(
        'SELECT 1 FROM events_gateway_webhooks WHERE id = $1 FOR UPDATE',
        [webhookId],
      );
      if (locked.length === 0) return 0;
      const revived = await count(
        tx,
        `UPDATE events_gateway_deliveries
            SET status = 'pending', attempts = 0, next_attempt_at = NULL, finished_at = NULL
          WHERE webhook_id = $1 AND status = 'dead' AND ($2::bigint IS NULL OR id = $2::bigint)
          RETURNING 1`,
        [webhookId, deliveryId ?? null],
      );
      if (revived > 0) await this.dueNow(tx, webhookId);
      return revived;
    });
  }

  /** The webhook's head is tried now (if anything is pending), and dispatchers are woken. */
  private async dueNow(tx: EntityManager, webhookId: string): Promise<void> {
    await tx.query(
      `UPDATE events_gateway_webhooks w SET next_due_at = now()
        WHERE w.id = $1 AND EXISTS (SELECT 1 FROM events_gateway_deliveries d
                                     WHERE d.webhook_id = w.id AND d.status = 'pending')`,
      [webhookId],
    );
    await tx.query(
      `UPDATE events_gateway_deliveries SET next_attempt_at = NULL
        WHERE webhook_id = $1 AND status = 'pending' AND next_attempt_at IS NOT NULL`,
      [webhookId],
    );
    await tx.query('SELECT pg_notify($1, $2)', [WEBHOOK_QUEUE_CHANNEL, '']);
  }
}
