import { numberInventoryEventCodec } from '../../../adapters/events/number-inventory-event.codec';
import { NumbersError, NumbersErrorCode } from '../../../domain/numbers.error';
import { codeOf, numbersFixture, orderOf } from '../../numbers.spec-helper';
import { OrderBlockCommand } from './order-block.command';

function refusal(fn: () => unknown): NumbersError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NumbersError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(OrderBlockCommand.name, () => {
  it('writes the first number as E.164 and finds its country', () => {
    const command = orderOf({ first: '+31 20 123 4500', orderReference: 'ORD-1' });
    expect(command).toMatchObject({
      tenantId: 'acme',
      orderKind: 'new',
      firstNumber: '+31201234500',
      size: 100,
      country: 'NL',
      orderReference: 'ORD-1',
    });
    expect(command.blockId).toBe('numberblock-31201234500-100');
    expect(orderOf({ first: '+3225000000', size: 1 }).country).toBe('BE');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['an order kind other than new or port-in', { kind: 'rent' }, 'kind'],
    ['a size that is not a whole number', { size: 10.5 }, 'size'],
    ['a size given as text', { size: '100' }, 'size'],
    ['a missing tenant', { tenantId: undefined }, 'tenantId'],
    ['a country that is not an ISO code', { country: 'Netherlands' }, 'country'],
  ])('refuses %s, naming the field', (_, fields, field) => {
    const error = refusal(() => orderOf(fields));
    expect(error.code).toBe(NumbersErrorCode.InvalidRequest);
    expect(error.message).toContain(field);
  });

  it('refuses a number in national form, and digits that are no number anywhere', () => {
    expect(refusal(() => orderOf({ first: '020 123 4500' })).code).toBe(
      NumbersErrorCode.InvalidNumber,
    );
    expect(refusal(() => orderOf({ first: '+999 1234' })).code).toBe(
      NumbersErrorCode.InvalidNumber,
    );
  });

  it('refuses a body that is no object', () => {
    expect(refusal(() => OrderBlockCommand.create('block')).code).toBe(
      NumbersErrorCode.InvalidRequest,
    );
  });
});

describe('OrderBlockUseCase', () => {
  it('reserves the numbers, then writes the order to the block', async () => {
    const { order, store } = numbersFixture();
    const view = await order.execute(orderOf({ orderReference: 'ORD-1' }));
    expect(view).toEqual({
      id: 'numberblock-31201234500-100',
      tenantId: 'acme',
      range: { first: '+31201234500', last: '+31201234599', size: 100 },
      numberKind: 'nl-regional',
      country: 'NL',
      orderKind: 'new',
      state: 'requested',
      orderReference: 'ORD-1',
      assignments: 0,
      version: 1,
    });
    const inventory = await store.readStream('numberinventory-31');
    expect(inventory.map((e) => e.type)).toEqual(['pbx.numbers.v1.NumberBlockReserved']);
  });

  it.each<[string, Record<string, unknown>, NumbersErrorCode]>([
    ['a misaligned block', { first: '+31201234510' }, NumbersErrorCode.MisalignedBlock],
    [
      'a 088 block without its letter',
      { first: '+31881230000' },
      NumbersErrorCode.AssignmentLetterRequired,
    ],
    [
      'new geographic numbers in Austria',
      { first: '+4312345600' },
      NumbersErrorCode.CapabilityNotOffered,
    ],
    ['a size not offered', { size: 50, first: '+31201234550' }, NumbersErrorCode.InvalidBlockSize],
  ])('refuses %s without touching the inventory', async (_, fields, code) => {
    const { order, store } = numbersFixture();
    expect(await codeOf(order.execute(orderOf(fields)))).toBe(code);
    expect(await store.readStream('numberinventory-31')).toEqual([]);
  });

  it('refuses numbers another block holds, also inside or around it', async () => {
    const { order } = numbersFixture();
    await order.execute(orderOf({ first: '+31201234500', size: 100 }));
    for (const fields of [
      { first: '+31201234560', size: 10 },
      { first: '+31201234567', size: 1, kind: 'port-in' },
      { first: '+31201234000', size: 1000 },
    ]) {
      expect(await codeOf(order.execute(orderOf({ ...fields, tenantId: 'other' })))).toBe(
        NumbersErrorCode.BlockOverlaps,
      );
    }
    expect(await codeOf(order.execute(orderOf()))).toBe(NumbersErrorCode.BlockAlreadyExists);
    expect((await order.execute(orderOf({ first: '+31201234600' }))).state).toBe('requested');
  });

  it('lets exactly one of two concurrent overlapping orders through', async () => {
    const { order, store } = numbersFixture();
    const outcomes = await Promise.allSettled([
      order.execute(orderOf({ first: '+31201234000', size: 1000 })),
      order.execute(orderOf({ first: '+31201234500', size: 100, tenantId: 'other' })),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.filter((o) => o.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({
      code: NumbersErrorCode.BlockOverlaps,
    });
    expect(await store.readStream('numberinventory-31')).toHaveLength(1);
  });

  it('lets concurrent orders of different numbers all through', async () => {
    const { order, store } = numbersFixture();
    const views = await Promise.all(
      [0, 1, 2, 3].map((i) => order.execute(orderOf({ first: `+3120123${i}000`, size: 1000 }))),
    );
    expect(views.map((v) => v.state)).toEqual(['requested', 'requested', 'requested', 'requested']);
    expect(await store.readStream('numberinventory-31')).toHaveLength(4);
  });

  it('needs no compensation when the block write fails: the reservation is rolled forward', async () => {
    const { order, store, workflow } = numbersFixture();
    store.failNextAppendTo('numberblock-31201234500-100');
    await expect(order.execute(orderOf())).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(await store.readStream('numberblock-31201234500-100')).toEqual([]);
    // Nobody else can take the numbers meanwhile...
    expect(
      await codeOf(order.execute(orderOf({ tenantId: 'other', first: '+31201234567', size: 1 }))),
    ).toBe(NumbersErrorCode.BlockOverlaps);
    // ...and the reactor writes the order the reservation carries, once however often it runs.
    const [reservation] = await store.readStream('numberinventory-31');
    const reserved = numberInventoryEventCodec.decode(reservation.type, reservation.data);
    if (reserved.type !== 'NumberBlockReserved') throw new Error('not a reservation');
    await Promise.all([
      workflow.writeReservedOrder(reservation.id, reserved),
      workflow.writeReservedOrder(reservation.id, reserved),
    ]);
    await workflow.writeReservedOrder(reservation.id, reserved);
    const block = await store.readStream('numberblock-31201234500-100');
    expect(block.map((e) => e.type)).toEqual(['pbx.numbers.v1.NumberBlockOrdered']);
  });
});
