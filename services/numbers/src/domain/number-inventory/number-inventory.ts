import type { NumberBlockEvent } from '../number-block/number-block';
import { assertNever } from '../number-block/number-block';
import { overlaps, subtractRange, type NumberRange } from '../number-range';

export type NumberBlockOrderedEvent = Extract<NumberBlockEvent, { type: 'NumberBlockOrdered' }>;

/**
 * The inventory of one country calling code: which numbers orders hold. Two orders never hold a
 * common number, because every order is decided here, against every reservation of its calling
 * code, and appended with the version it was decided on: of two concurrent decisions only the
 * first append commits, the other is decided again on the state that includes the first.
 */
export type NumberInventoryEvent =
  | {
      /** An order reserved its block's numbers; `order` is the block's next event. */
      readonly type: 'NumberBlockReserved';
      readonly callingCode: string;
      /** The block stream's version when the order was decided; the order becomes version + 1. */
      readonly blockVersion: number;
      readonly order: NumberBlockOrderedEvent;
    }
  | {
      /** A cancelled block's numbers went back: its reservation, or its share of its parent's. */
      readonly type: 'NumberBlockReleased';
      readonly callingCode: string;
      readonly blockId: string;
      readonly tenantId: string;
      readonly firstNumber: string;
      readonly size: number;
      /** The NumberBlockCancelled event that released them; each cancellation releases once. */
      readonly cancellationEventId: string;
      readonly releasedAt: string;
    };

export interface InventoryReservation {
  /** The block whose order reserved the numbers; its split parts hold them under this entry. */
  readonly blockId: string;
  readonly tenantId: string;
  readonly blockVersion: number;
  /** What is still held: the block's range less the parts cancelled since it was split. */
  readonly held: readonly NumberRange[];
}

export interface NumberInventoryState {
  /** By the id of the block that made the reservation. */
  readonly reservations: ReadonlyMap<string, InventoryReservation>;
  /** Ids of the cancellations already released, so that a repeated release changes nothing. */
  readonly releasedCancellations: ReadonlySet<string>;
}

export const initialNumberInventoryState: NumberInventoryState = {
  reservations: new Map(),
  releasedCancellations: new Set(),
};

/**
 * Released numbers leave every reservation that holds them. Only the cancelled block's own
 * reservation, or the one of a block it was split from, can hold them: a release happens before
 * the numbers can be reserved by anyone else.
 */
function release(
  reservations: ReadonlyMap<string, InventoryReservation>,
  range: NumberRange,
): Map<string, InventoryReservation> {
  const next = new Map<string, InventoryReservation>();
  for (const [blockId, reservation] of reservations) {
    if (!reservation.held.some((r) => overlaps(r, range))) {
      next.set(blockId, reservation);
      continue;
    }
    const held = reservation.held.flatMap((r) => subtractRange(r, range));
    if (held.length > 0) next.set(blockId, { ...reservation, held });
  }
  return next;
}

export function evolveNumberInventory(
  state: NumberInventoryState,
  event: NumberInventoryEvent,
): NumberInventoryState {
  switch (event.type) {
    case 'NumberBlockReserved': {
      const { order } = event;
      const reservations = new Map(state.reservations);
      reservations.set(order.blockId, {
        blockId: order.blockId,
        tenantId: order.tenantId,
        blockVersion: event.blockVersion,
        held: [{ firstNumber: order.firstNumber, size: order.size }],
      });
      return { ...state, reservations };
    }
    case 'NumberBlockReleased':
      return {
        reservations: release(state.reservations, event),
        releasedCancellations: new Set(state.releasedCancellations).add(event.cancellationEventId),
      };
    default:
      return assertNever(event);
  }
}

/** One inventory stream per country calling code: `numberinventory-31` for +31. */
export function numberInventoryStreamId(callingCode: string): string {
  return `numberinventory-${callingCode}`;
}

/** The reservation holding any of `range`'s numbers, with the part of it that overlaps. */
export function reservationOverlapping(
  state: NumberInventoryState,
  range: NumberRange,
): { reservation: InventoryReservation; held: NumberRange } | undefined {
  for (const reservation of state.reservations.values()) {
    for (const held of reservation.held) {
      if (overlaps(range, held)) return { reservation, held };
    }
  }
  return undefined;
}
