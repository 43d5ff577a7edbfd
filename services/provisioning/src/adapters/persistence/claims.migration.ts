import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GroupClaims1764028800130 implements MigrationInterface {
  name = 'GroupClaims1764028800130';

  async up(q: QueryRunner): Promise<void> {
    // What one group holds that no other may: its domain, its numbers, its devices' SIP names.
    // Written in the transaction that appends the group's events (GroupRepository.save), so the
    // unique key decides between two concurrent applies.
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_claims (
        kind text NOT NULL CHECK (kind IN ('domain', 'number', 'device')),
        value text NOT NULL,
        group_name text NOT NULL,
        owner text NOT NULL,
        PRIMARY KEY (kind, value)
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_claims_by_group ON provisioning_claims (group_name)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_claims');
  }
}
