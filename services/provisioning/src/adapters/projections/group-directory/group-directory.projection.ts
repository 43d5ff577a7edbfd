import type { EntityManager } from 'typeorm';
import type { EventEnvelope, Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { assertNever } from '../../../domain/tenant/tenant';
import type { GroupEvent } from '../../../domain/group/group';
import type { EnterpriseEvent } from '../../../domain/enterprise/enterprise';
import { groupEventCodec } from '../../events/group-event.codec';
import { ENTERPRISE_EVENT_TYPES, enterpriseEventCodec } from '../../events/enterprise-event.codec';
import { operatorTrunkEventCodec } from '../../events/operator-trunk-event.codec';
import { TRUNK_EVENT_TYPES } from '../../events/trunk-wire';
import {
  operatorTrunkStreamId,
  type OperatorTrunkEvent,
} from '../../../domain/trunk/operator-trunk';

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
    case 'GroupJoinedEnterprise':
      await tx.query('UPDATE provisioning_groups SET enterprise = $2 WHERE name = $1', [
        group,
        event.enterpriseName,
      ]);
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
    case 'TrunkAdded':
    case 'TrunkChanged':
    case 'TrunkRemoved':
      return;
    default:
      return assertNever(event);
  }
}

async function applyEnterprise(
  event: EnterpriseEvent,
  time: Date,
  tx: EntityManager,
): Promise<void> {
  switch (event.type) {
    case 'EnterpriseCreated':
      await tx.query(
        `INSERT INTO provisioning_enterprises (name, tenant_id, display_name, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (name) DO NOTHING`,
        [event.enterpriseName, event.tenantId, event.displayName ?? null, time],
      );
      return;
    case 'EnterpriseChanged':
      await tx.query(
        'UPDATE provisioning_enterprises SET display_name = $2, updated_at = $3 WHERE name = $1',
        [event.enterpriseName, event.displayName ?? null, time],
      );
      return;
    case 'EnterpriseDeleted':
      await tx.query('UPDATE provisioning_enterprises SET deleted_at = $2 WHERE name = $1', [
        event.enterpriseName,
        time,
      ]);
      return;
    default:
      return assertNever(event);
  }
}

async function applyOperatorTrunk(
  event: OperatorTrunkEvent,
  time: Date,
  tx: EntityManager,
): Promise<void> {
  switch (event.type) {
    case 'TrunkAdded':
      // A removed trunk's name may come back: the row is live again.
      await tx.query(
        `INSERT INTO provisioning_trunks (name, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (name) DO UPDATE SET updated_at = $2, deleted_at = NULL`,
        [event.trunk.name, time],
      );
      return;
    case 'TrunkChanged':
      await tx.query('UPDATE provisioning_trunks SET updated_at = $2 WHERE name = $1', [
        event.trunk.name,
        time,
      ]);
      return;
    case 'TrunkRemoved':
      await tx.query('UPDATE provisioning_trunks SET deleted_at = $2 WHERE name = $1', [
        event.name,
        time,
      ]);
      return;
    default:
      return assertNever(event);
  }
}

const OPERATOR_TRUNK_STREAM = operatorTrunkStreamId('');

/**
 * Groups by name with their domain, enterprise and size, enterprises by name and operator-wide
 * trunks by name: for listings and for logins by domain.
 */
export const groupDirectoryProjection: Projection = {
  name: CONSUMER_GROUPS.provisioningGroupDirectory,
  topics: [TOPICS.provisioning],

  async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
    if (!envelope.type.startsWith(GROUP_EVENT_PREFIX)) return;
    if (TENANT_EVENTS.has(envelope.type.slice(GROUP_EVENT_PREFIX.length))) return;
    if (ENTERPRISE_EVENT_TYPES.has(envelope.type)) {
      await applyEnterprise(
        enterpriseEventCodec.decode(envelope.type, envelope.data),
        envelope.time,
        tx,
      );
      return;
    }
    // A group's trunk events come from its own stream (subject `group-<id>`).
    if (
      TRUNK_EVENT_TYPES.has(envelope.type) &&
      envelope.subject.startsWith(OPERATOR_TRUNK_STREAM)
    ) {
      await applyOperatorTrunk(
        operatorTrunkEventCodec.decode(envelope.type, envelope.data),
        envelope.time,
        tx,
      );
      return;
    }
    await apply(groupEventCodec.decode(envelope.type, envelope.data), envelope.time, tx);
  },

  async reset(tx: EntityManager): Promise<void> {
    await tx.query('DELETE FROM provisioning_groups');
    await tx.query('DELETE FROM provisioning_enterprises');
    await tx.query('DELETE FROM provisioning_trunks');
  },
};
