import { NumbersError, NumbersErrorCode } from '../numbers.error';
import {
  numberBlockStreamId,
  type AssignmentTarget,
  type NumberBlockEvent,
  type NumberBlockState,
} from './number-block';
import { createNumberBlockDecider, type NumberBlockCommand } from './number-block.decider';

// 10:00 in Amsterdam (CET, UTC+1) on Monday 10 March 2025.
const T0 = '2025-03-10T09:00:00.000Z';

function at(iso: string) {
  return createNumberBlockDecider(() => new Date(iso));
}

function given(...events: NumberBlockEvent[]) {
  const fold = (now: string) => events.reduce(at(now).evolve, at(now).initialState);
  return {
    state: (): NumberBlockState => fold(T0),
    when: (command: NumberBlockCommand, now = T0): readonly NumberBlockEvent[] =>
      at(now).decide(command, fold(now)),
  };
}

function errorOf(fn: () => unknown): NumbersError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof NumbersError) return error;
    throw error;
  }
  return undefined;
}
const codeOf = (fn: () => unknown): NumbersErrorCode | undefined => errorOf(fn)?.code;

type OrderBlock = Extract<NumberBlockCommand, { type: 'OrderBlock' }>;
type Ordered = Extract<NumberBlockEvent, { type: 'NumberBlockOrdered' }>;

const order = (fields: Partial<OrderBlock> = {}): OrderBlock => ({
  type: 'OrderBlock',
  orderKind: 'new',
  tenantId: 'acme',
  firstNumber: '+31201234500',
  size: 100,
  country: 'NL',
  ...fields,
});

const ordered = (fields: Partial<Ordered> = {}): Ordered => {
  const firstNumber = fields.firstNumber ?? '+31201234500';
  const size = fields.size ?? 100;
  return {
    type: 'NumberBlockOrdered',
    blockId: numberBlockStreamId(firstNumber, size),
    tenantId: 'acme',
    orderKind: 'new',
    numberKind: 'nl-regional',
    country: 'NL',
    firstNumber,
    size,
    assignmentLetter: '',
    orderReference: 'ORD-1',
    orderedAt: T0,
    ...fields,
  };
};

const BLOCK = 'numberblock-31201234500-100';
const activated: NumberBlockEvent = {
  type: 'NumberBlockActivated',
  blockId: BLOCK,
  activatedAt: T0,
};
const user201: AssignmentTarget = { type: 'user', groupId: 'acme', userId: '201' };
const sales: AssignmentTarget = { type: 'department', groupId: 'acme', departmentId: 'sales' };
const mainGroup: AssignmentTarget = { type: 'group', groupId: 'acme' };
const assigned = (number: string, target: AssignmentTarget, blockId = BLOCK): NumberBlockEvent => ({
  type: 'NumberAssigned',
  blockId,
  number,
  target,
});

describe('number block stream id', () => {
  it('names the stream after the first number without + and the size', () => {
    expect(numberBlockStreamId('+31201234500', 100)).toBe('numberblock-31201234500-100');
  });
});

