import type { CountryCode } from '@pbx/domain';
import type { SipTransportName } from '@pbx/telephony';
import {
  assertNever,
  type DirectoryChange,
  type DirectoryTrunk,
} from '../../../domain/directory/directory';

/** Runs one SQL statement (a transaction's EntityManager or the DataSource). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

const GROUP_TABLES = [
  'routing_users',
  'routing_devices',
  'routing_departments',
  'routing_hunt_groups',
  'routing_trunks',
];

/** Writes one directory change to routing's tables; every statement is an idempotent upsert/delete. */
export async function writeDirectoryChange(tx: SqlRunner, change: DirectoryChange): Promise<void> {
  switch (change.kind) {
    case 'group-set': {
      const g = change.group;
      await tx.query(
        `INSERT INTO routing_groups (group_id, tenant_id, domain, timezone, main_number, country)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (group_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, domain = EXCLUDED.domain,
           timezone = EXCLUDED.timezone, main_number = EXCLUDED.main_number, country = EXCLUDED.country`,
        [g.groupId, g.tenantId, g.domain, g.timezone, g.mainNumber ?? null, g.country ?? null],
      );
      return;
    }
    case 'group-deleted':
      for (const table of GROUP_TABLES) {
        await tx.query(`DELETE FROM ${table} WHERE group_id = $1`, [change.groupId]);
      }
      await tx.query('DELETE FROM routing_groups WHERE group_id = $1', [change.groupId]);
      return;
    case 'user-set': {
      const u = change.user;
      await tx.query(
        `INSERT INTO routing_users (group_id, extension, name, profile, department, numbers, presentation_restricted)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (group_id, extension) DO UPDATE SET name = EXCLUDED.name, profile = EXCLUDED.profile,
           department = EXCLUDED.department, numbers = EXCLUDED.numbers,
           presentation_restricted = EXCLUDED.presentation_restricted`,
        [
          u.groupId,
          u.extension,
          u.name,
          u.profile ?? null,
          u.department ?? null,
          [...u.numbers],
          u.presentationRestricted,
        ],
      );
      return;
    }
    case 'user-details': {
      const u = change.user;
      await tx.query(
        `UPDATE routing_users SET name = $3, profile = $4, department = $5, presentation_restricted = $6
          WHERE group_id = $1 AND extension = $2`,
        [
          u.groupId,
          u.extension,
          u.name,
          u.profile ?? null,
          u.department ?? null,
          u.presentationRestricted,
        ],
      );
      return;
    }
    case 'user-numbers':
      await tx.query(
        'UPDATE routing_users SET numbers = $3 WHERE group_id = $1 AND extension = $2',
        [change.groupId, change.extension, [...change.numbers]],
      );
      return;
    case 'user-removed':
      await tx.query('DELETE FROM routing_users WHERE group_id = $1 AND extension = $2', [
        change.groupId,
        change.extension,
      ]);
      return;
    case 'device-set': {
      const d = change.device;
      // A device that changes owner goes to the end of its new owner's list, as in memory.
      await tx.query(
        `INSERT INTO routing_devices (group_id, username, owner_extension) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, username) DO UPDATE SET owner_extension = EXCLUDED.owner_extension,
           added = CASE WHEN routing_devices.owner_extension = EXCLUDED.owner_extension
                        THEN routing_devices.added ELSE EXCLUDED.added END`,
        [d.groupId, d.username, d.ownerExtension],
      );
      return;
    }
    case 'device-removed':
      await tx.query('DELETE FROM routing_devices WHERE group_id = $1 AND username = $2', [
        change.groupId,
        change.username,
      ]);
      return;
    case 'department-set': {
      const d = change.department;
      await tx.query(
        `INSERT INTO routing_departments (group_id, name, number) VALUES ($1, $2, $3)
         ON CONFLICT (group_id, name) DO UPDATE SET number = EXCLUDED.number`,
        [d.groupId, d.name, d.number ?? null],
      );
      return;
    }
    case 'department-removed':
      await tx.query('DELETE FROM routing_departments WHERE group_id = $1 AND name = $2', [
        change.groupId,
        change.name,
      ]);
      return;
    case 'hunt-group-set': {
      const h = change.huntGroup;
      await tx.query(
        `INSERT INTO routing_hunt_groups (group_id, extension, name, number, members) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (group_id, extension) DO UPDATE SET name = EXCLUDED.name, number = EXCLUDED.number,
           members = EXCLUDED.members`,
        [h.groupId, h.extension, h.name, h.number ?? null, [...h.members]],
      );
      return;
    }
    case 'hunt-group-removed':
      await tx.query('DELETE FROM routing_hunt_groups WHERE group_id = $1 AND extension = $2', [
        change.groupId,
        change.extension,
      ]);
      return;
    case 'trunk-set': {
      const t = change.trunk;
      await tx.query(
        `INSERT INTO routing_trunks (trunk_id, tenant_id, group_id, name, host, port, transport, username,
           password, register, inbound_addresses)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (trunk_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, group_id = EXCLUDED.group_id,
           name = EXCLUDED.name, host = EXCLUDED.host, port = EXCLUDED.port, transport = EXCLUDED.transport,
           username = EXCLUDED.username, password = EXCLUDED.password, register = EXCLUDED.register,
           inbound_addresses = EXCLUDED.inbound_addresses`,
        [
          t.trunkId,
          t.tenantId ?? null,
          t.groupId ?? null,
          t.name,
          t.host,
          t.port,
          t.transport,
          t.username ?? null,
          t.password ?? null,
          t.register,
          [...t.inboundAddresses],
        ],
      );
      return;
    }
    case 'trunk-removed':
      await tx.query('DELETE FROM routing_trunks WHERE trunk_id = $1', [change.trunkId]);
      return;
    case 'reset':
      for (const table of [...GROUP_TABLES, 'routing_groups'])
        await tx.query(`DELETE FROM ${table}`);
      return;
    default:
      return assertNever(change);
  }
}

