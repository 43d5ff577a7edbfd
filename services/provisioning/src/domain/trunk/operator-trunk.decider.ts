import type { Decider } from '@pbx/events';
import { ProvisioningError, ProvisioningErrorCode } from '../provisioning.error';
import { assertNever } from '../tenant/tenant';
import {
  evolveOperatorTrunk,
  initialOperatorTrunkState,
  type OperatorTrunkEvent,
  type OperatorTrunkState,
} from './operator-trunk';
import { sameTrunk } from './trunk';
import { resolveTrunk } from './trunk-changes';
import { trunkSpecError, type OperatorTrunkSpec } from './trunk-spec';

/**
 * `pbx apply` of a `kind: Trunk` document sends ApplyTrunkSpec, whether or not the trunk exists;
 * `pbx delete trunk <name>` sends RemoveTrunk. Specs arrive validated (validateTrunkSpec).
 */
export type OperatorTrunkCommand =
  | { readonly type: 'ApplyTrunkSpec'; readonly spec: OperatorTrunkSpec }
  | { readonly type: 'RemoveTrunk'; readonly name: string };

export function trunkNotFound(name: string): ProvisioningError {
  return new ProvisioningError(
    ProvisioningErrorCode.TrunkNotFound,
    `trunk ${name.slice(0, 63)} does not exist`,
  );
}

function decide(
  command: OperatorTrunkCommand,
  state: OperatorTrunkState,
): readonly OperatorTrunkEvent[] {
  switch (command.type) {
    case 'ApplyTrunkSpec': {
      const stored = state.status === 'active' ? state.trunk : undefined;
      const resolved = resolveTrunk(command.spec, stored, '');
      if (!resolved.ok) throw trunkSpecError(resolved.problems);
      if (!stored) return [{ type: 'TrunkAdded', trunk: resolved.trunk }];
      return sameTrunk(stored, resolved.trunk)
        ? []
        : [{ type: 'TrunkChanged', trunk: resolved.trunk }];
    }
    case 'RemoveTrunk':
      if (state.status !== 'active') throw trunkNotFound(command.name);
      return [{ type: 'TrunkRemoved', name: state.trunk.name }];
    default:
      return assertNever(command);
  }
}

export const operatorTrunkDecider: Decider<
  OperatorTrunkCommand,
  OperatorTrunkEvent,
  OperatorTrunkState
> = {
  initialState: initialOperatorTrunkState,
  decide,
  evolve: evolveOperatorTrunk,
};
