import { STREAM_DOES_NOT_EXIST, type EventStore, type StoredEvent } from '@pbx/events';
import { canAccess, type Principal } from '@pbx/platform';
import { numberBlockEventCodec } from '../adapters/events/number-block-event.codec';
import type { OrderKind } from '../domain/block-rules';
import type { NumberBlockEvent, NumberBlockState } from '../domain/number-block/number-block';
import {
  createNumberBlockDecider,
  type Clock,
  type NumberBlockCommand,
} from '../domain/number-block/number-block.decider';
import { NumbersError, NumbersErrorCode } from '../domain/numbers.error';
import { retryOnConflict } from './conflicts';

/** How the block's numbers came: its last order, or the split of a larger block. */
export type BlockOrigin = OrderKind | 'split';

export interface LoadedBlock {
  readonly blockId: string;
  readonly state: NumberBlockState;
  /** Stream version: 0 when the stream has no events; the ETag of the block. */
  readonly version: number;
  readonly origin: BlockOrigin | undefined;
  /** The newest stored event, e.g. the cancellation of a cancelled block. */
  readonly last: StoredEvent | undefined;
  /** The stream's events, oldest first. */
  readonly events: readonly NumberBlockEvent[];
}

export type ExistingBlock = LoadedBlock & {
  readonly state: Exclude<NumberBlockState, { status: 'absent' }>;
};

export interface ChangedBlock {
  readonly before: ExistingBlock;
  readonly after: LoadedBlock;
  readonly newEvents: readonly NumberBlockEvent[];
  readonly stored: readonly StoredEvent[];
}

const BLOCK_ID = /^numberblock-[1-9][0-9]{1,14}-[1-9][0-9]{0,4}$/;

export function notFound(blockId: string): NumbersError {
  return new NumbersError(
    NumbersErrorCode.BlockNotFound,
    `no number block ${blockId.slice(0, 40)}`,
  );
}

/** Folds one block's stream; with the store's versions, so writes can pin what they read. */
export class NumberBlockRepository {
  readonly #decider;

  constructor(
    private readonly store: EventStore,
    clock: Clock,
  ) {
    this.#decider = createNumberBlockDecider(clock);
  }

  /** The block as it is, or as it was right after the event `untilEventId` when given. */
  async load(blockId: string, untilEventId?: string): Promise<LoadedBlock> {
    if (!BLOCK_ID.test(blockId)) {
      return {
        blockId,
        state: { status: 'absent' },
        version: 0,
        origin: undefined,
        last: undefined,
        events: [],
      };
    }
    const stream = await this.store.readStream(blockId);
    const end = untilEventId === undefined ? -1 : stream.findIndex((e) => e.id === untilEventId);
    const history = end < 0 ? stream : stream.slice(0, end + 1);
    let state = this.#decider.initialState;
    let origin: BlockOrigin | undefined;
    const events = history.map((stored) => numberBlockEventCodec.decode(stored.type, stored.data));
    for (const event of events) {
      if (event.type === 'NumberBlockOrdered') origin = event.orderKind;
      if (event.type === 'NumberBlockSplitPartCreated') origin = 'split';
      state = this.#decider.evolve(state, event);
    }
    return { blockId, state, version: history.length, origin, last: history.at(-1), events };
  }

  /**
   * The block if it exists and the caller may see its tenant. Another tenant's block is "not
   * found", exactly like a block that does not exist: the answer tells nothing about it.
   */
  async findFor(principal: Principal, blockId: string): Promise<ExistingBlock> {
    const loaded = await this.load(blockId);
    if (!isExisting(loaded) || !canAccess(principal, loaded.state.block.tenantId)) {
      throw notFound(blockId);
    }
    return loaded;
  }

  /**
   * Decides `command` on the block and appends with the version it read. With `expectedVersion`
   * (If-Match) a block changed since is refused; without, a lost race is decided again.
   * `guard` sees the block first and may refuse (e.g. the caller's access).
   */
  async change(
    blockId: string,
    command: NumberBlockCommand,
    options: { expectedVersion?: number; guard?: (block: ExistingBlock) => void } = {},
  ): Promise<ChangedBlock> {
    return retryOnConflict(options.expectedVersion === undefined ? 3 : 1, async () => {
      const before = await this.load(blockId);
      if (!isExisting(before)) throw notFound(blockId);
      options.guard?.(before);
      if (options.expectedVersion !== undefined && options.expectedVersion !== before.version) {
        throw new NumbersError(
          NumbersErrorCode.VersionConflict,
          `block ${blockId} is at version ${before.version}, not ${options.expectedVersion} (If-Match); read it again`,
        );
      }
      const newEvents = this.#decider.decide(command, before.state);
      if (newEvents.length === 0) return { before, after: before, newEvents, stored: [] };
      const tenant = before.state.block.tenantId;
      const result = await this.store.append(
        blockId,
        newEvents.map((event) => ({ ...numberBlockEventCodec.encode(event), tenant })),
        before.version === 0 ? STREAM_DOES_NOT_EXIST : before.version,
      );
      let state: NumberBlockState = before.state;
      let origin = before.origin;
      for (const event of newEvents) {
        state = this.#decider.evolve(state, event);
        if (event.type === 'NumberBlockOrdered') origin = event.orderKind;
      }
      const after: LoadedBlock = {
        blockId,
        state,
        version: result.nextExpectedVersion,
        origin,
        last: result.events.at(-1),
        events: [...before.events, ...newEvents],
      };
      return { before, after, newEvents, stored: result.events };
    });
  }

  /** Decides without writing: what `command` would append to the block as it is now. */
  decide(command: NumberBlockCommand, state: NumberBlockState): readonly NumberBlockEvent[] {
    return this.#decider.decide(command, state);
  }
}

export function isExisting(block: LoadedBlock): block is ExistingBlock {
  return block.state.status !== 'absent';
}
