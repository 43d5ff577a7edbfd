import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SIP edge's copy of the groups' domains and the devices' digest credentials, projected from
 * `pbx.provisioning.v1`. Devices are keyed by what a REGISTER names, (domain, username); the
 * second unique key (group_id, username) is how provisioning events name them.
 */
export class SipEdgeDeviceDirectory1764028800700 implements MigrationInterface {
  name = 'SipEdgeDeviceDirectory1764028800700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS sip_edge_groups (
        group_id text COLLATE "C" PRIMARY KEY,
        tenant_id text NOT NULL,
        domain text COLLATE "C" NOT NULL
      )`);
    await q.query(
      'CREATE INDEX IF NOT EXISTS sip_edge_groups_by_domain ON sip_edge_groups (domain)',
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS sip_edge_devices (
        domain text COLLATE "C" NOT NULL,
        username text COLLATE "C" NOT NULL,
        tenant_id text NOT NULL,
        group_id text COLLATE "C" NOT NULL,
        device_id text NOT NULL,
        owner_extension text NOT NULL,
        realm text NOT NULL,
        ha1_md5 text,
        ha1_sha256 text,
        PRIMARY KEY (domain, username)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS sip_edge_devices_by_group
         ON sip_edge_devices (group_id, username)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS sip_edge_devices');
    await q.query('DROP TABLE IF EXISTS sip_edge_groups');
  }
}
