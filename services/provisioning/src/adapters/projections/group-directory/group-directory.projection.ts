import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { assertNever } from '../../../domain/tenant/tenant';
import type { GroupEvent } from '../../../domain/group/group';
import { groupEventCodec } from '../../events/group-event.codec';

const GROUP_EVENT_PREFIX = 'pbx.provisioning.v1.';
const TENANT_EVENTS = new Set(['TenantCreated', 'TenantRenamed']);

async function apply(event: GroupEvent, time: Date, tx: EntityManager): Promise<void> {
  const group = event.groupId;
  switch (event.type) {
    case 'GroupCreated':
      await tx.query(
        `INSERT INTO provisioning_groups (name, tenant_id, domain, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING`,
        [group, event.tenantId, event.settings.domain, time],
      );
      return;
    case 'GroupSettingsChanged':
      await tx.query(
        'UPDATE provisioning_groups SET domain = $2, updated_at = $3 WHERE name = $1',
        [group, event.settings.domain, time],
      );
      return;
    case 'GroupDeleted':
      await tx.query('UPDATE provisioning_groups SET deleted_at = $2 WHERE name = $1', [
        group,
        time,
      ]);
      return;
    case 'UserAdded':
      await tx.query('UPDATE provisioning_groups SET users = users + 1 WHERE name = $1', [group]);
      return;
    case 'UserRemoved':
      await tx.query('UPDATE provisioning_groups SET users = users - 1 WHERE name = $1', [group]);
      return;
    case 'UserNumbersChanged':
    case 'DepartmentAdded':
    case 'DepartmentChanged':
    case 'DepartmentRemoved':
    case 'HuntGroupAdded':
    case 'HuntGroupChanged':
    case 'HuntGroupRemoved':
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

/** Groups by name with their domain and size: for listings and for logins by domain. */
export const groupDirectoryProjection: Projection = {
  name: CONSUMER_GROUPS.provisioningGroupDirectory,
  topics: [TOPICS.provisioning],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!envelope.type.startsWith(GROUP_EVENT_PREFIX)) return;
    if (TENANT_EVENTS.has(envelope.type.slice(GROUP_EVENT_PREFIX.length))) return;
    await apply(groupEventCodec.decode(envelope.type, envelope.data), envelope.time, tx);
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM provisioning_groups');
  },
};
