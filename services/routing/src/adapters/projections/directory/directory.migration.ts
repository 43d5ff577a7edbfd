import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Routing's directory (`pbx.provisioning.v1`): groups, users, devices, departments, hunt groups
 * and trunks, as route() needs them. It is read whole into memory at start; route() never queries
 * it. Trunk passwords are kept because routing serves the SIP edge's TrunkDirectory; nothing else
 * reads them and no API returns them.
 */
export class RoutingDirectory1764028801000 implements MigrationInterface {
  name = 'RoutingDirectory1764028801000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_groups (
        group_id text PRIMARY KEY,
        tenant_id text NOT NULL,
        domain text NOT NULL,
        timezone text NOT NULL,
        main_number text,
        country text
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_users (
        group_id text NOT NULL,
        extension text NOT NULL,
        name text NOT NULL,
        profile text,
        department text,
        numbers text[] NOT NULL DEFAULT '{}',
        presentation_restricted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (group_id, extension)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_devices (
        group_id text NOT NULL,
        username text NOT NULL,
        owner_extension text NOT NULL,
        added bigserial,
        PRIMARY KEY (group_id, username)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_departments (
        group_id text NOT NULL,
        name text NOT NULL,
        number text,
        PRIMARY KEY (group_id, name)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_hunt_groups (
        group_id text NOT NULL,
        extension text NOT NULL,
        name text NOT NULL,
        number text,
        members text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (group_id, extension)
      )`);
    await q.query(`
      CREATE TABLE IF NOT EXISTS routing_trunks (
        trunk_id text PRIMARY KEY,
        tenant_id text,
        group_id text,
        name text NOT NULL,
        host text NOT NULL,
        port integer NOT NULL,
        transport text NOT NULL,
        username text,
        password text,
        register boolean NOT NULL,
        inbound_addresses text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS routing_trunks_by_group ON routing_trunks (group_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'routing_trunks',
      'routing_hunt_groups',
      'routing_departments',
      'routing_devices',
      'routing_users',
      'routing_groups',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
