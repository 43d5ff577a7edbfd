import type { MigrationInterface, QueryRunner } from 'typeorm';

export class NumberInventory1764028800160 implements MigrationInterface {
  name = 'NumberInventory1764028800160';

  async up(q: QueryRunner): Promise<void> {
    // Which tenant's inventory holds a number (from the numbers service's events), so that a
    // company file cannot take a number ordered for another customer.
    await q.query(`
      CREATE TABLE IF NOT EXISTS provisioning_inventory_numbers (
        number text PRIMARY KEY,
        tenant_id text NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS provisioning_inventory_numbers');
  }
}