type Row = Record<string, unknown>;
const str = (row: Row, key: string): string => String(row[key]);
const opt = (row: Row, key: string): string | undefined =>
  row[key] === null || row[key] === undefined ? undefined : String(row[key]);
const list = (row: Row, key: string): string[] =>
  Array.isArray(row[key]) ? (row[key] as unknown[]).map(String) : [];

/**
 * Every row of routing's directory as the changes that make it, groups first: what a fresh index
 * is built from. Read in one snapshot, so that the tables agree with each other.
 */
export async function readDirectory(
  transaction: <T>(work: (tx: SqlRunner) => Promise<T>) => Promise<T>,
): Promise<DirectoryChange[]> {
  return transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const changes: DirectoryChange[] = [];
    const rows = async (sql: string): Promise<Row[]> => (await tx.query(sql)) as Row[];
    for (const r of await rows('SELECT * FROM routing_groups')) {
      const mainNumber = opt(r, 'main_number');
      const country = opt(r, 'country') as CountryCode | undefined;
      changes.push({
        kind: 'group-set',
        group: {
          groupId: str(r, 'group_id'),
          tenantId: str(r, 'tenant_id'),
          domain: str(r, 'domain'),
          timezone: str(r, 'timezone'),
          ...(mainNumber !== undefined && { mainNumber }),
          ...(country !== undefined && { country }),
        },
      });
    }
    for (const r of await rows('SELECT * FROM routing_users')) {
      const profile = opt(r, 'profile');
      const department = opt(r, 'department');
      changes.push({
        kind: 'user-set',
        user: {
          groupId: str(r, 'group_id'),
          extension: str(r, 'extension'),
          name: str(r, 'name'),
          ...(profile !== undefined && { profile }),
          ...(department !== undefined && { department }),
          numbers: list(r, 'numbers'),
          presentationRestricted: r.presentation_restricted === true,
        },
      });
    }
    for (const r of await rows('SELECT * FROM routing_devices ORDER BY added')) {
      changes.push({
        kind: 'device-set',
        device: {
          groupId: str(r, 'group_id'),
          username: str(r, 'username'),
          ownerExtension: str(r, 'owner_extension'),
        },
      });
    }
    for (const r of await rows('SELECT * FROM routing_departments')) {
      const number = opt(r, 'number');
      changes.push({
        kind: 'department-set',
        department: {
          groupId: str(r, 'group_id'),
          name: str(r, 'name'),
          ...(number !== undefined && { number }),
        },
      });
    }
    for (const r of await rows('SELECT * FROM routing_hunt_groups')) {
      const number = opt(r, 'number');
      changes.push({
        kind: 'hunt-group-set',
        huntGroup: {
          groupId: str(r, 'group_id'),
          extension: str(r, 'extension'),
          name: str(r, 'name'),
          ...(number !== undefined && { number }),
          members: list(r, 'members'),
        },
      });
    }
    for (const r of await rows('SELECT * FROM routing_trunks')) {
      changes.push({ kind: 'trunk-set', trunk: trunkFromRow(r) });
    }
    return changes;
  });
}

function trunkFromRow(r: Row): DirectoryTrunk {
  const tenantId = opt(r, 'tenant_id');
  const groupId = opt(r, 'group_id');
  const username = opt(r, 'username');
  const password = opt(r, 'password');
  return {
    trunkId: str(r, 'trunk_id'),
    ...(tenantId !== undefined && { tenantId }),
    ...(groupId !== undefined && { groupId }),
    name: str(r, 'name'),
    host: str(r, 'host'),
    port: Number(r.port),
    transport: str(r, 'transport') as SipTransportName,
    ...(username !== undefined && { username }),
    ...(password !== undefined && { password }),
    register: r.register === true,
    inboundAddresses: list(r, 'inbound_addresses'),
  };
}
