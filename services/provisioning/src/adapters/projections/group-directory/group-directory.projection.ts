import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { assertNever } from '../../../domain/tenant/tenant';
import type { GroupEvent } from '../../../domain/group/group';
import { groupEventCodec } from '../../events/group-event.codec';

const GROUP_EVENT_PREFIX = 'pbx.provisioning.v1.';
const TENANT_EVENTS = new Set(['TenantCreated', 'TenantRenamed']);

async function setNumbers(
  tx: EntityManager,
  group: string,
  owner: string,
  numbers: readonly (string | undefined)[],
): Promise<void> {
  await tx.query('DELETE FROM provisioning_group_numbers WHERE group_name = $1 AND owner = $2', [
    group,
    owner,
  ]);
  const present = numbers.filter((n): n is string => !!n);
  if (present.length === 0) return;
  await tx.query(
    `INSERT INTO provisioning_group_numbers (group_name, owner, number)
     SELECT $1, $2, n FROM unnest($3::text[]) AS n ON CONFLICT DO NOTHING`,
    [group, owner, present],
  );
}

async function apply(event: GroupEvent, time: Date, tx: EntityManager): Promise<void> {
  const group = event.groupId;
  switch (event.type) {
    case 'GroupCreated':
      await tx.query(
        `INSERT INTO provisioning_groups (name, tenant_id, domain, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING`,
        [group, event.tenantId, event.settings.domain, time],
      );
      return setNumbers(tx, group, 'main', [event.settings.mainNumber]);
    case 'GroupSettingsChanged':
      await tx.query(
        'UPDATE provisioning_groups SET domain = $2, updated_at = $3 WHERE name = $1',
        [group, event.settings.domain, time],
      );
      return setNumbers(tx, group, 'main', [event.settings.mainNumber]);
    case 'GroupDeleted':
      await tx.query('UPDATE provisioning_groups SET deleted_at = $2 WHERE name = $1', [
        group,
        time,
      ]);
      await tx.query('DELETE FROM provisioning_group_numbers WHERE group_name = $1', [group]);
      return;
    case 'UserAdded':
      await tx.query('UPDATE provisioning_groups SET users = users + 1 WHERE name = $1', [group]);
      return setNumbers(tx, group, `user:${event.user.extension}`, event.user.numbers);
    case 'UserNumbersChanged':
      return setNumbers(tx, group, `user:${event.extension}`, event.numbers);
    case 'UserRemoved':
      await tx.query('UPDATE provisioning_groups SET users = users - 1 WHERE name = $1', [group]);
      return setNumbers(tx, group, `user:${event.extension}`, []);
    case 'DepartmentAdded':
    case 'DepartmentChanged':
      return setNumbers(tx, group, `department:${event.department.name}`, [
        event.department.number,
      ]);
    case 'DepartmentRemoved':
      return setNumbers(tx, group, `department:${event.name}`, []);
    case 'HuntGroupAdded':
    case 'HuntGroupChanged':
      return setNumbers(tx, group, `hunt-group:${event.huntGroup.extension}`, [
        event.huntGroup.number,
      ]);
    case 'HuntGroupRemoved':
      return setNumbers(tx, group, `hunt-group:${event.extension}`, []);
    case 'UserChanged':
    case 'DeviceAdded':
    case 'DeviceChanged':
    case 'DeviceCredentialsChanged':
    case 'DeviceRemoved':
    case 'ScheduleSet':
    case 'ScheduleRemoved':
      return;
    default:
      return assertNever(event);
  }
}

/**
 * Groups by name with their domain, and every number a group holds with its owner: what apply
 * checks a new file against (a number or domain already taken by another group).
 */
export const groupDirectoryProjection: Projection = {
  name: CONSUMER_GROUPS.provisioningGroupDirectory,
  topics: [TOPICS.provisioning],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!envelope.type.startsWith(GROUP_EVENT_PREFIX)) return;
    if (TENANT_EVENTS.has(envelope.type.slice(GROUP_EVENT_PREFIX.length))) return;
    await apply(groupEventCodec.decode(envelope.type, envelope.data), envelope.time, tx);
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM provisioning_group_numbers');
    await tx.query('DELETE FROM provisioning_groups');
  },
};
