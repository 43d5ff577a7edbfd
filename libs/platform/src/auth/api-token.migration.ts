import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiTokens1764028800300 implements MigrationInterface {
  name = 'ApiTokens1764028800300';

  async up(q: QueryRunner): Promise<void> {
    // Only the SHA-256 of a token is kept: a leaked table grants nothing.
    await q.query(`
      CREATE TABLE IF NOT EXISTS platform_api_tokens (
        token_hash text PRIMARY KEY,
        token_id uuid NOT NULL UNIQUE,
        role text NOT NULL CHECK (role IN ('operator', 'enterprise-admin', 'group-admin', 'user')),
        tenant_id text,
        group_id text,
        user_id text,
        label text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS platform_api_tokens_by_tenant ON platform_api_tokens (tenant_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS platform_api_tokens');
  }
}
