import type { EntityManager } from 'typeorm';
import { PostgresEventStore, type EventEnvelope, type Projection } from '@pbx/events';
import { CONSUMER_GROUPS, TOPICS } from '@pbx/proto';
import { BlockWorkflow } from '../../application/block-workflow';
import { isExisting } from '../../application/number-block-repository';
import { NumbersError, NumbersErrorCode } from '../../domain/numbers.error';
import { numberBlockEventCodec } from '../events/number-block-event.codec';
import { numberInventoryEventCodec } from '../events/number-inventory-event.codec';

const RESERVED = 'pbx.numbers.v1.NumberBlockReserved';
const SPLIT = 'pbx.numbers.v1.NumberBlockSplit';
const CANCELLED = 'pbx.numbers.v1.NumberBlockCancelled';

/**
 * Carries out what a committed event implies on other streams, should the request that wrote it
 * have stopped short (a crash, a lost connection): a reservation's order is written to its
 * block, a split's parts are created, a cancellation's numbers are released. The request does
 * the same at once; both are idempotent (see BlockWorkflow), so whichever comes second finds
 * the work done.
 *
 * It runs as a projection, for the delivery it needs: each event at least once, after commit,
 * with a checkpoint; it keeps no read model of its own (a rebuild replays the log and finds
 * everything done). It writes through the store, not `tx`: its writes commit on their own.
 */
export function numberInventoryReactor(clock: () => Date = () => new Date()): Projection {
  return {
    name: CONSUMER_GROUPS.numbersInventoryReactor,
    topics: [TOPICS.numbers],

    async apply(envelope: EventEnvelope, tx: EntityManager): Promise<void> {
      if (envelope.type !== RESERVED && envelope.type !== SPLIT && envelope.type !== CANCELLED) {
        return;
      }
      const workflow = new BlockWorkflow(
        new PostgresEventStore(tx.connection, '/pbx/numbers'),
        clock,
      );
      try {
        await react(workflow, envelope);
      } catch (error) {
        // A refusal means the streams moved on past what the event implied (e.g. a part that
        // was cancelled since): retrying cannot change that. Anything else (a busy inventory,
        // the store unreachable) fails the delivery, which is then retried.
        if (error instanceof NumbersError && error.code !== NumbersErrorCode.InventoryBusy) return;
        throw error;
      }
    },

    async reset(): Promise<void> {
      // No read model: its effects live in the event store.
    },
  };
}

async function react(workflow: BlockWorkflow, envelope: EventEnvelope): Promise<void> {
  if (envelope.type === RESERVED) {
    const event = numberInventoryEventCodec.decode(envelope.type, envelope.data);
    if (event.type === 'NumberBlockReserved') await workflow.writeReservedOrder(envelope.id, event);
    return;
  }
  const event = numberBlockEventCodec.decode(envelope.type, envelope.data);
  // As the block was then: a cancelled block may have been ordered again since (by a port).
  const block = await workflow.blocks.load(event.blockId, envelope.id);
  if (!isExisting(block)) return;
  if (event.type === 'NumberBlockSplit') {
    await workflow.createSplitParts(block.state.block, event);
  } else if (event.type === 'NumberBlockCancelled') {
    await workflow.releaseCancelled(block.state.block, envelope.id);
  }
}
