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

/** The transaction id up to which a projection is known complete (ProjectionRunner.catchUp). */
export class ProjectionWatermark1764028800002 implements MigrationInterface {
  name = 'ProjectionWatermark1764028800002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pbx_projection_checkpoints ADD COLUMN IF NOT EXISTS watermark xid8');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE pbx_projection_checkpoints DROP COLUMN IF EXISTS watermark');
  }
}