describe('OrderBlock', () => {
  it('orders a regional block: normalised number, stream id, kind and the clock time', () => {
    expect(
      given().when(order({ firstNumber: '+31 20 123 4500', orderReference: ' ORD-1 ' })),
    ).toEqual([ordered()]);
  });

  it.each<[string, string, number, string | undefined]>([
    ['regional single number (N1)', '+31201234567', 1, undefined],
    ['regional block of 10 (N1)', '+31201234560', 10, undefined],
    ['regional block of 100 (N1)', '+31201234500', 100, undefined],
    ['regional block of 1,000 (N1)', '+31201234000', 1000, undefined],
    ['085 single number (N2)', '+31851234567', 1, undefined],
    ['085 block of 10 (N2)', '+31851234560', 10, undefined],
    ['085 block of 100 (N2)', '+31851234500', 100, undefined],
    ['088 block of 100 (N3)', '+31881234500', 100, 'ACM/2025/0088-17'],
    ['088 block of 1,000 (N3)', '+31881234000', 1000, 'ACM/2025/0088-17'],
    ['088 block of 10,000 (N3)', '+31881230000', 10000, 'ACM/2025/0088-17'],
  ])('accepts a %s', (_, firstNumber, size, assignmentLetter) => {
    const [event] = given().when(order({ firstNumber, size, assignmentLetter }));
    expect(event).toMatchObject({ type: 'NumberBlockOrdered', firstNumber, size });
  });

  it('records the kind of number and the ACM letter of an 088 block', () => {
    const [event] = given().when(
      order({ firstNumber: '+31881234500', assignmentLetter: ' ACM/2025/0088-17 ' }),
    );
    expect(event).toMatchObject({ numberKind: 'nl-088', assignmentLetter: 'ACM/2025/0088-17' });
    expect(given().when(order({ firstNumber: '+31851234500' }))[0]).toMatchObject({
      numberKind: 'nl-085',
    });
  });

  it.each<[string, string, number, string]>([
    ['regional block of 10,000', '+31201230000', 10000, 'choose 1, 10, 100 or 1000'],
    ['regional block of 50', '+31201234500', 50, 'choose 1, 10, 100 or 1000'],
    ['regional block of 0', '+31201234500', 0, 'choose 1, 10, 100 or 1000'],
    ['085 block of 1,000', '+31851234000', 1000, 'choose 1, 10 or 100'],
    ['088 single number', '+31881234567', 1, 'choose 100, 1000 or 10000'],
    ['088 block of 10', '+31881234560', 10, 'choose 100, 1000 or 10000'],
  ])('refuses a %s', (_, firstNumber, size, hint) => {
    const error = errorOf(() =>
      given().when(order({ firstNumber, size, assignmentLetter: 'ACM/1' })),
    );
    expect(error?.code).toBe(NumbersErrorCode.InvalidBlockSize);
    expect(error?.message).toContain(hint);
  });

  it('refuses an international block of 1,000 (international blocks are 1, 10 or 100)', () => {
    expect(
      codeOf(() => given().when(order({ firstNumber: '+3225000000', size: 1000, country: 'BE' }))),
    ).toBe(NumbersErrorCode.InvalidBlockSize);
    expect(
      given().when(order({ firstNumber: '+3225000000', size: 100, country: 'BE' }))[0],
    ).toMatchObject({ numberKind: 'international-geographic', country: 'BE' });
  });

  it.each<[string, number]>([
    ['+31201234567', 100],
    ['+31201234510', 100],
    ['+31201234100', 1000],
    ['+31201234565', 10],
    ['+31881234500', 10000],
  ])('refuses a block starting at %s of %i: not aligned on its size', (firstNumber, size) => {
    expect(
      codeOf(() => given().when(order({ firstNumber, size, assignmentLetter: 'ACM/1' }))),
    ).toBe(NumbersErrorCode.MisalignedBlock);
  });

  it('tells where a misaligned block should start', () => {
    expect(() => given().when(order({ firstNumber: '+31201234567' }))).toThrow(
      'a block of 100 must start at a number ending in 00, got +31201234567',
    );
  });

  it.each([
    'not a number',
    '0201234500',
    '+31 (0)20 123 4500',
    '+352151213500', // a parser would drop the carrier code 15 and read +3523500
    '+31 20',
    '',
    '+3120123450',
  ])('refuses %p as the first number', (firstNumber) => {
    expect(codeOf(() => given().when(order({ firstNumber, size: 1 })))).toBe(
      NumbersErrorCode.InvalidNumber,
    );
  });

  it.each<[string, string, string]>([
    ['+31612345678', 'NL', 'a mobile number'],
    ['+31800123450', 'NL', 'a toll-free number'],
    ['+31900123456', 'NL', 'a premium-rate number'],
    ['+4915112345670', 'DE', 'a mobile number'],
    ['+44800123456', 'GB', 'a toll-free number'],
  ])('refuses %s (%s): the platform does not sell %s', (firstNumber, country, what) => {
    const error = errorOf(() => given().when(order({ firstNumber, size: 1, country })));
    expect(error?.code).toBe(NumbersErrorCode.NumberTypeNotOffered);
    expect(error?.message).toContain(what);
  });

  it('refuses a block in which some numbers are outside the numbering plan', () => {
    // Luxembourg's plan has variable lengths: +3523500 is a number, +3523520 to +3523529 are not.
    const error = errorOf(() =>
      given().when(order({ firstNumber: '+3523500', size: 100, country: 'LU' })),
    );
    expect(error?.code).toBe(NumbersErrorCode.NumberOutsidePlan);
    expect(error?.message).toContain('+3523520');
    expect(given().when(order({ firstNumber: '+3523510', size: 10, country: 'LU' }))).toHaveLength(
      1,
    );
  });

  it('refuses an 088 block without the ACM assignment letter, also for a port-in (N3)', () => {
    for (const fields of [
      { orderKind: 'new' },
      { orderKind: 'port-in' },
      { assignmentLetter: '   ' },
    ]) {
      expect(() => given().when(order({ firstNumber: '+31881234500', ...fields }))).toThrow(
        '088 blocks need the ACM assignment letter reference',
      );
    }
    expect(
      codeOf(() => given().when(order({ firstNumber: '+31881234500', orderKind: 'port-in' }))),
    ).toBe(NumbersErrorCode.AssignmentLetterRequired);
  });

  it('refuses an ACM letter on blocks other than 088', () => {
    expect(codeOf(() => given().when(order({ assignmentLetter: 'ACM/1' })))).toBe(
      NumbersErrorCode.AssignmentLetterNotApplicable,
    );
  });

  it.each<[string, string, string, string]>([
    ['new', '+3225000000', 'BE', 'international-geographic'],
    ['port-in', '+3225000000', 'BE', 'international-geographic'],
    ['new', '+4930123400', 'DE', 'international-geographic'],
    ['port-in', '+33123456700', 'FR', 'international-geographic'],
    ['new', '+33912345600', 'FR', 'international-national'],
    ['new', '+61212345600', 'AU', 'international-geographic'],
    ['new', '+43720123450', 'AT', 'international-national'],
    ['new', '+4532123400', 'DK', 'international-national'],
    ['port-in', '+442079460000', 'GB', 'international-geographic'],
    ['new', '+12125550100', 'US', 'international-geographic'],
    ['new', '+16132345600', 'CA', 'international-geographic'],
  ])('allows a %s order of %s in %s (N5)', (orderKind, firstNumber, country, numberKind) => {
    expect(given().when(order({ orderKind, firstNumber, size: 1, country }))[0]).toMatchObject({
      orderKind,
      numberKind,
      country,
    });
  });

  it.each<[string, string, string, string]>([
    ['port-in', '+61212345600', 'AU', 'Australia (AU) does not offer number porting'],
    ['new', '+43120000000', 'AT', 'Austria (AT) does not offer new geographic numbers'],
    ['port-in', '+43720123450', 'AT', 'Austria (AT) does not offer number porting'],
    ['port-in', '+4532123400', 'DK', 'Denmark (DK) does not offer number porting'],
    ['new', '+443001234560', 'GB', 'United Kingdom (GB) does not offer new national numbers'],
    ['port-in', '+40211234500', 'RO', 'Romania (RO) does not offer number porting'],
  ])('refuses a %s order of %s in %s (N5)', (orderKind, firstNumber, country, message) => {
    const error = errorOf(() => given().when(order({ orderKind, firstNumber, size: 1, country })));
    expect(error?.code).toBe(NumbersErrorCode.CapabilityNotOffered);
    expect(error?.message).toBe(message);
  });

  it('refuses a country outside the coverage table', () => {
    expect(
      codeOf(() => given().when(order({ firstNumber: '+551133334400', size: 1, country: 'BR' }))),
    ).toBe(NumbersErrorCode.CountryNotOffered);
  });

  it('refuses numbers of another country than the order names', () => {
    expect(() =>
      given().when(order({ firstNumber: '+4930123400', size: 1, country: 'BE' })),
    ).toThrow('+4930123400 is a number of Germany (DE), not of Belgium (BE)');
    expect(codeOf(() => given().when(order({ country: 'DE' })))).toBe(
      NumbersErrorCode.CountryMismatch,
    );
  });

  it('refuses an order kind other than new or port-in, and a missing tenant', () => {
    expect(codeOf(() => given().when(order({ orderKind: 'lease' })))).toBe(
      NumbersErrorCode.InvalidRequest,
    );
    expect(codeOf(() => given().when(order({ tenantId: ' ' })))).toBe(
      NumbersErrorCode.InvalidRequest,
    );
  });

  it('refuses to order a block twice, but a cancelled block can be ordered again', () => {
    expect(codeOf(() => given(ordered()).when(order()))).toBe(NumbersErrorCode.BlockAlreadyExists);
    expect(codeOf(() => given(ordered(), activated).when(order()))).toBe(
      NumbersErrorCode.BlockAlreadyExists,
    );
    const cancelled: NumberBlockEvent = {
      type: 'NumberBlockCancelled',
      blockId: BLOCK,
      cancelledAt: T0,
    };
    expect(given(ordered(), cancelled).when(order({ orderKind: 'port-in' }))).toEqual([
      ordered({ orderKind: 'port-in', orderReference: '' }),
    ]);
  });
});

