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
    // Not unique on number alone: inside one apply a number may move between owners, and the
    // events of that apply arrive one by one (see GroupEvent).
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_group_numbers (
        group_name text NOT NULL,
        owner text NOT NULL,
        number text NOT NULL,
        PRIMARY KEY (group_name, owner, number)
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_group_numbers_by_number ON provisioning_group_numbers (number)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_group_numbers');
    await q.query('DROP TABLE IF EXISTS provisioning_groups');
  }
}
