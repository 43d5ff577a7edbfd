import { eventSchema, topicOfEventType, TOPICS } from '@pbx/proto';
import type { AssignmentTarget, NumberBlockEvent } from '../../domain/number-block/number-block';
import { numberBlockEventCodec } from './number-block-event.codec';

const T = '2025-03-10T09:00:00.123Z';
const BLOCK = 'numberblock-31201234000-1000';
const user: AssignmentTarget = { type: 'user', groupId: 'acme', userId: '201' };
const department: AssignmentTarget = { type: 'department', groupId: 'acme', departmentId: 'sales' };
const group: AssignmentTarget = { type: 'group', groupId: 'acme' };

const events: NumberBlockEvent[] = [
  {
    type: 'NumberBlockOrdered',
    blockId: BLOCK,
    tenantId: 'acme',
    orderKind: 'new',
    numberKind: 'nl-regional',
    country: 'NL',
    firstNumber: '+31201234000',
    size: 1000,
    assignmentLetter: '',
    orderReference: 'ORD-1',
    orderedAt: T,
  },
  {
    type: 'NumberBlockOrdered',
    blockId: 'numberblock-31881230000-10000',
    tenantId: 'acme',
    orderKind: 'port-in',
    numberKind: 'nl-088',
    country: 'NL',
    firstNumber: '+31881230000',
    size: 10000,
    assignmentLetter: 'ACM/2025/0088-17',
    orderReference: '',
    orderedAt: T,
  },
  ...(['nl-085', 'international-geographic', 'international-national'] as const).map(
    (numberKind): NumberBlockEvent => ({
      type: 'NumberBlockOrdered',
      blockId: 'numberblock-3225000000-1',
      tenantId: 'acme',
      orderKind: 'new',
      numberKind,
      country: 'BE',
      firstNumber: '+3225000000',
      size: 1,
      assignmentLetter: '',
      orderReference: '',
      orderedAt: T,
    }),
  ),
  { type: 'NumberBlockPortingScheduled', blockId: BLOCK, portingDate: '2025-03-20' },
  { type: 'NumberBlockActivated', blockId: BLOCK, activatedAt: T },
  { type: 'NumberBlockCancelled', blockId: BLOCK, cancelledAt: T },
  {
    type: 'NumberBlockSplit',
    blockId: BLOCK,
    parts: [
      {
        blockId: 'numberblock-31201234000-500',
        firstNumber: '+31201234000',
        size: 500,
        orderReference: 'ORD-1/1',
        assignments: [
          { number: '+31201234001', target: user },
          { number: '+31201234002', target: department },
        ],
      },
      {
        blockId: 'numberblock-31201234500-500',
        firstNumber: '+31201234500',
        size: 500,
        orderReference: 'ORD-1/2',
        assignments: [],
      },
    ],
    splitAt: T,
  },
  {
    type: 'NumberBlockSplitPartCreated',
    blockId: 'numberblock-31201234000-500',
    parentBlockId: BLOCK,
    tenantId: 'acme',
    numberKind: 'nl-regional',
    country: 'NL',
    firstNumber: '+31201234000',
    size: 500,
    assignmentLetter: '',
    orderReference: 'ORD-1/1',
    assignments: [{ number: '+31201234999', target: group }],
    createdAt: T,
  },
  { type: 'NumberAssigned', blockId: BLOCK, number: '+31201234001', target: user },
  { type: 'NumberAssigned', blockId: BLOCK, number: '+31201234002', target: department },
  { type: 'NumberAssigned', blockId: BLOCK, number: '+31201234003', target: group },
  { type: 'NumberUnassigned', blockId: BLOCK, number: '+31201234001', target: user },
];

describe('numberBlockEventCodec', () => {
  it.each(events)('round-trips %p through protobuf', (event) => {
    const { type, data } = numberBlockEventCodec.encode(event);
    expect(topicOfEventType(type)).toBe(TOPICS.numbers);
    expect(eventSchema(type)).toBeDefined();
    expect(numberBlockEventCodec.decode(type, data)).toEqual(event);
  });

  it('covers every event type', () => {
    expect(new Set(events.map((e) => e.type)).size).toBe(8);
  });

  it('refuses a type that is not a number block event', () => {
    expect(() =>
      numberBlockEventCodec.decode('pbx.provisioning.v1.TenantCreated', new Uint8Array()),
    ).toThrow(TypeError);
  });

  it('refuses an event whose enums or timestamp are missing', () => {
    const empty = new Uint8Array();
    expect(() => numberBlockEventCodec.decode('pbx.numbers.v1.NumberBlockOrdered', empty)).toThrow(
      TypeError,
    );
    expect(() => numberBlockEventCodec.decode('pbx.numbers.v1.NumberAssigned', empty)).toThrow(
      TypeError,
    );
    expect(() =>
      numberBlockEventCodec.decode('pbx.numbers.v1.NumberBlockActivated', empty),
    ).toThrow(TypeError);
  });
});
