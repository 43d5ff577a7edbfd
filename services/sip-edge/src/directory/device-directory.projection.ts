import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { afterCommit } from './after-commit';
import { deviceIdOf, type DeviceKey } from './device-credentials';

/** What one committed change touched: the devices and the domains whose lookups may differ now. */
export interface DirectoryTouched {
  readonly keys: readonly DeviceKey[];
  readonly domains: readonly string[];
}
import { deviceDirectoryChangeOf, type DeviceDirectoryChange } from './device-directory-change';

/** Where the projection reports what it skipped. */
export interface DeviceDirectoryLog {
  warn(message: string): void;
}

export interface DeviceDirectoryProjectionOptions {
  /**
   * Told, after the transaction commits, which (domain, username) keys and domains an event touched: the
   * cache drops them, and a key with no device any more loses its registrations. During a
   * rebuild every key of the log is reported once the whole rebuild has committed, so the
   * handler must judge by the directory as it is then, not by the event.
   */
  readonly onCommitted?: (touched: DirectoryTouched) => void;
  readonly log?: DeviceDirectoryLog;
}

interface KeyRow {
  domain: string;
  username: string;
}

/**
 * Keeps `sip_edge_groups` and `sip_edge_devices` in step with `pbx.provisioning.v1`. Events of
 * different groups travel on different partitions and may arrive in any order, so a device row
 * is taken over by whoever writes it last and removed only by its own group (the proto's rule:
 * remove an entry only if it still points at the owner being removed).
 */
export function deviceDirectoryProjection(
  options: DeviceDirectoryProjectionOptions = {},
): Projection {
  const log = options.log ?? { warn: (): void => undefined };
  return {
    name: CONSUMER_GROUPS.sipEdgeDeviceDirectory,
    topics: [TOPICS.provisioning],

    async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
      const change = deviceDirectoryChangeOf(envelope.type, envelope.data);
      if (change === undefined) return;
      const touched = await applyChange(change, envelope.tenant, tx, log);
      if ((touched.keys.length > 0 || touched.domains.length > 0) && options.onCommitted) {
        const notify = options.onCommitted;
        afterCommit(tx, () => notify(touched));
      }
    },

    async reset(tx: EntityManager): Promise<void> {
      const keys: KeyRow[] = await tx.query('SELECT domain, username FROM sip_edge_devices');
      const groups = await changed<{ domain: string }>(
        tx,
        'DELETE FROM sip_edge_groups RETURNING domain',
        [],
      );
      await tx.query('DELETE FROM sip_edge_devices');
      if (options.onCommitted !== undefined) {
        const notify = options.onCommitted;
        const touched = { keys: keys.map(toKey), domains: groups.map((g) => g.domain) };
        afterCommit(tx, () => notify(touched));
      }
    },
  };
}

/**
 * Rows of an UPDATE or DELETE ... RETURNING: TypeORM's PostgreSQL driver answers those with
 * [rows, affected count], and a SELECT with the rows.
 */
async function changed<T>(tx: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await tx.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return result[0] as T[];
  }
  return result as T[];
}

const NOTHING: DirectoryTouched = { keys: [], domains: [] };

const toKey = (row: KeyRow): DeviceKey => ({ domain: row.domain, username: row.username });

async function groupOf(
  tx: EntityManager,
  groupId: string,
): Promise<{ tenant_id: string; domain: string } | undefined> {
  const rows: { tenant_id: string; domain: string }[] = await tx.query(
    'SELECT tenant_id, domain FROM sip_edge_groups WHERE group_id = $1',
    [groupId],
  );
  return rows[0];
}

