import type { DataSource, EntityManager } from 'typeorm';
import { changedRows, count } from './count-changed';
import type {
  AttemptRecord,
  ClaimedWebhook,
  DispatchQueue,
  HeadDelivery,
} from '../../application/webhook-dispatch.port';

interface ClaimRow {
  id: string;
  url: string;
  secret: string;
  previous_secret: string | null;
  delivery_id: string | null;
  seq: string | null;
  event_id: string | null;
  event_time: Date | null;
  body: string | null;
  attempts: number | null;
}

const HEAD_COLUMNS = 'd.id AS delivery_id, d.seq, d.event_id, d.event_time, d.body, d.attempts';

function headOf(row: ClaimRow): HeadDelivery | undefined {
  if (row.delivery_id === null) return undefined;
  return {
    id: row.delivery_id,
    seq: String(row.seq),
    eventId: String(row.event_id),
    eventTime: row.event_time as Date,
    body: String(row.body),
    attempts: Number(row.attempts),
  };
}

function claimedOf(row: ClaimRow): ClaimedWebhook {
  return {
    webhookId: row.id,
    url: row.url,
    secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
    head: headOf(row),
  };
}

/**
 * The webhooks' delivery queues in PostgreSQL, as dispatchers use them. A dispatcher claims a
 * due webhook with a lease (`FOR UPDATE SKIP LOCKED`, so replicas never claim the same one) and
 * tries its head; no transaction stays open while the receiver is called. Each result is stored
 * under the webhook's row lock, where the next head is read with a fresh snapshot: a delivery
 * queued meanwhile is never missed. A lease that runs out (a crashed process) lets another
 * dispatcher take over: delivery is at least once, and receivers deduplicate on `webhook-id`.
 */
