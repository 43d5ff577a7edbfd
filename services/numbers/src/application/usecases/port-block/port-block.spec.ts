import { NumbersErrorCode } from '../../../domain/numbers.error';
import { codeOf, numbersFixture, OPERATOR, orderOf } from '../../numbers.spec-helper';
import { AssignNumberCommand } from '../assign-number/assign-number.command';
import { CompleteOrderCommand } from '../complete-order/complete-order.command';
import { SplitBlockCommand } from '../split-block/split-block.command';
import { PortBlockCommand } from './port-block.command';

const BLOCK = 'numberblock-31201234000-100';
const PART = 'numberblock-31201234020-10';

async function splitBlock() {
  const fixture = numbersFixture();
  await fixture.order.execute(orderOf({ first: '+31201234000', size: 100 }));
  await fixture.complete.execute(CompleteOrderCommand.create(BLOCK, {}));
  await fixture.split.execute(SplitBlockCommand.create(BLOCK, { parts: 10 }));
  return fixture;
}

describe(PortBlockCommand.name, () => {
  it('takes an optional tenant, porting date and references', () => {
    expect(
      PortBlockCommand.create(PART, { tenantId: 'beta', portingDate: '2025-03-20' }),
    ).toMatchObject({ blockId: PART, tenantId: 'beta', portingDate: '2025-03-20' });
    expect(() => PortBlockCommand.create(PART, { tenant: 'beta' })).toThrow(
      expect.objectContaining({ code: NumbersErrorCode.InvalidRequest }),
    );
  });
});

describe('PortBlockUseCase', () => {
  it('moves a part to a port-in of another tenant in one inventory append', async () => {
    const { port, store, workflow } = await splitBlock();
    const view = await port.execute(
      PortBlockCommand.create(PART, { tenantId: 'beta', portingDate: '2025-03-10' }),
    );
    expect(view).toMatchObject({
      id: PART,
      tenantId: 'beta',
      orderKind: 'port-in',
      state: 'porting',
      portingDate: '2025-03-10',
    });
    const inventory = await store.readStream('numberinventory-31');
    expect(inventory.map((e) => [e.type, e.version])).toEqual([
      ['pbx.numbers.v1.NumberBlockReserved', 1],
      ['pbx.numbers.v1.NumberBlockReleased', 2],
      ['pbx.numbers.v1.NumberBlockReserved', 3],
    ]);
    const { state } = await workflow.loadInventory('31');
    expect(state.reservations.get(PART)?.tenantId).toBe('beta');
    expect(state.reservations.get(BLOCK)?.held).toEqual([
      { firstNumber: '+31201234000', size: 20 },
      { firstNumber: '+31201234030', size: 70 },
    ]);
  });

  it('refuses before cancelling anything: assigned numbers, a past porting date', async () => {
    const { port, assign, workflow } = await splitBlock();
    expect(
      await codeOf(port.execute(PortBlockCommand.create(PART, { portingDate: '2025-03-09' }))),
    ).toBe(NumbersErrorCode.InvalidPortingDate);
    await assign.execute(
      OPERATOR,
      AssignNumberCommand.create(PART, {
        number: '+31201234021',
        target: { type: 'group', groupId: 'main' },
      }),
    );
    expect(await codeOf(port.execute(PortBlockCommand.create(PART, {})))).toBe(
      NumbersErrorCode.BlockHasAssignments,
    );
    expect((await workflow.blocks.load(PART)).state.status).toBe('active');
  });

  it('refuses to port a split or cancelled block', async () => {
    const { port } = await splitBlock();
    expect(await codeOf(port.execute(PortBlockCommand.create(BLOCK, {})))).toBe(
      NumbersErrorCode.InvalidOrderState,
    );
    expect(
      await codeOf(port.execute(PortBlockCommand.create('numberblock-31999999990-10', {}))),
    ).toBe(NumbersErrorCode.BlockNotFound);
  });
});