async function applyChange(
  change: DeviceDirectoryChange,
  envelopeTenant: string,
  tx: EntityManager,
  log: DeviceDirectoryLog,
): Promise<DirectoryTouched> {
  switch (change.kind) {
    case 'group-set': {
      if (!change.groupId || !change.domain) return NOTHING;
      const before = await groupOf(tx, change.groupId);
      await tx.query(
        `INSERT INTO sip_edge_groups (group_id, tenant_id, domain) VALUES ($1, $2, $3)
         ON CONFLICT (group_id) DO UPDATE SET domain = EXCLUDED.domain,
           tenant_id = CASE WHEN $4 THEN EXCLUDED.tenant_id ELSE sip_edge_groups.tenant_id END`,
        [
          change.groupId,
          change.tenantId ?? envelopeTenant,
          change.domain,
          change.tenantId !== undefined,
        ],
      );
      const domains = before === undefined ? [change.domain] : [before.domain, change.domain];
      if (before?.domain === change.domain) return NOTHING;
      if (before === undefined) return { keys: [], domains };
      // The devices move to the new domain; a device of another group holding the same name
      // there (an event of that group that overtook ours) gives way to the newer write.
      const moved: KeyRow[] = await tx.query(
        'SELECT domain, username FROM sip_edge_devices WHERE group_id = $1',
        [change.groupId],
      );
      const displaced = await changed<KeyRow>(
        tx,
        `DELETE FROM sip_edge_devices
          WHERE domain = $2 AND group_id <> $1
            AND username IN (SELECT username FROM sip_edge_devices WHERE group_id = $1)
          RETURNING domain, username`,
        [change.groupId, change.domain],
      );
      await tx.query('UPDATE sip_edge_devices SET domain = $2 WHERE group_id = $1', [
        change.groupId,
        change.domain,
      ]);
      const keys = [
        ...moved.map(toKey),
        ...moved.map((row) => ({ domain: change.domain, username: row.username })),
        ...displaced.map(toKey),
      ];
      return { keys, domains };
    }
    case 'group-deleted': {
      const removed = await changed<KeyRow>(
        tx,
        'DELETE FROM sip_edge_devices WHERE group_id = $1 RETURNING domain, username',
        [change.groupId],
      );
      const groups = await changed<{ domain: string }>(
        tx,
        'DELETE FROM sip_edge_groups WHERE group_id = $1 RETURNING domain',
        [change.groupId],
      );
      return { keys: removed.map(toKey), domains: groups.map((g) => g.domain) };
    }
    case 'device-added': {
      const group = await groupOf(tx, change.groupId);
      if (group === undefined) {
        log.warn(`device ${change.username} of unknown group ${change.groupId}: skipped`);
        return NOTHING;
      }
      const previous = await changed<KeyRow>(
        tx,
        `DELETE FROM sip_edge_devices WHERE group_id = $1 AND username = $2
         RETURNING domain, username`,
        [change.groupId, change.username],
      );
      await tx.query(
        `INSERT INTO sip_edge_devices (domain, username, tenant_id, group_id, device_id,
           owner_extension, realm, ha1_md5, ha1_sha256)
         VALUES ($1, $2, $3, $4, $5, $6, $1, $7, $8)
         ON CONFLICT (domain, username) DO UPDATE SET tenant_id = EXCLUDED.tenant_id,
           group_id = EXCLUDED.group_id, device_id = EXCLUDED.device_id,
           owner_extension = EXCLUDED.owner_extension, realm = EXCLUDED.realm,
           ha1_md5 = EXCLUDED.ha1_md5, ha1_sha256 = EXCLUDED.ha1_sha256`,
        [
          group.domain,
          change.username,
          group.tenant_id,
          change.groupId,
          deviceIdOf(change.groupId, change.username),
          change.ownerExtension,
          change.ha1.md5,
          change.ha1.sha256,
        ],
      );
      return {
        keys: [...previous.map(toKey), { domain: group.domain, username: change.username }],
        domains: [],
      };
    }
    case 'device-changed': {
      const rows = await changed<KeyRow>(
        tx,
        `UPDATE sip_edge_devices SET owner_extension = $3 WHERE group_id = $1 AND username = $2
         RETURNING domain, username`,
        [change.groupId, change.username, change.ownerExtension],
      );
      return { keys: rows.map(toKey), domains: [] };
    }
    case 'device-credentials-changed': {
      // The realm is the group's domain now: a domain change is followed by this event.
      const rows = await changed<KeyRow>(
        tx,
        `UPDATE sip_edge_devices d SET ha1_md5 = $3, ha1_sha256 = $4, realm = g.domain
           FROM sip_edge_groups g
          WHERE d.group_id = $1 AND d.username = $2 AND g.group_id = d.group_id
         RETURNING d.domain, d.username`,
        [change.groupId, change.username, change.ha1.md5, change.ha1.sha256],
      );
      return { keys: rows.map(toKey), domains: [] };
    }
    case 'device-removed': {
      const rows = await changed<KeyRow>(
        tx,
        `DELETE FROM sip_edge_devices WHERE group_id = $1 AND username = $2
         RETURNING domain, username`,
        [change.groupId, change.username],
      );
      return { keys: rows.map(toKey), domains: [] };
    }
    default:
      return assertNever(change);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unhandled device directory change ${JSON.stringify(value)}`);
}
