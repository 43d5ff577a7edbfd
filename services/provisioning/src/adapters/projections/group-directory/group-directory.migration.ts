import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupDirectory1764028800110 implements MigrationInterface {
  name = 'GroupDirectory1764028800110';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_groups (
        name text PRIMARY KEY,
        tenant_id uuid NOT NULL,
        domain text NOT NULL,
        users integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        deleted_at timestamptz
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_groups_by_domain ON provisioning_groups (domain) WHERE deleted_at IS NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_groups');
  }
}
