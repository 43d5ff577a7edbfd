import type { Decider } from '@pbx/events';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { assertNever } from '../tenant/tenant';
import {
  createdGroup,
  evolveGroup,
  evolveGroupAll,
  initialGroupState,
  type ActiveGroupState,
  type GroupEvent,
  type GroupState,
} from './group';
import { planGroupChanges } from './group-changes';
import { checkGroupName, groupSpecError, type GroupSpec } from './group-spec';

/**
 * T3: a group's enterprise (or none) is chosen when it is created and never changes; the tenant,
 * the admins who reach the group and the domain rules all follow from it.
 */
function checkEnterpriseUnchanged(current: ActiveGroupState, spec: GroupSpec): void {
  if (spec.enterprise === current.enterprise) return;
  const fixed = 'Group or Enterprise is fixed when a group is created and can never change';
  const message =
    current.enterprise === undefined
      ? `${current.name} is a standalone Group and cannot join enterprise ${spec.enterprise}: ${fixed}; order a new group in the enterprise instead`
      : spec.enterprise === undefined
        ? `${current.name} belongs to enterprise ${current.enterprise} and cannot leave it: ${fixed}; order a new standalone group instead`
        : `${current.name} belongs to enterprise ${current.enterprise} and cannot move to enterprise ${spec.enterprise}: ${fixed}; order a new group in ${spec.enterprise} instead`;
  throw new ProvisioningError(ProvisioningErrorCode.ArchitectureIsFixed, message, {
    problems: [{ path: 'enterprise', message }],
  });
}

/**
 * Specs arrive validated (`validateGroupSpec` at the boundary); the decider adds the rules that
 * need the current state. `pbx apply` sends CreateGroup when no group has the manifest's name and
 * ApplyGroupSpec otherwise.
 */
export type GroupCommand =
  | {
      readonly type: 'CreateGroup';
      readonly groupId: string;
      /** For a group of an enterprise (`spec.enterprise`), the enterprise's tenant. */
      readonly tenantId: string;
      /** `metadata.name`. */
      readonly name: string;
      readonly spec: GroupSpec;
    }
  | {
      readonly type: 'ApplyGroupSpec';
      readonly groupId: string;
      readonly spec: GroupSpec;
      /** A new `metadata.name`; omitted keeps the name. */
      readonly name?: string;
    }
  | { readonly type: 'DeleteGroup'; readonly groupId: string };

function validName(name: string): string {
  const problem = checkGroupName(name);
  if (problem) throw groupSpecError([problem]);
  return name;
}

function activeGroup(state: GroupState, groupId: string): ActiveGroupState {
  switch (state.status) {
    case 'active':
      return state;
    case 'absent':
      throw new ProvisioningError(
        ProvisioningErrorCode.GroupNotFound,
        `group ${groupId} does not exist`,
      );
    case 'deleted':
      throw new ProvisioningError(
        ProvisioningErrorCode.GroupDeleted,
        `group ${groupId} (${state.name}) was deleted`,
      );
    default:
      return assertNever(state);
  }
}

function decide(command: GroupCommand, state: GroupState): readonly GroupEvent[] {
  switch (command.type) {
    case 'CreateGroup': {
      if (state.status === 'active') {
        throw new ProvisioningError(
          ProvisioningErrorCode.GroupAlreadyExists,
          `group ${command.groupId} already exists`,
        );
      }
      if (state.status === 'deleted') {
        throw new ProvisioningError(
          ProvisioningErrorCode.GroupDeleted,
          `group ${command.groupId} was deleted; a group id is never reused`,
        );
      }
      const name = validName(command.name);
      const created = {
        type: 'GroupCreated' as const,
        groupId: command.groupId,
        tenantId: command.tenantId,
        name,
        settings: {
          domain: command.spec.domain,
          timezone: command.spec.timezone,
          mainNumber: command.spec.mainNumber,
        },
      };
      if (command.spec.enterprise === undefined) {
        return [created, ...planGroupChanges(createdGroup(created), command.spec, name)];
      }
      const joined = {
        type: 'GroupJoinedEnterprise' as const,
        groupId: command.groupId,
        enterpriseName: command.spec.enterprise,
      };
      return [
        created,
        joined,
        ...planGroupChanges(
          { ...createdGroup(created), enterprise: joined.enterpriseName },
          command.spec,
          name,
        ),
      ];
    }
    case 'ApplyGroupSpec': {
      const current = activeGroup(state, command.groupId);
      checkEnterpriseUnchanged(current, command.spec);
      const name = command.name === undefined ? current.name : validName(command.name);
      return planGroupChanges(current, command.spec, name);
    }
    case 'DeleteGroup':
      activeGroup(state, command.groupId);
      return [{ type: 'GroupDeleted', groupId: command.groupId }];
    default:
      return assertNever(command);
  }
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState> = {
  initialState: initialGroupState,
  decide,
  evolve: evolveGroup,
  evolveAll: evolveGroupAll,
};
