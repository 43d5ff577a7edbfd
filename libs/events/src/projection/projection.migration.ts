import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency and checkpoints for every projection (ProjectionRunner). */
export class ProjectionSchema1764028800001 implements MigrationInterface {
  name = 'ProjectionSchema1764028800001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS pbx_projection_inbox (
        projection text NOT NULL,
        event_id uuid NOT NULL,
        PRIMARY KEY (projection, event_id)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS pbx_projection_checkpoints (
        projection text PRIMARY KEY,
        events_applied bigint NOT NULL DEFAULT 0,
        last_event_id uuid,
        last_event_time timestamptz,
        rebuilt_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS pbx_projection_checkpoints');
    await q.query('DROP TABLE IF EXISTS pbx_projection_inbox');
  }
}
