import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PortalCredentials1764028800120 implements MigrationInterface {
  name = 'PortalCredentials1764028800120';

  async up(q: QueryRunner): Promise<void> {
    // A secret, not configuration: kept out of the event log so it never reaches the bus.
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_portal_credentials (
        group_name text NOT NULL,
        extension text NOT NULL,
        password_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_name, extension)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_portal_credentials');
  }
}
