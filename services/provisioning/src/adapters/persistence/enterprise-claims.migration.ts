import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EnterpriseClaims1764028800140 implements MigrationInterface {
  name = 'EnterpriseClaims1764028800140';

  async up(q: QueryRunner): Promise<void> {
    // A claim's holder: `group:<name>`, or `enterprise:<name>` for a domain that groups of one
    // enterprise share (T4). Numbers and device names stay with the group that uses them. Rows
    // so far were all held by their group.
    await q.query('ALTER TABLE provisioning_claims ADD COLUMN IF NOT EXISTS holder text');
    await q.query(
      "UPDATE provisioning_claims SET holder = 'group:' || group_name WHERE holder IS NULL",
    );
    await q.query('ALTER TABLE provisioning_claims ALTER COLUMN holder SET NOT NULL');
    // Empty for a domain an enterprise holds: no one group owns it.
    await q.query('ALTER TABLE provisioning_claims ALTER COLUMN group_name DROP NOT NULL');
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_claims_by_holder ON provisioning_claims (holder)',
    );
    // `name`: groups and enterprises share one namespace (T3: a name is a Group or an Enterprise,
    // never both); an enterprise's name row is also what a new group of it locks, so that the
    // enterprise cannot be deleted under it.
    await q.query(
      'ALTER TABLE provisioning_claims DROP CONSTRAINT IF EXISTS provisioning_claims_kind_check',
    );
    await q.query(
      `ALTER TABLE provisioning_claims ADD CONSTRAINT provisioning_claims_kind_check
         CHECK (kind IN ('name', 'domain', 'number', 'device'))`,
    );
    await q.query(
      `INSERT INTO provisioning_claims (kind, value, group_name, owner, holder)
       SELECT 'name', group_name, group_name, 'group', 'group:' || group_name
         FROM provisioning_claims WHERE kind = 'domain'
       ON CONFLICT (kind, value) DO NOTHING`,
    );
    // The domain each live group uses and its enterprise: an enterprise's hold on a shared domain
    // ends when the last of its groups stops using it, and an enterprise with groups is not
    // deleted. Written in the same transaction as the claims.
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_group_domains (
        group_name text PRIMARY KEY,
        domain text NOT NULL,
        enterprise_name text
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS provisioning_group_domains_by_domain ON provisioning_group_domains (domain)',
    );
    await q.query(
      `CREATE INDEX IF NOT EXISTS provisioning_group_domains_by_enterprise
         ON provisioning_group_domains (enterprise_name) WHERE enterprise_name IS NOT NULL`,
    );
    await q.query(
      `INSERT INTO provisioning_group_domains (group_name, domain)
       SELECT group_name, value FROM provisioning_claims WHERE kind = 'domain'
       ON CONFLICT (group_name) DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_group_domains');
    await q.query(
      "DELETE FROM provisioning_claims WHERE kind = 'name' OR holder LIKE 'enterprise:%'",
    );
    await q.query(
      'ALTER TABLE provisioning_claims DROP CONSTRAINT IF EXISTS provisioning_claims_kind_check',
    );
    await q.query(
      `ALTER TABLE provisioning_claims ADD CONSTRAINT provisioning_claims_kind_check
         CHECK (kind IN ('domain', 'number', 'device'))`,
    );
    await q.query('ALTER TABLE provisioning_claims ALTER COLUMN group_name SET NOT NULL');
    await q.query('DROP INDEX IF EXISTS provisioning_claims_by_holder');
    await q.query('ALTER TABLE provisioning_claims DROP COLUMN IF EXISTS holder');
  }
}
