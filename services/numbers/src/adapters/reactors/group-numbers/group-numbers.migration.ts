import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The numbers each group's configuration uses (`pbx.provisioning.v1`), by owner: the group's main
 * number, a department, a user or a hunt group. Keyed by (group, owner, number), not by number:
 * within one batch a number may move from an owner being removed to a new one, and both rows
 * exist for a moment.
 */
export class NumbersGroupNumbers1764028800600 implements MigrationInterface {
  name = 'NumbersGroupNumbers1764028800600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS numbers_group_numbers (
        group_name text NOT NULL,
        owner text NOT NULL,
        number text NOT NULL,
        tenant_id text NOT NULL,
        PRIMARY KEY (group_name, owner, number)
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS numbers_group_numbers_by_number ON numbers_group_numbers (number)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS numbers_group_numbers');
  }
}