describe('CompleteOrder', () => {
  const portIn = ordered({ orderKind: 'port-in' });
  const scheduled: NumberBlockEvent = {
    type: 'NumberBlockPortingScheduled',
    blockId: BLOCK,
    portingDate: '2025-03-20',
  };

  it('activates a new order: requested → active', () => {
    expect(given(ordered()).when({ type: 'CompleteOrder' })).toEqual([activated]);
    expect(given(ordered(), activated).state()).toMatchObject({ status: 'active' });
  });

  it('refuses a porting date on an order of new numbers', () => {
    expect(
      codeOf(() => given(ordered()).when({ type: 'CompleteOrder', portingDate: '2025-03-20' })),
    ).toBe(NumbersErrorCode.InvalidRequest);
  });

  it('schedules a port-in: requested → porting with the porting date', () => {
    expect(given(portIn).when({ type: 'CompleteOrder', portingDate: '2025-03-20' })).toEqual([
      scheduled,
    ]);
    expect(given(portIn, scheduled).state()).toMatchObject({
      status: 'porting',
      portingDate: '2025-03-20',
    });
  });

  it('needs a valid porting date that is not in the past to schedule a port-in', () => {
    expect(codeOf(() => given(portIn).when({ type: 'CompleteOrder' }))).toBe(
      NumbersErrorCode.PortingDateRequired,
    );
    for (const portingDate of ['2025-03-09', '2025-02-30', '20-03-2025', 'tomorrow']) {
      expect(codeOf(() => given(portIn).when({ type: 'CompleteOrder', portingDate }))).toBe(
        NumbersErrorCode.InvalidPortingDate,
      );
    }
    expect(given(portIn).when({ type: 'CompleteOrder', portingDate: '2025-03-10' })).toHaveLength(
      1,
    );
  });

  it('activates a port-in from its porting date on: porting → active', () => {
    const error = errorOf(() => given(portIn, scheduled).when({ type: 'CompleteOrder' }));
    expect(error?.code).toBe(NumbersErrorCode.PortingDateNotReached);
    expect(error?.message).toContain('2025-03-20');
    const onTheDay = '2025-03-20T07:00:00.000Z';
    expect(given(portIn, scheduled).when({ type: 'CompleteOrder' }, onTheDay)).toEqual([
      { type: 'NumberBlockActivated', blockId: BLOCK, activatedAt: onTheDay },
    ]);
  });

  it('counts the porting date in Dutch time: 00:30 in Amsterdam is already the day', () => {
    const halfPastMidnight = '2025-03-19T23:30:00.000Z';
    expect(given(portIn, scheduled).when({ type: 'CompleteOrder' }, halfPastMidnight)).toEqual([
      { type: 'NumberBlockActivated', blockId: BLOCK, activatedAt: halfPastMidnight },
    ]);
  });

  it('reschedules a port-in to another date; the same date changes nothing', () => {
    expect(
      given(portIn, scheduled).when({ type: 'CompleteOrder', portingDate: '2025-03-27' }),
    ).toEqual([{ ...scheduled, portingDate: '2025-03-27' }]);
    expect(
      given(portIn, scheduled).when({ type: 'CompleteOrder', portingDate: '2025-03-20' }),
    ).toEqual([]);
  });

  it.each<[string, NumberBlockEvent[], NumbersErrorCode]>([
    ['a block that was never ordered', [], NumbersErrorCode.BlockNotFound],
    ['an active block', [ordered(), activated], NumbersErrorCode.InvalidOrderState],
    [
      'a cancelled order',
      [ordered(), { type: 'NumberBlockCancelled', blockId: BLOCK, cancelledAt: T0 }],
      NumbersErrorCode.InvalidOrderState,
    ],
    [
      'a split block',
      [ordered(), activated, { type: 'NumberBlockSplit', blockId: BLOCK, parts: [], splitAt: T0 }],
      NumbersErrorCode.InvalidOrderState,
    ],
  ])('refuses to complete %s', (_, events, code) => {
    expect(codeOf(() => given(...events).when({ type: 'CompleteOrder' }))).toBe(code);
  });
});

