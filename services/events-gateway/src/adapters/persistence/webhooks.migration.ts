import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks and their deliveries. A webhook row is also its delivery queue's head: `last_seq`
 * numbers its deliveries in fan-out order (under the row's lock, so they commit in that order),
 * `next_due_at` says when its oldest pending delivery may be tried (null: nothing to do), and
 * the lease lets one dispatcher at a time work on it. Delivered deliveries of events before
 * `forgotten_before` were deleted after the retention period, so the fan-out does not queue
 * those events again when the log is replayed.
 */
export class Webhooks1764028800220 implements MigrationInterface {
  name = 'Webhooks1764028800220';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS events_gateway_webhooks (
        id uuid PRIMARY KEY,
        tenant text NOT NULL,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        event_types text[] NOT NULL,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_until timestamptz,
        paused boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_seq bigint NOT NULL DEFAULT 0,
        next_due_at timestamptz,
        lease_owner text,
        lease_until timestamptz,
        consecutive_failures integer NOT NULL DEFAULT 0,
        last_error text,
        last_failure_at timestamptz,
        last_success_at timestamptz,
        forgotten_before timestamptz
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS events_gateway_webhooks_by_tenant ON events_gateway_webhooks (tenant, created_at, id)',
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS events_gateway_webhooks_due ON events_gateway_webhooks (next_due_at)
         WHERE NOT paused AND next_due_at IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS events_gateway_deliveries (
        id bigserial PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES events_gateway_webhooks (id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        event_time timestamptz NOT NULL,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_attempt_at timestamptz,
        last_status integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (webhook_id, event_id),
        UNIQUE (webhook_id, seq)
      )`);
    await q.query(
      `CREATE INDEX IF NOT EXISTS events_gateway_deliveries_pending
         ON events_gateway_deliveries (webhook_id, seq) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS events_gateway_deliveries_dead
         ON events_gateway_deliveries (webhook_id, seq) WHERE status = 'dead'`,
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS events_gateway_deliveries_delivered
         ON events_gateway_deliveries (finished_at) WHERE status = 'delivered'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS events_gateway_deliveries');
    await q.query('DROP TABLE IF EXISTS events_gateway_webhooks');
  }
}
