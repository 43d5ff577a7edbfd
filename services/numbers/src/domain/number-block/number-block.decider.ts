import type { Decider } from '@pbx/events';
import { checkBlockOrder, ORDER_KINDS, printable } from '../block-rules';
import type { NumberKind } from '../number-kind';
import { parseE164 } from '../number-kind';
import { containsNumber, describeRange, numberAt } from '../number-range';
import { NumbersError, NumbersErrorCode } from '../numbers.error';
import {
  assertNever,
  describeTarget,
  evolveNumberBlock,
  initialNumberBlockState,
  numberBlockStreamId,
  sameTarget,
  type AssignmentTarget,
  type NumberAssignment,
  type NumberBlockEvent,
  type NumberBlockInfo,
  type NumberBlockPart,
  type NumberBlockState,
} from './number-block';

export type NumberBlockCommand =
  | {
      /** Stream: numberBlockStreamId(firstNumber, size); it must be new (or cancelled). */
      readonly type: 'OrderBlock';
      readonly orderKind: string;
      readonly tenantId: string;
      readonly firstNumber: string;
      readonly size: number;
      readonly country: string;
      readonly assignmentLetter?: string;
      readonly orderReference?: string;
    }
  | {
      /**
       * Advances the order: a new order becomes active; a port-in first needs the porting date
       * (requested → porting; giving another date later reschedules) and becomes active from that
       * date on.
       */
      readonly type: 'CompleteOrder';
      readonly portingDate?: string;
    }
  | { readonly type: 'CancelOrder' }
  | {
      /** Into `parts` equal aligned blocks: 10 or a multiple of 10 (N4). */
      readonly type: 'SplitBlock';
      readonly parts: number;
      /** One per part; by default the parent's reference (or block id) with "/1", "/2"... */
      readonly orderReferences?: readonly string[];
    }
  | {
      /**
       * Issued by the application layer on each part's stream after NumberBlockSplit, with the
       * parent's data and the part from that event. Repeating it is a no-op.
       */
      readonly type: 'CreateSplitPart';
      readonly parentBlockId: string;
      readonly tenantId: string;
      readonly numberKind: NumberKind;
      readonly country: string;
      readonly assignmentLetter: string;
      readonly part: NumberBlockPart;
    }
  | { readonly type: 'AssignNumber'; readonly number: string; readonly target: AssignmentTarget }
  | { readonly type: 'UnassignNumber'; readonly number: string };

/** The current instant; injected so that tests and replays control time. */
export type Clock = () => Date;

/** Porting dates are civil dates in the Netherlands, where the porting process runs. */
const DUTCH_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

function validTarget(target: AssignmentTarget): AssignmentTarget {
  const ids =
    target.type === 'group'
      ? [target.groupId]
      : target.type === 'department'
        ? [target.groupId, target.departmentId]
        : target.type === 'user'
          ? [target.groupId, target.userId]
          : undefined;
  if (!ids || !ids.every((id) => typeof id === 'string' && ID.test(id))) {
    throw new NumbersError(
      NumbersErrorCode.InvalidTarget,
      'a number is assigned to a group, a department or a user, each named by ids of 1-64 letters, digits, ".", "_", ":" or "-"',
    );
  }
  return target;
}

function notFound(): NumbersError {
  return new NumbersError(
    NumbersErrorCode.BlockNotFound,
    'no such number block; order it first (stream numberblock-<first number without +>-<size>)',
  );
}

function notActive(
  state: Exclude<NumberBlockState, { status: 'absent' | 'active' }>,
  doing: string,
): NumbersError {
  const { blockId } = state.block;
  switch (state.status) {
    case 'requested':
    case 'porting':
      return new NumbersError(
        NumbersErrorCode.InvalidOrderState,
        `cannot ${doing} in block ${blockId} yet: its order is ${state.status}; complete the order first`,
      );
    case 'cancelled':
      return new NumbersError(
        NumbersErrorCode.InvalidOrderState,
        `cannot ${doing} in block ${blockId}: its order was cancelled`,
      );
    case 'split':
      return new NumbersError(
        NumbersErrorCode.InvalidOrderState,
        `cannot ${doing} in block ${blockId}: it was split into ${state.parts.length} blocks; use the block that now holds the number`,
        { parts: state.parts },
      );
    default:
      return assertNever(state);
  }
}

