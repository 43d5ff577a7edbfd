import { assertNever } from '../../../domain/tenant/tenant';
import type { GroupEvent } from '../../../domain/group/group';
import type { EnterpriseEvent } from '../../../domain/enterprise/enterprise';
import type { OperatorTrunkEvent } from '../../../domain/trunk/operator-trunk';
import type { Trunk } from '../../../domain/trunk/trunk';

export interface ChangeLine {
  readonly op: 'add' | 'remove' | 'change';
  readonly path: string;
  readonly summary: string;
}

/** A trunk in one line, without its password. */
function trunkSummary(trunk: Trunk): string {
  const host = trunk.host.includes(':') ? `[${trunk.host}]` : trunk.host;
  const auth = trunk.credentials ? `, user ${trunk.credentials.username}` : '';
  return `${host}:${trunk.port} over ${trunk.transport}${auth}${trunk.register ? ', registering' : ''}`;
}

/** How `pbx apply --dry-run` shows one event of a group. */
export function describeGroupEvent(event: GroupEvent): ChangeLine {
  switch (event.type) {
    case 'GroupCreated':
      return {
        op: 'add',
        path: 'metadata.name',
        summary: `group ${event.name} created (domain ${event.settings.domain})`,
      };
    case 'GroupSettingsChanged':
      return {
        op: 'change',
        path: 'spec',
        summary: `settings: domain ${event.settings.domain}, time zone ${event.settings.timezone}, main number ${event.settings.mainNumber || 'none'}`,
      };
    case 'GroupJoinedEnterprise':
      return {
        op: 'add',
        path: 'spec.enterprise',
        summary: `group of enterprise ${event.enterpriseName}`,
      };
    case 'GroupDeleted':
      return { op: 'remove', path: 'metadata.name', summary: `group ${event.groupId} deleted` };
    case 'DepartmentAdded':
      return {
        op: 'add',
        path: `spec.departments[name=${event.department.name}]`,
        summary: `department ${event.department.name} added`,
      };
    case 'DepartmentChanged':
      return {
        op: 'change',
        path: `spec.departments[name=${event.department.name}]`,
        summary: `department ${event.department.name} changed`,
      };
    case 'DepartmentRemoved':
      return {
        op: 'remove',
        path: `spec.departments[name=${event.name}]`,
        summary: `department ${event.name} removed`,
      };
    case 'UserAdded':
      return {
        op: 'add',
        path: `spec.users[extension=${event.user.extension}]`,
        summary: `user ${event.user.extension} (${event.user.name}) added, profile ${event.user.profile}`,
      };
    case 'UserChanged':
      return {
        op: 'change',
        path: `spec.users[extension=${event.user.extension}]`,
        summary: `user ${event.user.extension} (${event.user.name}) changed`,
      };
    case 'UserNumbersChanged':
      return {
        op: 'change',
        path: `spec.users[extension=${event.extension}].numbers`,
        summary: `user ${event.extension} numbers: ${event.numbers.join(', ') || 'none'}`,
      };
    case 'UserRemoved':
      return {
        op: 'remove',
        path: `spec.users[extension=${event.extension}]`,
        summary: `user ${event.extension} removed`,
      };
    case 'DeviceAdded':
      return {
        op: 'add',
        path: `spec.users[extension=${event.device.owner}].devices[username=${event.device.username}]`,
        summary: `device ${event.device.username} (${event.device.kind}) added for ${event.device.owner}`,
      };
    case 'DeviceChanged':
      return {
        op: 'change',
        path: `spec.users[extension=${event.device.owner}].devices[username=${event.device.username}]`,
        summary: `device ${event.device.username} changed`,
      };
    case 'DeviceCredentialsChanged':
      return {
        op: 'change',
        path: `devices[username=${event.username}].password`,
        summary: `device ${event.username} password changed`,
      };
    case 'DeviceRemoved':
      return {
        op: 'remove',
        path: `devices[username=${event.username}]`,
        summary: `device ${event.username} removed`,
      };
    case 'HuntGroupAdded':
      return {
        op: 'add',
        path: `spec.huntGroups[extension=${event.huntGroup.extension}]`,
        summary: `hunt group ${event.huntGroup.extension} (${event.huntGroup.name}) added, ${event.huntGroup.policy}: ${event.huntGroup.members.join(', ')}`,
      };
    case 'HuntGroupChanged':
      return {
        op: 'change',
        path: `spec.huntGroups[extension=${event.huntGroup.extension}]`,
        summary: `hunt group ${event.huntGroup.extension} (${event.huntGroup.name}) changed`,
      };
    case 'HuntGroupRemoved':
      return {
        op: 'remove',
        path: `spec.huntGroups[extension=${event.extension}]`,
        summary: `hunt group ${event.extension} removed`,
      };
    case 'ScheduleSet':
      return {
        op: 'change',
        path: `spec.schedules[name=${event.schedule.name}]`,
        summary: `schedule ${event.schedule.name} set`,
      };
    case 'ScheduleRemoved':
      return {
        op: 'remove',
        path: `spec.schedules[name=${event.name}]`,
        summary: `schedule ${event.name} removed`,
      };
    case 'TrunkAdded':
      return {
        op: 'add',
        path: `spec.trunks[name=${event.trunk.name}]`,
        summary: `trunk ${event.trunk.name} added: ${trunkSummary(event.trunk)}`,
      };
    case 'TrunkChanged':
      return {
        op: 'change',
        path: `spec.trunks[name=${event.trunk.name}]`,
        summary: `trunk ${event.trunk.name} changed: ${trunkSummary(event.trunk)}`,
      };
    case 'TrunkRemoved':
      return {
        op: 'remove',
        path: `spec.trunks[name=${event.name}]`,
        summary: `trunk ${event.name} removed`,
      };
    default:
      return assertNever(event);
  }
}

/** How `pbx apply --dry-run` shows one event of an enterprise. */
export function describeEnterpriseEvent(event: EnterpriseEvent): ChangeLine {
  switch (event.type) {
    case 'EnterpriseCreated':
      return {
        op: 'add',
        path: 'metadata.name',
        summary: `enterprise ${event.enterpriseName} created${event.displayName === undefined ? '' : ` (${event.displayName})`}`,
      };
    case 'EnterpriseChanged':
      return {
        op: 'change',
        path: 'spec.displayName',
        summary: `display name ${event.displayName === undefined ? 'removed' : `set to ${event.displayName}`}`,
      };
    case 'EnterpriseDeleted':
      return {
        op: 'remove',
        path: 'metadata.name',
        summary: `enterprise ${event.enterpriseName} deleted`,
      };
    default:
      return assertNever(event);
  }
}

/** How `pbx apply --dry-run` shows one event of an operator-wide trunk. */
export function describeOperatorTrunkEvent(event: OperatorTrunkEvent): ChangeLine {
  switch (event.type) {
    case 'TrunkAdded':
      return {
        op: 'add',
        path: 'metadata.name',
        summary: `trunk ${event.trunk.name} added: ${trunkSummary(event.trunk)}`,
      };
    case 'TrunkChanged':
      return {
        op: 'change',
        path: 'spec',
        summary: `trunk ${event.trunk.name} changed: ${trunkSummary(event.trunk)}`,
      };
    case 'TrunkRemoved':
      return { op: 'remove', path: 'metadata.name', summary: `trunk ${event.name} removed` };
    default:
      return assertNever(event);
  }
}
