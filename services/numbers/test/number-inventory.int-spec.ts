import type { DataSource } from 'typeorm';
import {
  EventStoreSchema1764028800000,
  PostgresEventStore,
  toBusMessage,
  type StoredEvent,
} from '@pbx/events';
import { createTestDatabase, openTestDataSource, type TestDatabase } from '@pbx/testing';
import { numberInventoryReactor } from '../src/adapters/reactors/number-inventory.reactor';
import { BlockWorkflow } from '../src/application/block-workflow';
import { OrderBlockCommand } from '../src/application/usecases/order-block/order-block.command';
import { OrderBlockUseCase } from '../src/application/usecases/order-block/order-block.usecase';
import { NumbersError, NumbersErrorCode } from '../src/domain/numbers.error';

const clock = (): Date => new Date('2025-03-10T09:00:00.000Z');
const orderOf = (first: string, size: number, tenantId = 'acme'): OrderBlockCommand =>
  OrderBlockCommand.create({ tenantId, kind: 'new', first, size });

describe('the number inventory on PostgreSQL', () => {
  let database: TestDatabase;
  let processA: DataSource;
  let processB: DataSource;
  let workflow: BlockWorkflow;

  beforeAll(async () => {
    database = await createTestDatabase();
    processA = await openTestDataSource(database.url, [EventStoreSchema1764028800000]);
    processB = await openTestDataSource(database.url, []);
    workflow = new BlockWorkflow(new PostgresEventStore(processA, '/pbx/numbers'), clock);
  });
  afterAll(async () => {
    await processA?.destroy();
    await processB?.destroy();
    await database?.drop();
  });

  const react = (stored: StoredEvent): Promise<void> =>
    processA.transaction((tx) =>
      numberInventoryReactor(clock).apply(toBusMessage(stored).event, tx),
    );

  it('lets exactly one of two orders of overlapping numbers from two processes commit', async () => {
    const orderA = new OrderBlockUseCase(workflow);
    const orderB = new OrderBlockUseCase(
      new BlockWorkflow(new PostgresEventStore(processB, '/pbx/numbers'), clock),
    );
    for (let round = 0; round < 20; round += 1) {
      const first = `+313020${String(round).padStart(2, '0')}000`;
      const outcomes = await Promise.allSettled([
        orderA.execute(orderOf(first, 1000)),
        orderB.execute(orderOf(`${first.slice(0, 9)}300`, 100, 'other')),
      ]);
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(refused).toHaveLength(1);
      const reason = (refused[0] as PromiseRejectedResult).reason as NumbersError;
      expect(reason).toBeInstanceOf(NumbersError);
      expect(reason.code).toBe(NumbersErrorCode.BlockOverlaps);
    }
    const { state } = await workflow.loadInventory('31');
    expect(state.reservations.size).toBe(20);
  });

  it("writes a reservation's order that the request did not get to, once", async () => {
    const { blocks } = workflow;
    const [order] = blocks.decide(
      {
        type: 'OrderBlock',
        orderKind: 'new',
        tenantId: 'acme',
        firstNumber: '+31201234500',
        size: 100,
        country: 'NL',
      },
      { status: 'absent' },
    );
    if (order?.type !== 'NumberBlockOrdered') throw new Error('no order');
    // The request commits the reservation and stops there.
    const [reservation] = await workflow.changeInventory('31', 'acme', [
      { type: 'ReserveBlock', callingCode: '31', blockVersion: 0, order },
    ]);
    expect((await blocks.load(order.blockId)).state.status).toBe('absent');

    await Promise.all([react(reservation), react(reservation)]);
    await react(reservation);
    const block = await blocks.load(order.blockId);
    expect(block.version).toBe(1);
    expect(block.state).toMatchObject({ status: 'requested', block: { tenantId: 'acme' } });
  });

  it("creates a split's parts and releases a cancellation that the requests left undone", async () => {
    const { blocks } = workflow;
    const parent = 'numberblock-31201235000-100';
    await new OrderBlockUseCase(workflow).execute(orderOf('+31201235000', 100));
    await blocks.change(parent, { type: 'CompleteOrder' });
    const { stored: split } = await blocks.change(parent, { type: 'SplitBlock', parts: 10 });
    await react(split[0]);
    await react(split[0]);
    const part = await blocks.load('numberblock-31201235030-10');
    expect(part.state).toMatchObject({ status: 'active', block: { parentBlockId: parent } });

    const { stored: cancel } = await blocks.change(part.blockId, { type: 'CancelOrder' });
    const overlap = new OrderBlockUseCase(workflow).execute(orderOf('+31201235030', 10, 'other'));
    await expect(overlap).rejects.toMatchObject({ code: NumbersErrorCode.BlockOverlaps });
    await react(cancel[0]);
    await react(cancel[0]);
    // The cancelled part stays cancelled when the split is replayed.
    await react(split[0]);
    expect((await blocks.load(part.blockId)).state.status).toBe('cancelled');
    const again = await new OrderBlockUseCase(workflow).execute(
      orderOf('+31201235030', 10, 'other'),
    );
    expect(again).toMatchObject({ tenantId: 'other', state: 'requested', version: 3 });
    const released = (await workflow.loadInventory('31')).state.releasedCancellations;
    expect([...released]).toEqual([cancel[0].id]);
  });
});
