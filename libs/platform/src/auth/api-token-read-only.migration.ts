import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A token may be limited to reading (GET and HEAD): the web phone's session token is issued on a
 * device's SIP password, which must not also change the user's settings (e-mail, caller id).
 */
export class ApiTokensReadOnly1764028800301 implements MigrationInterface {
  name = 'ApiTokensReadOnly1764028800301';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE platform_api_tokens ADD COLUMN IF NOT EXISTS read_only boolean NOT NULL DEFAULT false',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE platform_api_tokens DROP COLUMN IF EXISTS read_only');
  }
}
