import type { Decider } from '@pbx/events';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { checkGroupName } from '../group/group-spec';
import { assertNever } from '../tenant/tenant';
import {
  evolveEnterprise,
  initialEnterpriseState,
  type ActiveEnterpriseState,
  type EnterpriseEvent,
  type EnterpriseState,
} from './enterprise';
import { enterpriseSpecError, type EnterpriseSpec } from './enterprise-spec';

/**
 * `pbx apply` sends CreateEnterprise when no enterprise has the document's name and
 * ApplyEnterpriseSpec otherwise. Whether the name is taken by a Group (T3) is the application's
 * check, as is which groups the enterprise has: DeleteEnterprise carries them.
 */
export type EnterpriseCommand =
  | {
      readonly type: 'CreateEnterprise';
      /** `metadata.name`; the same rules as a group's name, in the same namespace. */
      readonly name: string;
      readonly tenantId: string;
      readonly spec: EnterpriseSpec;
    }
  | { readonly type: 'ApplyEnterpriseSpec'; readonly name: string; readonly spec: EnterpriseSpec }
  | {
      readonly type: 'DeleteEnterprise';
      readonly name: string;
      /** Names of the live groups of the enterprise. */
      readonly groups: readonly string[];
    };

/** Refusal to delete an enterprise that still has groups, naming them. */
export function enterpriseHasGroupsError(
  name: string,
  groups: readonly string[],
): ProvisioningError {
  const sorted = [...groups].sort();
  return new ProvisioningError(
    ProvisioningErrorCode.EnterpriseHasGroups,
    `enterprise ${name} still has ${sorted.length === 1 ? 'group' : 'groups'} ${sorted.join(', ')}; delete ${sorted.length === 1 ? 'it' : 'them'} first`,
    { groups: sorted },
  );
}

function activeEnterprise(state: EnterpriseState, name: string): ActiveEnterpriseState {
  switch (state.status) {
    case 'active':
      return state;
    case 'absent':
      throw new ProvisioningError(
        ProvisioningErrorCode.EnterpriseNotFound,
        `enterprise ${name} does not exist`,
      );
    case 'deleted':
      throw new ProvisioningError(
        ProvisioningErrorCode.EnterpriseDeleted,
        `enterprise ${name} was deleted`,
      );
    default:
      return assertNever(state);
  }
}

const withDisplayName = (spec: EnterpriseSpec): { displayName?: string } =>
  spec.displayName === undefined ? {} : { displayName: spec.displayName };

function decide(command: EnterpriseCommand, state: EnterpriseState): readonly EnterpriseEvent[] {
  switch (command.type) {
    case 'CreateEnterprise': {
      if (state.status === 'active') {
        throw new ProvisioningError(
          ProvisioningErrorCode.EnterpriseAlreadyExists,
          `enterprise ${command.name} already exists`,
        );
      }
      if (state.status === 'deleted') {
        throw new ProvisioningError(
          ProvisioningErrorCode.EnterpriseDeleted,
          `enterprise ${command.name} was deleted; an enterprise name is never reused`,
        );
      }
      const problem = checkGroupName(command.name);
      if (problem) throw enterpriseSpecError([problem]);
      return [
        {
          type: 'EnterpriseCreated',
          enterpriseName: command.name,
          tenantId: command.tenantId,
          ...withDisplayName(command.spec),
        },
      ];
    }
    case 'ApplyEnterpriseSpec': {
      const current = activeEnterprise(state, command.name);
      if (current.displayName === command.spec.displayName) return [];
      return [
        {
          type: 'EnterpriseChanged',
          enterpriseName: current.name,
          ...withDisplayName(command.spec),
        },
      ];
    }
    case 'DeleteEnterprise': {
      const current = activeEnterprise(state, command.name);
      if (command.groups.length > 0) throw enterpriseHasGroupsError(current.name, command.groups);
      return [{ type: 'EnterpriseDeleted', enterpriseName: current.name }];
    }
    default:
      return assertNever(command);
  }
}

export const enterpriseDecider: Decider<EnterpriseCommand, EnterpriseEvent, EnterpriseState> = {
  initialState: initialEnterpriseState,
  decide,
  evolve: evolveEnterprise,
};
