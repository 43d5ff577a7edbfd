import { eventSchema, topicOfEventType, TOPICS } from '@pbx/proto';
import type { NumberInventoryEvent } from '../../domain/number-inventory/number-inventory';
import {
  isNumberInventoryEventType,
  numberInventoryEventCodec,
} from './number-inventory-event.codec';

const T = '2025-03-10T09:00:00.123Z';
const events: NumberInventoryEvent[] = [
  {
    type: 'NumberBlockReserved',
    callingCode: '31',
    blockVersion: 4,
    order: {
      type: 'NumberBlockOrdered',
      blockId: 'numberblock-31881230000-100',
      tenantId: 'acme',
      orderKind: 'port-in',
      numberKind: 'nl-088',
      country: 'NL',
      firstNumber: '+31881230000',
      size: 100,
      assignmentLetter: 'ACM/2025/0088-17',
      orderReference: 'ORD-1',
      orderedAt: T,
    },
  },
  {
    type: 'NumberBlockReleased',
    callingCode: '31',
    blockId: 'numberblock-31201234500-100',
    tenantId: 'acme',
    firstNumber: '+31201234500',
    size: 100,
    cancellationEventId: '0b7f3c52-58a3-4c55-9d0c-3f0e8f1a2b3c',
    releasedAt: T,
  },
];

describe('numberInventoryEventCodec', () => {
  it.each(events)('round-trips $type through protobuf', (event) => {
    const { type, data } = numberInventoryEventCodec.encode(event);
    expect(topicOfEventType(type)).toBe(TOPICS.numbers);
    expect(eventSchema(type)).toBeDefined();
    expect(isNumberInventoryEventType(type)).toBe(true);
    expect(numberInventoryEventCodec.decode(type, data)).toEqual(event);
  });

  it('refuses a block event, a reservation without its order and a release without its time', () => {
    expect(() =>
      numberInventoryEventCodec.decode('pbx.numbers.v1.NumberBlockOrdered', new Uint8Array()),
    ).toThrow(TypeError);
    expect(() =>
      numberInventoryEventCodec.decode('pbx.numbers.v1.NumberBlockReserved', new Uint8Array()),
    ).toThrow(TypeError);
    expect(() =>
      numberInventoryEventCodec.decode('pbx.numbers.v1.NumberBlockReleased', new Uint8Array()),
    ).toThrow(TypeError);
  });
});
