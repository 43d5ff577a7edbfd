import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Call detail records (`pbx.calls.v1`, U1): one row per call, kept as the call goes. Both parties'
 * tenant and group are kept, because an on-net call may cross groups and tenants and each side's
 * administrators and users see it. Pages are keyset pages over (started_at, call_id), newest first.
 */
export class RoutingCallRecords1764028801100 implements MigrationInterface {
  name = 'RoutingCallRecords1764028801100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_cdr (
        call_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        group_id text,
        direction text NOT NULL,
        caller_tenant_id text,
        caller_group_id text,
        caller_user_id text,
        caller_extension text,
        caller_number text,
        caller_name text,
        caller_device_id text,
        callee_tenant_id text,
        callee_group_id text,
        callee_user_id text,
        callee_extension text,
        callee_number text,
        callee_name text,
        trunk_id text,
        dialed text NOT NULL,
        presentation_restricted boolean NOT NULL,
        state text NOT NULL,
        started_at timestamptz NOT NULL,
        answered_at timestamptz,
        answered_device_id text,
        ended_at timestamptz,
        duration_s integer,
        cause text,
        status integer,
        reason text,
        ended_by text
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS routing_cdr_by_caller_group ON routing_cdr (caller_group_id, started_at DESC, call_id DESC)',
    );
    await q.query(
      'CREATE INDEX IF NOT EXISTS routing_cdr_by_callee_group ON routing_cdr (callee_group_id, started_at DESC, call_id DESC)',
    );
    await q.query(
      'CREATE INDEX IF NOT EXISTS routing_cdr_by_caller ON routing_cdr (caller_group_id, caller_user_id, started_at DESC, call_id DESC)',
    );
    await q.query(
      'CREATE INDEX IF NOT EXISTS routing_cdr_by_callee ON routing_cdr (callee_group_id, callee_user_id, started_at DESC, call_id DESC)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS routing_cdr');
  }
}
