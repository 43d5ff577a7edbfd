import type { OrderKind } from '../block-rules';
import type { NumberKind } from '../number-kind';

export type { OrderKind } from '../block-rules';

/**
 * What a number is assigned to, within one of the tenant's groups: the group itself (its main
 * number), a department, or a user.
 */
export type AssignmentTarget =
  | { readonly type: 'group'; readonly groupId: string }
  | { readonly type: 'department'; readonly groupId: string; readonly departmentId: string }
  | { readonly type: 'user'; readonly groupId: string; readonly userId: string };

export interface NumberAssignment {
  readonly number: string;
  readonly target: AssignmentTarget;
}

/** One of the blocks a split makes: its own stream, its own order (N4), its share of assignments. */
export interface NumberBlockPart {
  readonly blockId: string;
  readonly firstNumber: string;
  readonly size: number;
  readonly orderReference: string;
  readonly assignments: readonly NumberAssignment[];
}

export type NumberBlockEvent =
  | {
      /** An order for a block was placed: new numbers, or a port-in from another provider. */
      readonly type: 'NumberBlockOrdered';
      readonly blockId: string;
      readonly tenantId: string;
      readonly orderKind: OrderKind;
      readonly numberKind: NumberKind;
      readonly country: string;
      readonly firstNumber: string;
      readonly size: number;
      /** ACM assignment letter reference (088 only, else empty). */
      readonly assignmentLetter: string;
      /** The operator's order reference; empty when none was given. */
      readonly orderReference: string;
      /** ISO 8601 instant. */
      readonly orderedAt: string;
    }
  | {
      /** A port-in got its porting date (again, when rescheduled). */
      readonly type: 'NumberBlockPortingScheduled';
      readonly blockId: string;
      /** Civil date in the Netherlands, YYYY-MM-DD. */
      readonly portingDate: string;
    }
  | {
      /** The order completed: the numbers are in service and can be assigned. */
      readonly type: 'NumberBlockActivated';
      readonly blockId: string;
      readonly activatedAt: string;
    }
  | {
      readonly type: 'NumberBlockCancelled';
      readonly blockId: string;
      readonly cancelledAt: string;
    }
  | {
      /** The block was split; its numbers and assignments moved to the parts. */
      readonly type: 'NumberBlockSplit';
      readonly blockId: string;
      readonly parts: readonly NumberBlockPart[];
      readonly splitAt: string;
    }
  | {
      /** A part of a split came into being, active, with the assignments of its numbers. */
      readonly type: 'NumberBlockSplitPartCreated';
      readonly blockId: string;
      readonly parentBlockId: string;
      readonly tenantId: string;
      readonly numberKind: NumberKind;
      readonly country: string;
      readonly firstNumber: string;
      readonly size: number;
      readonly assignmentLetter: string;
      readonly orderReference: string;
      readonly assignments: readonly NumberAssignment[];
      readonly createdAt: string;
    }
  | {
      readonly type: 'NumberAssigned';
      readonly blockId: string;
      readonly number: string;
      readonly target: AssignmentTarget;
    }
  | {
      readonly type: 'NumberUnassigned';
      readonly blockId: string;
      readonly number: string;
      /** Who held the number until now. */
      readonly target: AssignmentTarget;
    };

/** What every state but `absent` knows about the block. */
export interface NumberBlockInfo {
  readonly blockId: string;
  readonly tenantId: string;
  readonly numberKind: NumberKind;
  readonly country: string;
  readonly firstNumber: string;
  readonly size: number;
  readonly assignmentLetter: string;
  readonly orderReference: string;
  /** Set when the block is a part of a split. */
  readonly parentBlockId: string | undefined;
}

/**
 * Order states: requested → active for new numbers; requested → porting → active for a port-in.
 * Requested, porting and active can be cancelled; an active block can be split. A cancelled
 * block's stream can carry a new order of the same numbers later.
 */
