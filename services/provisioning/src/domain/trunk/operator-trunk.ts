import { assertNever } from '../tenant/tenant';
import type { Trunk } from './trunk';

/**
 * An operator-wide carrier trunk (`kind: Trunk`), one stream per name. A removed trunk's name may
 * be applied again: the trunk comes back under the same id (`operator:<name>`), as a new trunk.
 */
export type OperatorTrunkEvent =
  | { readonly type: 'TrunkAdded'; readonly trunk: Trunk }
  | { readonly type: 'TrunkChanged'; readonly trunk: Trunk }
  | { readonly type: 'TrunkRemoved'; readonly name: string };

export type OperatorTrunkEventType = OperatorTrunkEvent['type'];

export interface ActiveOperatorTrunkState {
  readonly status: 'active';
  readonly trunk: Trunk;
}

export type OperatorTrunkState =
  | { readonly status: 'absent' }
  | ActiveOperatorTrunkState
  | { readonly status: 'removed'; readonly name: string };

export const initialOperatorTrunkState: OperatorTrunkState = { status: 'absent' };

/** Operator-wide trunks are nobody's tenant: their events carry this in the tenant field. */
export const OPERATOR_TENANT = 'operator';

export function operatorTrunkStreamId(name: string): string {
  return `trunk-${name}`;
}

export function evolveOperatorTrunk(
  state: OperatorTrunkState,
  event: OperatorTrunkEvent,
): OperatorTrunkState {
  switch (event.type) {
    case 'TrunkAdded':
    case 'TrunkChanged':
      return { status: 'active', trunk: event.trunk };
    case 'TrunkRemoved':
      return state.status === 'active' ? { status: 'removed', name: event.name } : state;
    default:
      return assertNever(event);
  }
}
