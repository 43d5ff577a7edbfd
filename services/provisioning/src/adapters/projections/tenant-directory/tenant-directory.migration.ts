import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TenantDirectory1764028800100 implements MigrationInterface {
  name = 'TenantDirectory1764028800100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_tenants (
        tenant_id uuid PRIMARY KEY,
        name text NOT NULL,
        architecture text NOT NULL,
        domain text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_tenants_by_name ON provisioning_tenants (lower(name), tenant_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_tenants');
  }
}
