import type { Decider } from '@pbx/events';
import type { Clock } from '../number-block/number-block.decider';
import { assertNever } from '../number-block/number-block';
import { describeRange } from '../number-range';
import { NumbersError, NumbersErrorCode } from '../numbers.error';
import {
  evolveNumberInventory,
  initialNumberInventoryState,
  reservationOverlapping,
  type NumberBlockOrderedEvent,
  type NumberInventoryEvent,
  type NumberInventoryState,
} from './number-inventory';

export type NumberInventoryCommand =
  | {
      /**
       * Reserves the numbers of an order the block's decider accepted (`order`) on the block
       * stream's version `blockVersion`. Refused when any of them is held by another order.
       */
      readonly type: 'ReserveBlock';
      readonly callingCode: string;
      readonly blockVersion: number;
      readonly order: NumberBlockOrderedEvent;
    }
  | {
      /** Gives back the numbers of a cancelled block; repeating it for one cancellation is a no-op. */
      readonly type: 'ReleaseBlock';
      readonly callingCode: string;
      readonly blockId: string;
      readonly tenantId: string;
      readonly firstNumber: string;
      readonly size: number;
      readonly cancellationEventId: string;
    };

export function createNumberInventoryDecider(
  clock: Clock,
): Decider<NumberInventoryCommand, NumberInventoryEvent, NumberInventoryState> {
  function reserve(
    command: Extract<NumberInventoryCommand, { type: 'ReserveBlock' }>,
    state: NumberInventoryState,
  ): NumberInventoryEvent[] {
    const { order } = command;
    const clash = reservationOverlapping(state, order);
    if (clash) {
      const { reservation, held } = clash;
      throw new NumbersError(
        NumbersErrorCode.BlockOverlaps,
        `${describeRange(order)} overlaps block ${reservation.blockId}, which holds ${describeRange(held)}; order numbers that no block holds`,
        { blockId: reservation.blockId },
      );
    }
    return [
      {
        type: 'NumberBlockReserved',
        callingCode: command.callingCode,
        blockVersion: command.blockVersion,
        order,
      },
    ];
  }

  function releaseBlock(
    command: Extract<NumberInventoryCommand, { type: 'ReleaseBlock' }>,
    state: NumberInventoryState,
  ): NumberInventoryEvent[] {
    if (state.releasedCancellations.has(command.cancellationEventId)) return [];
    // Nothing held (never reserved through this inventory): nothing to give back.
    if (!reservationOverlapping(state, command)) return [];
    return [
      {
        type: 'NumberBlockReleased',
        callingCode: command.callingCode,
        blockId: command.blockId,
        tenantId: command.tenantId,
        firstNumber: command.firstNumber,
        size: command.size,
        cancellationEventId: command.cancellationEventId,
        releasedAt: clock().toISOString(),
      },
    ];
  }

  function decide(
    command: NumberInventoryCommand,
    state: NumberInventoryState,
  ): readonly NumberInventoryEvent[] {
    switch (command.type) {
      case 'ReserveBlock':
        return reserve(command, state);
      case 'ReleaseBlock':
        return releaseBlock(command, state);
      default:
        return assertNever(command);
    }
  }

  return { initialState: initialNumberInventoryState, decide, evolve: evolveNumberInventory };
}