export type NumberBlockState =
  | { readonly status: 'absent' }
  | { readonly status: 'requested'; readonly block: NumberBlockInfo; readonly orderKind: OrderKind }
  | { readonly status: 'porting'; readonly block: NumberBlockInfo; readonly portingDate: string }
  | {
      readonly status: 'active';
      readonly block: NumberBlockInfo;
      /** E.164 number → who it is assigned to; unassigned numbers are absent. */
      readonly assignments: ReadonlyMap<string, AssignmentTarget>;
    }
  | { readonly status: 'cancelled'; readonly block: NumberBlockInfo }
  | {
      readonly status: 'split';
      readonly block: NumberBlockInfo;
      readonly parts: readonly string[];
    };

export type NumberBlockStatus = NumberBlockState['status'];

export const initialNumberBlockState: NumberBlockState = { status: 'absent' };

function assignmentsOf(list: readonly NumberAssignment[]): ReadonlyMap<string, AssignmentTarget> {
  return new Map(list.map((a) => [a.number, a.target]));
}

export function evolveNumberBlock(
  state: NumberBlockState,
  event: NumberBlockEvent,
): NumberBlockState {
  switch (event.type) {
    case 'NumberBlockOrdered':
      return {
        status: 'requested',
        orderKind: event.orderKind,
        block: {
          blockId: event.blockId,
          tenantId: event.tenantId,
          numberKind: event.numberKind,
          country: event.country,
          firstNumber: event.firstNumber,
          size: event.size,
          assignmentLetter: event.assignmentLetter,
          orderReference: event.orderReference,
          parentBlockId: undefined,
        },
      };
    case 'NumberBlockPortingScheduled':
      return state.status === 'requested' || state.status === 'porting'
        ? { status: 'porting', block: state.block, portingDate: event.portingDate }
        : state;
    case 'NumberBlockActivated':
      return state.status === 'requested' || state.status === 'porting'
        ? { status: 'active', block: state.block, assignments: new Map() }
        : state;
    case 'NumberBlockCancelled':
      return state.status === 'absent' ? state : { status: 'cancelled', block: state.block };
    case 'NumberBlockSplit':
      return state.status === 'active'
        ? { status: 'split', block: state.block, parts: event.parts.map((p) => p.blockId) }
        : state;
    case 'NumberBlockSplitPartCreated':
      return {
        status: 'active',
        block: {
          blockId: event.blockId,
          tenantId: event.tenantId,
          numberKind: event.numberKind,
          country: event.country,
          firstNumber: event.firstNumber,
          size: event.size,
          assignmentLetter: event.assignmentLetter,
          orderReference: event.orderReference,
          parentBlockId: event.parentBlockId,
        },
        assignments: assignmentsOf(event.assignments),
      };
    case 'NumberAssigned': {
      if (state.status !== 'active') return state;
      const assignments = new Map(state.assignments);
      assignments.set(event.number, event.target);
      return { ...state, assignments };
    }
    case 'NumberUnassigned': {
      if (state.status !== 'active') return state;
      const assignments = new Map(state.assignments);
      assignments.delete(event.number);
      return { ...state, assignments };
    }
    default:
      return assertNever(event);
  }
}

/** One stream per block: `numberblock-31201234500-100` for +31201234500 and the 99 after it. */
export function numberBlockStreamId(firstNumber: string, size: number): string {
  return `numberblock-${firstNumber.replace(/^\+/, '')}-${size}`;
}

/** "user 201 of group acme", as messages name a target. */
export function describeTarget(target: AssignmentTarget): string {
  switch (target.type) {
    case 'group':
      return `group ${target.groupId}`;
    case 'department':
      return `department ${target.departmentId} of group ${target.groupId}`;
    case 'user':
      return `user ${target.userId} of group ${target.groupId}`;
    default:
      return assertNever(target);
  }
}

export function sameTarget(a: AssignmentTarget, b: AssignmentTarget): boolean {
  switch (a.type) {
    case 'group':
      return b.type === 'group' && a.groupId === b.groupId;
    case 'department':
      return (
        b.type === 'department' && a.groupId === b.groupId && a.departmentId === b.departmentId
      );
    case 'user':
      return b.type === 'user' && a.groupId === b.groupId && a.userId === b.userId;
    default:
      return assertNever(a);
  }
}

export function assertNever(value: never): never {
  throw new TypeError(`unexpected value ${JSON.stringify(value)}`);
}
