import { NumbersErrorCode } from '../../../domain/numbers.error';
import { codeOf, numbersFixture, OPERATOR, orderOf } from '../../numbers.spec-helper';
import { AssignNumberCommand } from '../assign-number/assign-number.command';
import { CompleteOrderCommand } from '../complete-order/complete-order.command';
import { UnassignNumberCommand } from '../unassign-number/unassign-number.command';
import { CancelOrderCommand } from './cancel-order.command';

const BLOCK = 'numberblock-31201234500-100';

describe(CancelOrderCommand.name, () => {
  it('takes no body, or an empty one', () => {
    expect(CancelOrderCommand.create(BLOCK, undefined).blockId).toBe(BLOCK);
    expect(CancelOrderCommand.create(BLOCK, {}, 2).expectedVersion).toBe(2);
    expect(() => CancelOrderCommand.create(BLOCK, { force: true })).toThrow(
      expect.objectContaining({ code: NumbersErrorCode.InvalidRequest }),
    );
  });
});

describe('CancelOrderUseCase', () => {
  it('cancels and releases the numbers, once however often it is repeated', async () => {
    const { order, cancel, store } = numbersFixture();
    await order.execute(orderOf());
    expect((await cancel.execute(CancelOrderCommand.create(BLOCK, {}))).state).toBe('cancelled');
    expect((await cancel.execute(CancelOrderCommand.create(BLOCK, {}))).version).toBe(2);
    const inventory = await store.readStream('numberinventory-31');
    expect(inventory.map((e) => e.type)).toEqual([
      'pbx.numbers.v1.NumberBlockReserved',
      'pbx.numbers.v1.NumberBlockReleased',
    ]);
    expect((await order.execute(orderOf({ tenantId: 'other' }))).version).toBe(3);
  });

  it('releases on a repeated cancel what a failed request did not', async () => {
    const { order, cancel, store } = numbersFixture();
    await order.execute(orderOf());
    store.failNextAppendTo('numberinventory-31');
    await expect(cancel.execute(CancelOrderCommand.create(BLOCK, {}))).rejects.toThrow();
    expect(await codeOf(order.execute(orderOf({ tenantId: 'other' })))).toBe(
      NumbersErrorCode.BlockOverlaps,
    );
    await cancel.execute(CancelOrderCommand.create(BLOCK, {}));
    expect((await order.execute(orderOf({ tenantId: 'other' }))).tenantId).toBe('other');
  });

  it('refuses to cancel a block with assigned numbers, and a stale If-Match', async () => {
    const { order, complete, cancel, assign, unassign } = numbersFixture();
    await order.execute(orderOf());
    await complete.execute(CompleteOrderCommand.create(BLOCK, {}));
    await assign.execute(
      OPERATOR,
      AssignNumberCommand.create(BLOCK, {
        number: '+31201234501',
        target: { type: 'group', groupId: 'main' },
      }),
    );
    expect(await codeOf(cancel.execute(CancelOrderCommand.create(BLOCK, {})))).toBe(
      NumbersErrorCode.BlockHasAssignments,
    );
    await unassign.execute(OPERATOR, UnassignNumberCommand.create(BLOCK, '31201234501'));
    expect(await codeOf(cancel.execute(CancelOrderCommand.create(BLOCK, {}, 3)))).toBe(
      NumbersErrorCode.VersionConflict,
    );
    expect((await cancel.execute(CancelOrderCommand.create(BLOCK, {}, 4))).state).toBe('cancelled');
  });
});
