import { createHash } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST, type EventStore, type StoredEvent } from '@pbx/events';
import { numberBlockEventCodec } from '../adapters/events/number-block-event.codec';
import { numberInventoryEventCodec } from '../adapters/events/number-inventory-event.codec';
import { countryCapabilities } from '../domain/country-table';
import type { NumberBlockEvent, NumberBlockInfo } from '../domain/number-block/number-block';
import { type Clock } from '../domain/number-block/number-block.decider';
import {
  createNumberInventoryDecider,
  type NumberInventoryCommand,
} from '../domain/number-inventory/number-inventory.decider';
import {
  numberInventoryStreamId,
  type NumberBlockOrderedEvent,
  type NumberInventoryEvent,
  type NumberInventoryState,
} from '../domain/number-inventory/number-inventory';
import { NumbersError, NumbersErrorCode } from '../domain/numbers.error';
import { isVersionConflict, retryOnConflict } from './conflicts';
import { NumberBlockRepository } from './number-block-repository';

type SplitEvent = Extract<NumberBlockEvent, { type: 'NumberBlockSplit' }>;
type ReservedEvent = Extract<NumberInventoryEvent, { type: 'NumberBlockReserved' }>;

/** The calling code whose inventory holds a country's numbers ("31" for NL). */
export function callingCodeOf(country: string): string {
  const entry = countryCapabilities(country);
  if (!entry) throw new TypeError(`no calling code for country ${country}`);
  return entry.callingCode;
}

/**
 * A second event id that follows from a first one (a name-based UUID). Both writers of a
 * follow-up (the request and the reactor) give its event the same id, so the store can hold it
 * once only, and the block's order event names the reservation it came from.
 */
