import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Operator-wide trunks by name, for `pbx get trunk`; a removed one keeps its row, marked. */
export class TrunkDirectory1764028800170 implements MigrationInterface {
  name = 'TrunkDirectory1764028800170';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_trunks (
        name text PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_trunks');
  }
}
