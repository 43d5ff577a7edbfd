import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A per-tenant position for every audit log entry, which event streams resume from. Positions
 * are handed out under a row lock on the tenant's counter, held until the entry commits, so a
 * tenant's entries commit in position order: a reader that sees position N has all before it.
 * Also redacts the device HA1s that earlier builds projected in clear.
 */
export class AuditLogPositions1764028800210 implements MigrationInterface {
  name = 'AuditLogPositions1764028800210';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS events_gateway_tenant_positions (
        tenant text PRIMARY KEY,
        position bigint NOT NULL
      )`);
    await q.query('ALTER TABLE events_gateway_audit_log ADD COLUMN IF NOT EXISTS position bigint');
    await q.query(`
      UPDATE events_gateway_audit_log a SET position = n.position
        FROM (SELECT event_id,
                     row_number() OVER (PARTITION BY tenant ORDER BY time, event_id) AS position
                FROM events_gateway_audit_log) n
       WHERE a.event_id = n.event_id AND a.position IS NULL`);
    await q.query(`
      INSERT INTO events_gateway_tenant_positions (tenant, position)
      SELECT tenant, max(position) FROM events_gateway_audit_log GROUP BY tenant
      ON CONFLICT (tenant) DO NOTHING`);
    await q.query('ALTER TABLE events_gateway_audit_log ALTER COLUMN position SET NOT NULL');
    await q.query(
      'CREATE UNIQUE INDEX IF NOT EXISTS events_gateway_audit_log_position ON events_gateway_audit_log (tenant, position)',
    );
    await q.query(`
      UPDATE events_gateway_audit_log
         SET data = jsonb_set(data, '{credentials}',
               (SELECT jsonb_object_agg(key, '"[redacted]"'::jsonb)
                  FROM jsonb_object_keys(data->'credentials') AS key))
       WHERE jsonb_typeof(data->'credentials') = 'object' AND data->'credentials' <> '{}'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS events_gateway_audit_log_position');
    await q.query('ALTER TABLE events_gateway_audit_log DROP COLUMN IF EXISTS position');
    await q.query('DROP TABLE IF EXISTS events_gateway_tenant_positions');
  }
}