export function derivedEventId(from: string, purpose: string): string {
  const hash = createHash('sha256').update(`${from}/${purpose}`).digest().subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The steps of the number block lifecycle that span streams. Each step's first write is the
 * commit point, and every later write follows from it alone and is idempotent, so the request
 * that started it and the reactor that replays it can both run it, in any order, any number of
 * times: nothing is ever compensated.
 *
 * - An order commits with NumberBlockReserved on the inventory stream; the block's order event
 *   is then written at the block version the reservation names, under an id derived from it.
 * - A split commits with NumberBlockSplit on the parent; each part is created once.
 * - A cancellation commits with NumberBlockCancelled; the inventory releases once per
 *   cancellation (it keeps the ids of the cancellations it released).
 */
export class BlockWorkflow {
  readonly blocks: NumberBlockRepository;
  readonly #inventory;

  constructor(
    private readonly store: EventStore,
    clock: Clock,
  ) {
    this.blocks = new NumberBlockRepository(store, clock);
    this.#inventory = createNumberInventoryDecider(clock);
  }

  async loadInventory(
    callingCode: string,
  ): Promise<{ state: NumberInventoryState; version: number }> {
    const history = await this.store.readStream(numberInventoryStreamId(callingCode));
    let state = this.#inventory.initialState;
    for (const stored of history) {
      state = this.#inventory.evolve(
        state,
        numberInventoryEventCodec.decode(stored.type, stored.data),
      );
    }
    return { state, version: history.length };
  }

  /**
   * Decides the commands one after the other on the inventory and appends what they decided in
   * one append, with the version read: all or nothing, and only if nobody changed the inventory
   * meanwhile (a WrongExpectedVersion otherwise; the caller decides again).
   */
  async changeInventory(
    callingCode: string,
    tenant: string,
    commands: readonly NumberInventoryCommand[],
  ): Promise<readonly StoredEvent[]> {
    const { state, version } = await this.loadInventory(callingCode);
    let current = state;
    const events: NumberInventoryEvent[] = [];
    for (const command of commands) {
      for (const event of this.#inventory.decide(command, current)) {
        events.push(event);
        current = this.#inventory.evolve(current, event);
      }
    }
    if (events.length === 0) return [];
    const result = await this.store.append(
      numberInventoryStreamId(callingCode),
      events.map((event) => ({ ...numberInventoryEventCodec.encode(event), tenant })),
      version === 0 ? STREAM_DOES_NOT_EXIST : version,
    );
    return result.events;
  }

  /**
   * Writes a reserved order to its block's stream, unless it is there already. The reservation
   * names the version the order was decided on; only the order can be written there (no other
   * order can hold the numbers), so finding the stream past that version means it was written.
   */
  async writeReservedOrder(reservationEventId: string, reserved: ReservedEvent): Promise<void> {
    const { order, blockVersion } = reserved;
    const written = async (): Promise<boolean> =>
      (await this.store.readStream(order.blockId, blockVersion + 1)).length > 0;
    if (await written()) return;
    try {
      await this.store.append(
        order.blockId,
        [
          {
            ...numberBlockEventCodec.encode(order),
            id: derivedEventId(reservationEventId, 'order'),
            tenant: order.tenantId,
          },
        ],
        blockVersion === 0 ? STREAM_DOES_NOT_EXIST : blockVersion,
      );
    } catch (error) {
      // The other writer of this follow-up was first.
      if (isVersionConflict(error) && (await written())) return;
      throw error;
    }
  }

  /** Creates every part of a split that does not exist yet. */
  async createSplitParts(parent: NumberBlockInfo, split: SplitEvent): Promise<void> {
    for (const part of split.parts) {
      await retryOnConflict(5, async () => {
        const loaded = await this.blocks.load(part.blockId);
        // A part is created once: after that it lives its own life (and may be cancelled).
        const created = loaded.events.some(
          (e) => e.type === 'NumberBlockSplitPartCreated' && e.parentBlockId === split.blockId,
        );
        if (created) return;
        const events = this.blocks.decide(
          {
            type: 'CreateSplitPart',
            parentBlockId: split.blockId,
            tenantId: parent.tenantId,
            numberKind: parent.numberKind,
            country: parent.country,
            assignmentLetter: parent.assignmentLetter,
            part,
          },
          loaded.state,
        );
        if (events.length === 0) return;
        await this.store.append(
          part.blockId,
          events.map((event) => ({
            ...numberBlockEventCodec.encode(event),
            tenant: parent.tenantId,
          })),
          loaded.version === 0 ? STREAM_DOES_NOT_EXIST : loaded.version,
        );
      });
    }
  }

  /** Gives a cancelled block's numbers back to the inventory (once per cancellation). */
  async releaseCancelled(block: NumberBlockInfo, cancellationEventId: string): Promise<void> {
    const callingCode = callingCodeOf(block.country);
    await this.retryInventory(() =>
      this.changeInventory(callingCode, block.tenantId, [
        {
          type: 'ReleaseBlock',
          callingCode,
          blockId: block.blockId,
          tenantId: block.tenantId,
          firstNumber: block.firstNumber,
          size: block.size,
          cancellationEventId,
        },
      ]),
    );
  }

  /**
   * Reserves an order's numbers (after releasing `release` in the same append, for a block that
   * moves to a new order) and writes the order to its block. `blockVersion` is the version of the
   * block stream the order was decided on.
   */
  async reserveAndWrite(
    order: NumberBlockOrderedEvent,
    blockVersion: number,
    release?: Extract<NumberInventoryCommand, { type: 'ReleaseBlock' }>,
  ): Promise<void> {
    const callingCode = callingCodeOf(order.country);
    const stored = await this.changeInventory(callingCode, order.tenantId, [
      ...(release ? [release] : []),
      { type: 'ReserveBlock', callingCode, blockVersion, order },
    ]);
    const reservation = stored.at(-1);
    if (!reservation) throw new TypeError('a reservation appended no event');
    await this.writeReservedOrder(reservation.id, {
      type: 'NumberBlockReserved',
      callingCode,
      blockVersion,
      order,
    });
  }

  /** Inventory writes race every order of the calling code; a few rounds settle them. */
  async retryInventory<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      return await retryOnConflict(INVENTORY_ATTEMPTS, attempt);
    } catch (error) {
      if (!isVersionConflict(error)) throw error;
      throw new NumbersError(
        NumbersErrorCode.InventoryBusy,
        'the number inventory kept changing while this was decided; try again',
      );
    }
  }
}

/**
 * Rounds of an inventory decision: a lost race is decided again on the state that includes the
 * winner, where an overlap is then refused as such. Two rounds answer two racing orders; a few
 * more let a burst of orders of different numbers all go through.
 */
export const INVENTORY_ATTEMPTS = 4;