describe('CancelOrder', () => {
  const cancelled: NumberBlockEvent = {
    type: 'NumberBlockCancelled',
    blockId: BLOCK,
    cancelledAt: T0,
  };

  it.each<[string, NumberBlockEvent[]]>([
    ['requested', [ordered()]],
    [
      'porting',
      [
        ordered({ orderKind: 'port-in' }),
        { type: 'NumberBlockPortingScheduled', blockId: BLOCK, portingDate: '2025-03-20' },
      ],
    ],
    ['active without assigned numbers', [ordered(), activated]],
    [
      'active after its last number was unassigned',
      [
        ordered(),
        activated,
        assigned('+31201234501', user201),
        { type: 'NumberUnassigned', blockId: BLOCK, number: '+31201234501', target: user201 },
      ],
    ],
  ])('cancels a block that is %s', (_, events) => {
    expect(given(...events).when({ type: 'CancelOrder' })).toEqual([cancelled]);
    expect(given(...events, cancelled).state()).toMatchObject({ status: 'cancelled' });
  });

  it('refuses to cancel a block with assigned numbers, naming them', () => {
    const error = errorOf(() =>
      given(ordered(), activated, assigned('+31201234501', user201)).when({ type: 'CancelOrder' }),
    );
    expect(error?.code).toBe(NumbersErrorCode.BlockHasAssignments);
    expect(error?.message).toContain('+31201234501');
    expect(error?.message).toContain('unassign them before cancelling');
  });

  it('changes nothing when the order is already cancelled', () => {
    expect(given(ordered(), cancelled).when({ type: 'CancelOrder' })).toEqual([]);
  });

  it('refuses to cancel a split block (its parts are cancelled on their own) or an unknown one', () => {
    const split: NumberBlockEvent = {
      type: 'NumberBlockSplit',
      blockId: BLOCK,
      parts: [],
      splitAt: T0,
    };
    expect(codeOf(() => given(ordered(), activated, split).when({ type: 'CancelOrder' }))).toBe(
      NumbersErrorCode.InvalidOrderState,
    );
    expect(codeOf(() => given().when({ type: 'CancelOrder' }))).toBe(
      NumbersErrorCode.BlockNotFound,
    );
  });
});

