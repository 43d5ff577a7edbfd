import { NumbersErrorCode } from '../../../domain/numbers.error';
import { codeOf, numbersFixture, OPERATOR, orderOf } from '../../numbers.spec-helper';
import { AssignNumberCommand } from '../assign-number/assign-number.command';
import { CancelOrderCommand } from '../cancel-order/cancel-order.command';
import { CompleteOrderCommand } from '../complete-order/complete-order.command';
import { SplitBlockCommand } from './split-block.command';

const BLOCK = 'numberblock-31201234000-1000';
const part = (i: number): string => `numberblock-3120123${4000 + i * 100}-100`;

async function activeThousand() {
  const fixture = numbersFixture();
  await fixture.order.execute(
    orderOf({ first: '+31201234000', size: 1000, orderReference: 'ORD' }),
  );
  await fixture.complete.execute(CompleteOrderCommand.create(BLOCK, {}));
  return fixture;
}

describe(SplitBlockCommand.name, () => {
  it('takes a number of parts and optional references', () => {
    expect(SplitBlockCommand.create(BLOCK, { parts: 10 }, 3)).toMatchObject({
      blockId: BLOCK,
      parts: 10,
      orderReferences: undefined,
      expectedVersion: 3,
    });
  });

  it.each([{}, { parts: '10' }, { parts: 10, extra: true }, { parts: 1 }])('refuses %p', (body) => {
    expect(() => SplitBlockCommand.create(BLOCK, body)).toThrow(
      expect.objectContaining({ code: NumbersErrorCode.InvalidRequest }),
    );
  });
});

describe('SplitBlockUseCase', () => {
  it('splits an active block into parts with their own orders and the assignments', async () => {
    const { split, assign } = await activeThousand();
    await assign.execute(
      OPERATOR,
      AssignNumberCommand.create(BLOCK, {
        number: '+31201234321',
        target: { type: 'user', groupId: 'main', id: '201' },
      }),
    );
    const result = await split.execute(SplitBlockCommand.create(BLOCK, { parts: 10 }));
    expect(result.block).toMatchObject({ state: 'split', parts: [...Array(10).keys()].map(part) });
    expect(result.parts).toHaveLength(10);
    expect(result.parts[3]).toMatchObject({
      id: part(3),
      state: 'active',
      orderKind: 'split',
      parentBlockId: BLOCK,
      orderReference: 'ORD/4',
      range: { first: '+31201234300', last: '+31201234399', size: 100 },
      assignments: 1,
    });
  });

  it("keeps the parts inside the parent's reservation; cancelling one frees only its numbers", async () => {
    const { split, cancel, order, store } = await activeThousand();
    await split.execute(SplitBlockCommand.create(BLOCK, { parts: 10 }));
    const inventory = await store.readStream('numberinventory-31');
    expect(inventory).toHaveLength(1);

    await cancel.execute(CancelOrderCommand.create(part(2), undefined));
    expect(
      await codeOf(order.execute(orderOf({ first: '+31201234310', size: 10, tenantId: 'other' }))),
    ).toBe(NumbersErrorCode.BlockOverlaps);
    const again = await order.execute(orderOf({ first: '+31201234200', tenantId: 'other' }));
    expect(again).toMatchObject({ id: part(2), tenantId: 'other', state: 'requested' });
  });

  it('creates parts a failed request left out, once, and never brings back a cancelled part', async () => {
    const { split, cancel, store, workflow } = await activeThousand();
    store.failNextAppendTo(part(5));
    await expect(split.execute(SplitBlockCommand.create(BLOCK, { parts: 10 }))).rejects.toThrow();
    expect(await store.readStream(part(5))).toEqual([]);

    const parent = await workflow.blocks.load(BLOCK);
    const splitEvent = parent.events.at(-1);
    if (parent.state.status !== 'split' || splitEvent?.type !== 'NumberBlockSplit') {
      throw new Error('not split');
    }
    await workflow.createSplitParts(parent.state.block, splitEvent);
    expect(await store.readStream(part(5))).toHaveLength(1);

    await cancel.execute(CancelOrderCommand.create(part(5), {}));
    await workflow.createSplitParts(parent.state.block, splitEvent);
    expect((await workflow.blocks.load(part(5))).state.status).toBe('cancelled');
    expect((await store.readStream(part(0))).map((e) => e.type)).toEqual([
      'pbx.numbers.v1.NumberBlockSplitPartCreated',
    ]);
  });

  it('refuses to split a block that is not active', async () => {
    const { order, split } = numbersFixture();
    await order.execute(orderOf());
    expect(
      await codeOf(
        split.execute(SplitBlockCommand.create('numberblock-31201234500-100', { parts: 10 })),
      ),
    ).toBe(NumbersErrorCode.InvalidOrderState);
  });
});
