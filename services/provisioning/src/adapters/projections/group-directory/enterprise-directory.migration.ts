import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EnterpriseDirectory1764028800150 implements MigrationInterface {
  name = 'EnterpriseDirectory1764028800150';

  async up(q: QueryRunner): Promise<void> {
    // Groups created before enterprises existed are standalone: NULL is right for them.
    await q.query('ALTER TABLE provisioning_groups ADD COLUMN IF NOT EXISTS enterprise text');
    await q.query(
      `CREATE INDEX IF NOT EXISTS provisioning_groups_by_enterprise ON provisioning_groups (enterprise)
         WHERE deleted_at IS NULL AND enterprise IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_enterprises (
        name text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        display_name text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_enterprises');
    await q.query('DROP INDEX IF EXISTS provisioning_groups_by_enterprise');
    await q.query('ALTER TABLE provisioning_groups DROP COLUMN IF EXISTS enterprise');
  }
}