function numberOfBlock(block: NumberBlockInfo, input: string): string {
  const number = parseE164(input);
  if (!containsNumber(block, number)) {
    throw new NumbersError(
      NumbersErrorCode.NumberNotInBlock,
      `${number} is not in block ${block.blockId} (${describeRange(block)})`,
    );
  }
  return number;
}

function sortedAssignments(list: Iterable<NumberAssignment>): NumberAssignment[] {
  return [...list].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
}

function validSplitParts(block: NumberBlockInfo, parts: number): number {
  if (!Number.isInteger(parts) || parts < 10 || parts % 10 !== 0) {
    throw new NumbersError(
      NumbersErrorCode.InvalidSplit,
      `a block is split into 10 blocks or a multiple of 10, got ${parts}`,
    );
  }
  if (block.size % parts !== 0) {
    throw new NumbersError(
      NumbersErrorCode.InvalidSplit,
      `a block of ${block.size} cannot be split into ${parts} equal blocks; choose a multiple of 10 that divides ${block.size}`,
    );
  }
  return block.size / parts;
}

export function createNumberBlockDecider(
  clock: Clock,
): Decider<NumberBlockCommand, NumberBlockEvent, NumberBlockState> {
  const now = (): string => clock().toISOString();
  const today = (): string => DUTCH_DATE.format(clock());

  function validPortingDate(value: string): string {
    if (!isCalendarDate(value)) {
      throw new NumbersError(
        NumbersErrorCode.InvalidPortingDate,
        `the porting date must be a date as YYYY-MM-DD, got "${value.slice(0, 20)}"`,
      );
    }
    if (value < today()) {
      throw new NumbersError(
        NumbersErrorCode.InvalidPortingDate,
        `the porting date ${value} is in the past (today is ${today()} in the Netherlands)`,
      );
    }
    return value;
  }

  function orderBlock(
    command: Extract<NumberBlockCommand, { type: 'OrderBlock' }>,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    const orderKind = ORDER_KINDS.find((k) => k === command.orderKind);
    if (!orderKind) {
      throw new NumbersError(
        NumbersErrorCode.InvalidRequest,
        `an order is "new" or "port-in", got "${String(command.orderKind).slice(0, 20)}"`,
      );
    }
    const tenantId = printable(command.tenantId, 'the tenant id');
    const checked = checkBlockOrder({ ...command, orderKind });
    const blockId = numberBlockStreamId(checked.firstNumber, checked.size);
    if (state.status !== 'absent' && state.status !== 'cancelled') {
      throw new NumbersError(
        NumbersErrorCode.BlockAlreadyExists,
        `block ${blockId} (${describeRange(checked)}) already exists and is ${state.status}`,
      );
    }
    if (state.status === 'cancelled' && state.block.blockId !== blockId) {
      throw new NumbersError(
        NumbersErrorCode.InvalidRequest,
        `this is the stream of block ${state.block.blockId}; an order of ${describeRange(checked)} goes to ${blockId}`,
      );
    }
    const orderReference =
      command.orderReference === undefined || command.orderReference.trim() === ''
        ? ''
        : printable(command.orderReference, 'the order reference');
    return [
      {
        type: 'NumberBlockOrdered',
        blockId,
        tenantId,
        orderKind,
        numberKind: checked.numberKind,
        country: checked.country,
        firstNumber: checked.firstNumber,
        size: checked.size,
        assignmentLetter: checked.assignmentLetter,
        orderReference,
        orderedAt: now(),
      },
    ];
  }

  function completeOrder(
    portingDate: string | undefined,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    switch (state.status) {
      case 'absent':
        throw notFound();
      case 'requested': {
        const { blockId } = state.block;
        if (state.orderKind === 'new') {
          if (portingDate !== undefined) {
            throw new NumbersError(
              NumbersErrorCode.InvalidRequest,
              `block ${blockId} is an order of new numbers; only a port-in has a porting date`,
            );
          }
          return [{ type: 'NumberBlockActivated', blockId, activatedAt: now() }];
        }
        if (portingDate === undefined) {
          throw new NumbersError(
            NumbersErrorCode.PortingDateRequired,
            `block ${blockId} is a port-in; give the porting date agreed with the current provider (YYYY-MM-DD)`,
          );
        }
        return [
          {
            type: 'NumberBlockPortingScheduled',
            blockId,
            portingDate: validPortingDate(portingDate),
          },
        ];
      }
      case 'porting': {
        const { blockId } = state.block;
        if (portingDate !== undefined) {
          if (portingDate === state.portingDate) return [];
          return [
            {
              type: 'NumberBlockPortingScheduled',
              blockId,
              portingDate: validPortingDate(portingDate),
            },
          ];
        }
        if (today() < state.portingDate) {
          throw new NumbersError(
            NumbersErrorCode.PortingDateNotReached,
            `block ${blockId} ports on ${state.portingDate}; it can be activated from that date (today is ${today()})`,
          );
        }
        return [{ type: 'NumberBlockActivated', blockId, activatedAt: now() }];
      }
      case 'active':
        throw new NumbersError(
          NumbersErrorCode.InvalidOrderState,
          `the order of block ${state.block.blockId} is already complete`,
        );
      case 'cancelled':
        throw new NumbersError(
          NumbersErrorCode.InvalidOrderState,
          `the order of block ${state.block.blockId} was cancelled; place a new order instead`,
        );
      case 'split':
        throw new NumbersError(
          NumbersErrorCode.InvalidOrderState,
          `block ${state.block.blockId} was split; its parts have orders of their own`,
        );
      default:
        return assertNever(state);
    }
  }

  function cancelOrder(state: NumberBlockState): NumberBlockEvent[] {
    switch (state.status) {
      case 'absent':
        throw notFound();
      case 'cancelled':
        // Already where the command wants it: a repeated cancel changes nothing.
        return [];
      case 'split':
        throw new NumbersError(
          NumbersErrorCode.InvalidOrderState,
          `block ${state.block.blockId} was split; cancel its parts instead`,
          { parts: state.parts },
        );
      case 'active':
        if (state.assignments.size > 0) {
          const numbers = [...state.assignments.keys()].sort();
          throw new NumbersError(
            NumbersErrorCode.BlockHasAssignments,
            `block ${state.block.blockId} has ${numbers.length} assigned number(s) (${numbers.slice(0, 3).join(', ')}${numbers.length > 3 ? ', ...' : ''}); unassign them before cancelling`,
            { assigned: numbers },
          );
        }
        return [{ type: 'NumberBlockCancelled', blockId: state.block.blockId, cancelledAt: now() }];
      case 'requested':
      case 'porting':
        return [{ type: 'NumberBlockCancelled', blockId: state.block.blockId, cancelledAt: now() }];
      default:
        return assertNever(state);
    }
  }

  function splitBlock(
    command: Extract<NumberBlockCommand, { type: 'SplitBlock' }>,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    if (state.status === 'absent') throw notFound();
    if (state.status !== 'active') {
      throw new NumbersError(
        NumbersErrorCode.InvalidOrderState,
        `only an active block can be split; block ${state.block.blockId} is ${state.status}`,
      );
    }
    const { block } = state;
    const partSize = validSplitParts(block, command.parts);
    const references = command.orderReferences;
    if (references !== undefined && references.length !== command.parts) {
      throw new NumbersError(
        NumbersErrorCode.InvalidSplit,
        `give one order reference per block (${command.parts}), or none; got ${references.length}`,
      );
    }
    const base = block.orderReference || block.blockId;
    const parts: NumberBlockPart[] = [];
    for (let i = 0; i < command.parts; i += 1) {
      const range = { firstNumber: numberAt(block, i * partSize), size: partSize };
      parts.push({
        blockId: numberBlockStreamId(range.firstNumber, partSize),
        firstNumber: range.firstNumber,
        size: partSize,
        orderReference:
          references !== undefined
            ? printable(references[i], 'an order reference')
            : `${base}/${i + 1}`,
        assignments: sortedAssignments(
          [...state.assignments]
            .filter(([number]) => containsNumber(range, number))
            .map(([number, target]) => ({ number, target })),
        ),
      });
    }
    return [{ type: 'NumberBlockSplit', blockId: block.blockId, parts, splitAt: now() }];
  }

  function createSplitPart(
    command: Extract<NumberBlockCommand, { type: 'CreateSplitPart' }>,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    const { part } = command;
    if (state.status === 'active' && state.block.parentBlockId === command.parentBlockId) {
      return []; // the reactor delivered the same part again
    }
    if (state.status !== 'absent' && state.status !== 'cancelled') {
      throw new NumbersError(
        NumbersErrorCode.BlockAlreadyExists,
        `block ${part.blockId} already exists and is ${state.status}`,
      );
    }
    if (
      part.blockId !== numberBlockStreamId(part.firstNumber, part.size) ||
      part.assignments.some((a) => !containsNumber(part, a.number))
    ) {
      throw new NumbersError(
        NumbersErrorCode.InvalidRequest,
        `part ${part.blockId} does not match its numbers or assignments`,
      );
    }
    return [
      {
        type: 'NumberBlockSplitPartCreated',
        blockId: part.blockId,
        parentBlockId: command.parentBlockId,
        tenantId: command.tenantId,
        numberKind: command.numberKind,
        country: command.country,
        firstNumber: part.firstNumber,
        size: part.size,
        assignmentLetter: command.assignmentLetter,
        orderReference: part.orderReference,
        assignments: sortedAssignments(part.assignments),
        createdAt: now(),
      },
    ];
  }

  function assignNumber(
    command: Extract<NumberBlockCommand, { type: 'AssignNumber' }>,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    if (state.status === 'absent') throw notFound();
    if (state.status !== 'active') throw notActive(state, 'assign numbers');
    const number = numberOfBlock(state.block, command.number);
    const target = validTarget(command.target);
    const holder = state.assignments.get(number);
    if (holder) {
      if (sameTarget(holder, target)) return [];
      throw new NumbersError(
        NumbersErrorCode.NumberAlreadyAssigned,
        `${number} is already assigned to ${describeTarget(holder)}; unassign it there first`,
        { number, holder },
      );
    }
    return [{ type: 'NumberAssigned', blockId: state.block.blockId, number, target }];
  }

  function unassignNumber(
    command: Extract<NumberBlockCommand, { type: 'UnassignNumber' }>,
    state: NumberBlockState,
  ): NumberBlockEvent[] {
    if (state.status === 'absent') throw notFound();
    if (state.status !== 'active') throw notActive(state, 'unassign numbers');
    const number = numberOfBlock(state.block, command.number);
    const holder = state.assignments.get(number);
    // Unassigning a free number is a no-op, like assigning to the current holder: the outcome the
    // command asks for ("this number is free") already holds, and retries stay harmless.
    if (!holder) return [];
    return [{ type: 'NumberUnassigned', blockId: state.block.blockId, number, target: holder }];
  }

  function decide(
    command: NumberBlockCommand,
    state: NumberBlockState,
  ): readonly NumberBlockEvent[] {
    switch (command.type) {
      case 'OrderBlock':
        return orderBlock(command, state);
      case 'CompleteOrder':
        return completeOrder(command.portingDate, state);
      case 'CancelOrder':
        return cancelOrder(state);
      case 'SplitBlock':
        return splitBlock(command, state);
      case 'CreateSplitPart':
        return createSplitPart(command, state);
      case 'AssignNumber':
        return assignNumber(command, state);
      case 'UnassignNumber':
        return unassignNumber(command, state);
      default:
        return assertNever(command);
    }
  }

  return { initialState: initialNumberBlockState, decide, evolve: evolveNumberBlock };
}