export class DeliveryQueue implements DispatchQueue {
  constructor(
    private readonly db: DataSource,
    /** This process, as written in leases. */
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  async claim(limit: number): Promise<ClaimedWebhook[]> {
    const rows: ClaimRow[] = await this.db.query(
      `WITH due AS (
         SELECT id FROM events_gateway_webhooks
          WHERE NOT paused AND next_due_at <= now()
            AND (lease_until IS NULL OR lease_until < now())
          ORDER BY next_due_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE events_gateway_webhooks w
            SET lease_owner = $2, lease_until = now() + make_interval(secs => $3)
           FROM due WHERE w.id = due.id
         RETURNING w.id, w.url, w.secret,
                   CASE WHEN w.previous_secret_until > now() THEN w.previous_secret END AS previous_secret
       )
       SELECT c.*, ${HEAD_COLUMNS} FROM claimed c
         LEFT JOIN LATERAL (
           SELECT * FROM events_gateway_deliveries
            WHERE webhook_id = c.id AND status = 'pending' ORDER BY seq LIMIT 1) d ON true`,
      [limit, this.owner, this.leaseMs / 1000],
    );
    return rows.map(claimedOf);
  }

  /**
   * Stores the result of trying `head` and moves the queue on. Returns the webhook with its next
   * head when the lease is kept and one is waiting; undefined once the lease is given back (or
   * was lost: the webhook was deleted, or another process took it over).
   */
  async record(
    webhookId: string,
    head: HeadDelivery,
    attempt: AttemptRecord,
  ): Promise<ClaimedWebhook | undefined> {
    const { step, status } = attempt;
    const error = step.kind === 'delivered' ? null : step.error.slice(0, 1000);
    const retryInS = step.kind === 'retry' ? step.delayMs / 1000 : null;
    return this.db.transaction(async (tx) => {
      // Locks the row (waiting for a fan-out under way to commit) and rates the webhook; a retry
      // also gives the lease back, with the head due after its backoff.
      const [webhook] = await changedRows<{
        url: string;
        secret: string;
        previous_secret: string | null;
        paused: boolean;
      }>(
        tx,
        `UPDATE events_gateway_webhooks
            SET consecutive_failures = CASE WHEN $3 THEN 0 ELSE consecutive_failures + 1 END,
                last_success_at = CASE WHEN $3 THEN now() ELSE last_success_at END,
                last_error = CASE WHEN $3 THEN last_error ELSE $4 END,
                last_failure_at = CASE WHEN $3 THEN last_failure_at ELSE now() END,
                next_due_at = CASE WHEN $5::float8 IS NULL THEN next_due_at
                                   ELSE now() + make_interval(secs => $5::float8) END,
                lease_owner = CASE WHEN $5::float8 IS NULL THEN lease_owner END,
                lease_until = CASE WHEN $5::float8 IS NULL THEN lease_until END
          WHERE id = $1 AND lease_owner = $2
          RETURNING url, secret, paused,
                    CASE WHEN previous_secret_until > now() THEN previous_secret END AS previous_secret`,
        [webhookId, this.owner, step.kind === 'delivered', error, retryInS],
      );
      if (!webhook) return undefined;
      if (retryInS !== null) {
        await tx.query(
          `UPDATE events_gateway_deliveries
              SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
                  next_attempt_at = now() + make_interval(secs => $4::float8)
            WHERE id = $1`,
          [head.id, status ?? null, error, retryInS],
        );
        return undefined;
      }
      // A new statement, so a fresh snapshot taken after the lock: a delivery queued by a fan-out
      // that held the lock is seen. (The finished head still reads as pending here: excluded.)
      const keep = attempt.keepLease && !webhook.paused;
      const [next]: ClaimRow[] = await tx.query(
        `WITH finished AS (
           UPDATE events_gateway_deliveries
              SET status = $3, attempts = attempts + 1, last_attempt_at = now(), last_status = $4,
                  last_error = $5, next_attempt_at = NULL, finished_at = now()
            WHERE id = $2
         ), next AS (
           SELECT ${HEAD_COLUMNS} FROM events_gateway_deliveries d
            WHERE d.webhook_id = $1 AND d.status = 'pending' AND d.id <> $2
            ORDER BY d.seq LIMIT 1
         ), moved AS (
           UPDATE events_gateway_webhooks
              SET next_due_at = CASE WHEN EXISTS (SELECT 1 FROM next) THEN now() END,
                  lease_owner = CASE WHEN $6 AND EXISTS (SELECT 1 FROM next) THEN lease_owner END,
                  lease_until = CASE WHEN $6 AND EXISTS (SELECT 1 FROM next)
                                     THEN now() + make_interval(secs => $7::float8) END
            WHERE id = $1
         )
         SELECT * FROM next`,
        [webhookId, head.id, step.kind, status ?? null, error, keep, this.leaseMs / 1000],
      );
      const nextHead = next ? headOf(next) : undefined;
      if (!keep || !nextHead) return undefined;
      return {
        webhookId,
        url: webhook.url,
        secrets: webhook.previous_secret
          ? [webhook.secret, webhook.previous_secret]
          : [webhook.secret],
        head: nextHead,
      };
    });
  }

  /** Gives a claimed webhook back, e.g. one whose queue turned out empty, or on shutdown. */
  async release(webhookId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const webhook = await this.lock(tx, webhookId);
      if (webhook) await this.moveOn(tx, webhook, false);
    });
  }

  /** Milliseconds until the next webhook falls due (a retry, an expiring lease); none: undefined. */
  async nextDueInMs(): Promise<number | undefined> {
    const [row]: { ms: string | null }[] = await this.db.query(
      `SELECT EXTRACT(EPOCH FROM min(GREATEST(next_due_at, COALESCE(lease_until, next_due_at))) - now()) * 1000 AS ms
         FROM events_gateway_webhooks WHERE NOT paused AND next_due_at IS NOT NULL`,
    );
    return row.ms === null ? undefined : Math.max(0, Number(row.ms));
  }

  /** Pending and dead deliveries in all, for the queue depth gauge. */
  async depth(): Promise<{ pending: number; dead: number }> {
    const [row]: { pending: string; dead: string }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM events_gateway_deliveries WHERE status = 'pending') AS pending,
              (SELECT count(*) FROM events_gateway_deliveries WHERE status = 'dead') AS dead`,
    );
    return { pending: Number(row.pending), dead: Number(row.dead) };
  }

  /**
   * Deletes delivered deliveries of events before `cutoff` and remembers, per webhook, that they
   * are gone (see `forgotten_before`). Dead and pending ones stay until handled.
   */
  async forgetDelivered(cutoff: Date): Promise<number> {
    return this.db.transaction(async (tx) => {
      const deleted = await count(
        tx,
        `DELETE FROM events_gateway_deliveries WHERE status = 'delivered' AND event_time < $1
         RETURNING 1`,
        [cutoff],
      );
      await tx.query(
        `UPDATE events_gateway_webhooks SET forgotten_before = $1
          WHERE forgotten_before IS NULL OR forgotten_before < $1`,
        [cutoff],
      );
      return deleted;
    });
  }

  private async lock(
    tx: EntityManager,
    webhookId: string,
  ): Promise<{ id: string; url: string; secrets: string[]; paused: boolean } | undefined> {
    const [row]: {
      id: string;
      url: string;
      secret: string;
      previous_secret: string | null;
      paused: boolean;
    }[] = await tx.query(
      `SELECT id, url, secret, paused,
              CASE WHEN previous_secret_until > now() THEN previous_secret END AS previous_secret
         FROM events_gateway_webhooks WHERE id = $1 AND lease_owner = $2 FOR UPDATE`,
      [webhookId, this.owner],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      url: row.url,
      secrets: row.previous_secret ? [row.secret, row.previous_secret] : [row.secret],
      paused: row.paused,
    };
  }

  /** With the row locked: due now if anything is pending, else idle; the lease kept or not. */
  private async moveOn(
    tx: EntityManager,
    webhook: { id: string; url: string; secrets: string[] },
    keepLease: boolean,
  ): Promise<ClaimedWebhook | undefined> {
    const [next]: ClaimRow[] = await tx.query(
      `SELECT ${HEAD_COLUMNS} FROM events_gateway_deliveries d
        WHERE d.webhook_id = $1 AND d.status = 'pending' ORDER BY d.seq LIMIT 1`,
      [webhook.id],
    );
    const head = next ? headOf(next) : undefined;
    const keep = keepLease && head !== undefined;
    await tx.query(
      `UPDATE events_gateway_webhooks
          SET next_due_at = CASE WHEN $2 THEN now() END,
              lease_owner = CASE WHEN $3 THEN lease_owner END,
              lease_until = CASE WHEN $3 THEN now() + make_interval(secs => $4) END
        WHERE id = $1`,
      [webhook.id, head !== undefined, keep, this.leaseMs / 1000],
    );
    return keep
      ? { webhookId: webhook.id, url: webhook.url, secrets: webhook.secrets, head }
      : undefined;
  }
}
