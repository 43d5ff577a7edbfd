import { numberBlockStreamId } from '../number-block/number-block';
import { NumbersError, NumbersErrorCode } from '../numbers.error';
import {
  type NumberBlockOrderedEvent,
  type NumberInventoryEvent,
  type NumberInventoryState,
} from './number-inventory';
import {
  createNumberInventoryDecider,
  type NumberInventoryCommand,
} from './number-inventory.decider';

const T0 = '2025-03-10T09:00:00.000Z';
const decider = createNumberInventoryDecider(() => new Date(T0));

function given(...events: NumberInventoryEvent[]) {
  const state = (): NumberInventoryState => events.reduce(decider.evolve, decider.initialState);
  return {
    state,
    when: (command: NumberInventoryCommand): readonly NumberInventoryEvent[] =>
      decider.decide(command, state()),
  };
}

function errorOf(fn: () => unknown): NumbersError {
  try {
    fn();
  } catch (error) {
    if (error instanceof NumbersError) return error;
    throw error;
  }
  throw new Error('expected a NumbersError');
}

const order = (firstNumber: string, size: number, tenantId = 'acme'): NumberBlockOrderedEvent => ({
  type: 'NumberBlockOrdered',
  blockId: numberBlockStreamId(firstNumber, size),
  tenantId,
  orderKind: 'new',
  numberKind: 'nl-regional',
  country: 'NL',
  firstNumber,
  size,
  assignmentLetter: '',
  orderReference: '',
  orderedAt: T0,
});

const reserve = (o: NumberBlockOrderedEvent, blockVersion = 0): NumberInventoryCommand => ({
  type: 'ReserveBlock',
  callingCode: '31',
  blockVersion,
  order: o,
});
const reserved = (o: NumberBlockOrderedEvent, blockVersion = 0): NumberInventoryEvent => ({
  type: 'NumberBlockReserved',
  callingCode: '31',
  blockVersion,
  order: o,
});
const release = (
  firstNumber: string,
  size: number,
  cancellationEventId: string,
): Extract<NumberInventoryCommand, { type: 'ReleaseBlock' }> => ({
  type: 'ReleaseBlock',
  callingCode: '31',
  blockId: numberBlockStreamId(firstNumber, size),
  tenantId: 'acme',
  firstNumber,
  size,
  cancellationEventId,
});
const released = (firstNumber: string, size: number, id: string): NumberInventoryEvent => ({
  ...release(firstNumber, size, id),
  type: 'NumberBlockReleased',
  releasedAt: T0,
});

const THOUSAND = order('+31201234000', 1000);

describe('NumberInventory', () => {
  it('reserves the numbers of an order that no other order holds', () => {
    const o = order('+31201234500', 100);
    expect(given().when(reserve(o, 2))).toEqual([reserved(o, 2)]);
  });

  it('reserves numbers right next to a reserved block', () => {
    const o = order('+31201235000', 100);
    expect(given(reserved(THOUSAND)).when(reserve(o))).toEqual([reserved(o)]);
  });

  it.each<[string, NumberBlockOrderedEvent]>([
    ['a block inside a reserved one', order('+31201234500', 100)],
    ['a single number inside a reserved block', order('+31201234999', 1)],
    ['a block around a reserved one', order('+31201230000', 10000)],
    ['the same block again, for another tenant', order('+31201234000', 1000, 'other')],
  ])('refuses %s, naming the block that holds them', (_, o) => {
    const error = errorOf(() => given(reserved(THOUSAND)).when(reserve(o)));
    expect(error.code).toBe(NumbersErrorCode.BlockOverlaps);
    expect(error.message).toContain('numberblock-31201234000-1000');
    expect(error.message).toContain('+31201234000 to +31201234999');
  });

  it('releases a cancelled block, after which its numbers can be ordered again', () => {
    const history = given(reserved(THOUSAND), released('+31201234000', 1000, 'c1'));
    expect(history.state().reservations.size).toBe(0);
    expect(history.when(reserve(THOUSAND, 2))).toEqual([reserved(THOUSAND, 2)]);
  });

  it("releases a cancelled part of a split block from its parent's reservation, and only it", () => {
    const history = given(reserved(THOUSAND), released('+31201234500', 100, 'c1'));
    expect(history.state().reservations.get(THOUSAND.blockId)?.held).toEqual([
      { firstNumber: '+31201234000', size: 500 },
      { firstNumber: '+31201234600', size: 400 },
    ]);
    const part = order('+31201234500', 100);
    expect(history.when(reserve(part, 3))).toEqual([reserved(part, 3)]);
    const neighbour = order('+31201234600', 100);
    expect(errorOf(() => history.when(reserve(neighbour))).code).toBe(
      NumbersErrorCode.BlockOverlaps,
    );
  });

  it('releases once per cancellation: a repeated release changes nothing', () => {
    const history = given(
      reserved(THOUSAND),
      released('+31201234000', 1000, 'c1'),
      reserved(THOUSAND, 2),
    );
    expect(history.when(release('+31201234000', 1000, 'c1'))).toEqual([]);
    expect(history.state().reservations.size).toBe(1);
    expect(history.when(release('+31201234000', 1000, 'c2'))).toEqual([
      released('+31201234000', 1000, 'c2'),
    ]);
  });

  it('has nothing to release for numbers no reservation holds', () => {
    expect(given().when(release('+31201234000', 1000, 'c1'))).toEqual([]);
  });
});