describe('SplitBlock', () => {
  const THOUSAND = 'numberblock-31201234000-1000';
  const thousand = [
    ordered({ firstNumber: '+31201234000', size: 1000 }),
    { type: 'NumberBlockActivated', blockId: THOUSAND, activatedAt: T0 } as NumberBlockEvent,
  ];
  const splitOf = (events: readonly NumberBlockEvent[]) =>
    events[0] as Extract<NumberBlockEvent, { type: 'NumberBlockSplit' }>;

  it('splits a block of 1,000 into 10 blocks of 100, each with its own order (N4)', () => {
    const events = given(...thousand).when({ type: 'SplitBlock', parts: 10 });
    expect(events).toHaveLength(1);
    const split = splitOf(events);
    expect(split).toMatchObject({ type: 'NumberBlockSplit', blockId: THOUSAND, splitAt: T0 });
    expect(split.parts.map((p) => p.firstNumber)).toEqual(
      Array.from({ length: 10 }, (_, i) => `+3120123${4000 + i * 100}`),
    );
    expect(split.parts[0]).toEqual({
      blockId: 'numberblock-31201234000-100',
      firstNumber: '+31201234000',
      size: 100,
      orderReference: 'ORD-1/1',
      assignments: [],
    });
    expect(split.parts[9].orderReference).toBe('ORD-1/10');
  });

  it('splits into 20 aligned blocks of 50', () => {
    const split = splitOf(given(...thousand).when({ type: 'SplitBlock', parts: 20 }));
    expect(split.parts.map((p) => [p.firstNumber, p.size]).slice(0, 3)).toEqual([
      ['+31201234000', 50],
      ['+31201234050', 50],
      ['+31201234100', 50],
    ]);
    expect(split.parts).toHaveLength(20);
  });

  it('splits a block of 100 into 100 single numbers', () => {
    const split = splitOf(given(ordered(), activated).when({ type: 'SplitBlock', parts: 100 }));
    expect(split.parts).toHaveLength(100);
    expect(split.parts[99]).toMatchObject({ firstNumber: '+31201234599', size: 1 });
    expect(split.parts[99].blockId).toBe('numberblock-31201234599-1');
  });

  it('takes the order references the operator gives, one per part', () => {
    const orderReferences = Array.from({ length: 10 }, (_, i) => `SPLIT-${i}`);
    const split = splitOf(
      given(...thousand).when({ type: 'SplitBlock', parts: 10, orderReferences }),
    );
    expect(split.parts.map((p) => p.orderReference)).toEqual(orderReferences);
    expect(
      codeOf(() =>
        given(...thousand).when({ type: 'SplitBlock', parts: 10, orderReferences: ['A', 'B'] }),
      ),
    ).toBe(NumbersErrorCode.InvalidSplit);
  });

  it.each<[string, number, number]>([
    ['3 parts', 1000, 3],
    ['7 parts', 1000, 7],
    ['15 parts', 1000, 15],
    ['1 part', 1000, 1],
    ['30 parts of a block of 1,000 (not equal)', 1000, 30],
    ['30 parts of a block of 100 (not equal)', 100, 30],
    ['20 parts of a block of 10 (more parts than numbers)', 10, 20],
    ['a single number', 1, 10],
  ])('refuses to split into %s', (_, size, parts) => {
    const firstNumber =
      size === 1000 ? '+31201234000' : size === 1 ? '+31201234567' : '+31201234500';
    const events: NumberBlockEvent[] = [
      ordered({ firstNumber, size }),
      {
        type: 'NumberBlockActivated',
        blockId: numberBlockStreamId(firstNumber, size),
        activatedAt: T0,
      },
    ];
    expect(codeOf(() => given(...events).when({ type: 'SplitBlock', parts }))).toBe(
      NumbersErrorCode.InvalidSplit,
    );
  });

  it('splits only an active block', () => {
    expect(codeOf(() => given(ordered()).when({ type: 'SplitBlock', parts: 10 }))).toBe(
      NumbersErrorCode.InvalidOrderState,
    );
  });

  it('moves assignments with their numbers to the parts', () => {
    const split = splitOf(
      given(
        ...thousand,
        assigned('+31201234999', mainGroup, THOUSAND),
        assigned('+31201234001', user201, THOUSAND),
        assigned('+31201234150', sales, THOUSAND),
      ).when({ type: 'SplitBlock', parts: 10 }),
    );
    expect(split.parts[0].assignments).toEqual([{ number: '+31201234001', target: user201 }]);
    expect(split.parts[1].assignments).toEqual([{ number: '+31201234150', target: sales }]);
    expect(split.parts[9].assignments).toEqual([{ number: '+31201234999', target: mainGroup }]);
    expect(split.parts.slice(2, 9).every((p) => p.assignments.length === 0)).toBe(true);
  });

  it('leaves the parent split, holding no numbers', () => {
    const events = given(...thousand).when({ type: 'SplitBlock', parts: 10 });
    const state = given(...thousand, ...events).state();
    expect(state).toMatchObject({ status: 'split' });
    expect(
      codeOf(() =>
        given(...thousand, ...events).when({
          type: 'AssignNumber',
          number: '+31201234001',
          target: user201,
        }),
      ),
    ).toBe(NumbersErrorCode.InvalidOrderState);
  });

  describe('CreateSplitPart', () => {
    const split = splitOf(
      given(...thousand, assigned('+31201234001', user201, THOUSAND)).when({
        type: 'SplitBlock',
        parts: 10,
      }),
    );
    const create = (i: number): NumberBlockCommand => ({
      type: 'CreateSplitPart',
      parentBlockId: THOUSAND,
      tenantId: 'acme',
      numberKind: 'nl-regional',
      country: 'NL',
      assignmentLetter: '',
      part: split.parts[i],
    });

    it('creates each part active with its own order and the assignments of its numbers', () => {
      const events = given().when(create(0));
      expect(events).toEqual([
        {
          type: 'NumberBlockSplitPartCreated',
          blockId: 'numberblock-31201234000-100',
          parentBlockId: THOUSAND,
          tenantId: 'acme',
          numberKind: 'nl-regional',
          country: 'NL',
          firstNumber: '+31201234000',
          size: 100,
          assignmentLetter: '',
          orderReference: 'ORD-1/1',
          assignments: [{ number: '+31201234001', target: user201 }],
          createdAt: T0,
        },
      ]);
      const state = given(...events).state();
      expect(state.status === 'active' && state.assignments.get('+31201234001')).toEqual(user201);
      expect(
        codeOf(() =>
          given(...events).when({ type: 'AssignNumber', number: '+31201234001', target: sales }),
        ),
      ).toBe(NumbersErrorCode.NumberAlreadyAssigned);
    });

    it('lets a part be cancelled on its own (N4) and changes nothing when created twice', () => {
      const part = given().when(create(1));
      expect(given(...part).when({ type: 'CancelOrder' })).toHaveLength(1);
      expect(given(...part).when(create(1))).toEqual([]);
    });

    it('refuses a part whose stream holds another live block', () => {
      const other = ordered({ firstNumber: '+31201234100', size: 100 });
      expect(codeOf(() => given(other).when(create(1)))).toBe(NumbersErrorCode.BlockAlreadyExists);
    });
  });
});

