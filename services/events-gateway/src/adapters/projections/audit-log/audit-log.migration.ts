import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1764028800200 implements MigrationInterface {
  name = 'AuditLog1764028800200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS events_gateway_audit_log (
        event_id uuid PRIMARY KEY,
        tenant text NOT NULL,
        type text NOT NULL,
        subject text NOT NULL,
        source text NOT NULL,
        time timestamptz NOT NULL,
        data jsonb
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS events_gateway_audit_log_by_tenant ON events_gateway_audit_log (tenant, time, event_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS events_gateway_audit_log');
  }
}