describe('AssignNumber and UnassignNumber', () => {
  const active = [ordered(), activated];

  it('assigns a number of an active block to a user, department or group', () => {
    for (const target of [user201, sales, mainGroup]) {
      expect(
        given(...active).when({ type: 'AssignNumber', number: '+31 20 123 4501', target }),
      ).toEqual([assigned('+31201234501', target)]);
    }
  });

  it('changes nothing when the number is assigned to the same target again', () => {
    expect(
      given(...active, assigned('+31201234501', user201)).when({
        type: 'AssignNumber',
        number: '+31201234501',
        target: { type: 'user', groupId: 'acme', userId: '201' },
      }),
    ).toEqual([]);
  });

  it('refuses to assign an assigned number to another target, naming who holds it', () => {
    const when = (target: AssignmentTarget) => () =>
      given(...active, assigned('+31201234501', user201)).when({
        type: 'AssignNumber',
        number: '+31201234501',
        target,
      });
    expect(when(sales)).toThrow(
      '+31201234501 is already assigned to user 201 of group acme; unassign it there first',
    );
    for (const target of [
      mainGroup,
      { type: 'user', groupId: 'acme', userId: '202' } as const,
      { type: 'user', groupId: 'other', userId: '201' } as const,
    ]) {
      expect(codeOf(when(target))).toBe(NumbersErrorCode.NumberAlreadyAssigned);
    }
  });

  it('refuses a number outside the block, an invalid target, and a block not active', () => {
    expect(
      codeOf(() =>
        given(...active).when({ type: 'AssignNumber', number: '+31201234600', target: user201 }),
      ),
    ).toBe(NumbersErrorCode.NumberNotInBlock);
    expect(
      codeOf(() =>
        given(...active).when({
          type: 'AssignNumber',
          number: '+31201234501',
          target: { type: 'user', groupId: 'acme', userId: '' },
        }),
      ),
    ).toBe(NumbersErrorCode.InvalidTarget);
    expect(
      codeOf(() =>
        given(ordered()).when({ type: 'AssignNumber', number: '+31201234501', target: user201 }),
      ),
    ).toBe(NumbersErrorCode.InvalidOrderState);
    expect(
      codeOf(() => given().when({ type: 'AssignNumber', number: '+31201234501', target: user201 })),
    ).toBe(NumbersErrorCode.BlockNotFound);
  });

  it('unassigns a number, recording who held it; then it can go to another target', () => {
    const history = [...active, assigned('+31201234501', user201)];
    const events = given(...history).when({ type: 'UnassignNumber', number: '+31201234501' });
    expect(events).toEqual([
      { type: 'NumberUnassigned', blockId: BLOCK, number: '+31201234501', target: user201 },
    ]);
    expect(
      given(...history, ...events).when({
        type: 'AssignNumber',
        number: '+31201234501',
        target: sales,
      }),
    ).toEqual([assigned('+31201234501', sales)]);
  });

  it('changes nothing when unassigning a number that is not assigned (idempotent)', () => {
    expect(given(...active).when({ type: 'UnassignNumber', number: '+31201234502' })).toEqual([]);
  });

  it('refuses to unassign a number outside the block', () => {
    expect(
      codeOf(() => given(...active).when({ type: 'UnassignNumber', number: '+31201230000' })),
    ).toBe(NumbersErrorCode.NumberNotInBlock);
  });
});
