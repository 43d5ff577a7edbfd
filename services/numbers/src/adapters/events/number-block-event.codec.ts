import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageShape,
} from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { EventCodec } from '@pbx/events';
import {
  NumberAssignedSchema,
  NumberAssignmentSchema,
  NumberAssignmentTargetSchema,
  NumberAssignmentTargetType as WireTargetType,
  NumberBlockActivatedSchema,
  NumberBlockCancelledSchema,
  NumberBlockOrderedSchema,
  NumberBlockOrderKind as WireOrderKind,
  NumberBlockPartSchema,
  NumberBlockPortingScheduledSchema,
  NumberBlockSplitPartCreatedSchema,
  NumberBlockSplitSchema,
  NumberKind as WireNumberKind,
  NumberUnassignedSchema,
  type NumberAssignment as WireAssignment,
  type NumberAssignmentTarget as WireTarget,
  type NumberBlockPart as WirePart,
} from '@pbx/proto';
import type { NumberKind } from '../../domain/number-kind';
import {
  assertNever,
  type AssignmentTarget,
  type NumberAssignment,
  type NumberBlockEvent,
  type NumberBlockPart,
  type OrderKind,
} from '../../domain/number-block/number-block';

const ORDER_KIND_TO_WIRE: Readonly<Record<OrderKind, WireOrderKind>> = {
  new: WireOrderKind.NEW,
  'port-in': WireOrderKind.PORT_IN,
};

const NUMBER_KIND_TO_WIRE: Readonly<Record<NumberKind, WireNumberKind>> = {
  'nl-regional': WireNumberKind.NL_REGIONAL,
  'nl-085': WireNumberKind.NL_085,
  'nl-088': WireNumberKind.NL_088,
  'international-geographic': WireNumberKind.INTERNATIONAL_GEOGRAPHIC,
  'international-national': WireNumberKind.INTERNATIONAL_NATIONAL,
};

function reverse<K extends string, V>(map: Readonly<Record<K, V>>, what: string): (v: V) => K {
  const entries = Object.entries(map) as [K, V][];
  return (value) => {
    const found = entries.find(([, v]) => v === value);
    if (!found) throw new TypeError(`number block event with unknown ${what} ${String(value)}`);
    return found[0];
  };
}

const orderKindFromWire = reverse(ORDER_KIND_TO_WIRE, 'order kind');
const numberKindFromWire = reverse(NUMBER_KIND_TO_WIRE, 'number kind');

function targetToWire(target: AssignmentTarget): WireTarget {
  switch (target.type) {
    case 'group':
      return create(NumberAssignmentTargetSchema, {
        type: WireTargetType.GROUP,
        groupId: target.groupId,
      });
    case 'department':
      return create(NumberAssignmentTargetSchema, {
        type: WireTargetType.DEPARTMENT,
        groupId: target.groupId,
        departmentId: target.departmentId,
      });
    case 'user':
      return create(NumberAssignmentTargetSchema, {
        type: WireTargetType.USER,
        groupId: target.groupId,
        userId: target.userId,
      });
    default:
      return assertNever(target);
  }
}

function targetFromWire(target: WireTarget | undefined): AssignmentTarget {
  switch (target?.type) {
    case WireTargetType.GROUP:
      return { type: 'group', groupId: target.groupId };
    case WireTargetType.DEPARTMENT:
      return { type: 'department', groupId: target.groupId, departmentId: target.departmentId };
    case WireTargetType.USER:
      return { type: 'user', groupId: target.groupId, userId: target.userId };
    default:
      throw new TypeError(`number block event with unknown assignment target ${target?.type}`);
  }
}

const assignmentToWire = (a: NumberAssignment): WireAssignment =>
  create(NumberAssignmentSchema, { number: a.number, target: targetToWire(a.target) });

const assignmentFromWire = (a: WireAssignment): NumberAssignment => ({
  number: a.number,
  target: targetFromWire(a.target),
});

const partToWire = (p: NumberBlockPart): WirePart =>
  create(NumberBlockPartSchema, {
    blockId: p.blockId,
    firstNumber: p.firstNumber,
    size: p.size,
    orderReference: p.orderReference,
    assignments: p.assignments.map(assignmentToWire),
  });

const partFromWire = (p: WirePart): NumberBlockPart => ({
  blockId: p.blockId,
  firstNumber: p.firstNumber,
  size: p.size,
  orderReference: p.orderReference,
  assignments: p.assignments.map(assignmentFromWire),
});

const instantToWire = (iso: string): Timestamp => timestampFromDate(new Date(iso));

function instantFromWire(ts: Timestamp | undefined): string {
  if (!ts) throw new TypeError('number block event without its timestamp');
  return timestampDate(ts).toISOString();
}

function encoded<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
): { type: string; data: Uint8Array } {
  return { type: schema.typeName, data: toBinary(schema, message) };
}

/** Number block events on the wire: `pbx.numbers.v1` protobuf messages. */
export const numberBlockEventCodec: EventCodec<NumberBlockEvent> = {
  encode(event) {
    switch (event.type) {
      case 'NumberBlockOrdered':
        return encoded(
          NumberBlockOrderedSchema,
          create(NumberBlockOrderedSchema, {
            blockId: event.blockId,
            tenantId: event.tenantId,
            orderKind: ORDER_KIND_TO_WIRE[event.orderKind],
            numberKind: NUMBER_KIND_TO_WIRE[event.numberKind],
            country: event.country,
            firstNumber: event.firstNumber,
            size: event.size,
            assignmentLetter: event.assignmentLetter,
            orderReference: event.orderReference,
            orderedAt: instantToWire(event.orderedAt),
          }),
        );
      case 'NumberBlockPortingScheduled':
        return encoded(
          NumberBlockPortingScheduledSchema,
          create(NumberBlockPortingScheduledSchema, {
            blockId: event.blockId,
            portingDate: event.portingDate,
          }),
        );
      case 'NumberBlockActivated':
        return encoded(
          NumberBlockActivatedSchema,
          create(NumberBlockActivatedSchema, {
            blockId: event.blockId,
            activatedAt: instantToWire(event.activatedAt),
          }),
        );
      case 'NumberBlockCancelled':
        return encoded(
          NumberBlockCancelledSchema,
          create(NumberBlockCancelledSchema, {
            blockId: event.blockId,
            cancelledAt: instantToWire(event.cancelledAt),
          }),
        );
      case 'NumberBlockSplit':
        return encoded(
          NumberBlockSplitSchema,
          create(NumberBlockSplitSchema, {
            blockId: event.blockId,
            parts: event.parts.map(partToWire),
            splitAt: instantToWire(event.splitAt),
          }),
        );
      case 'NumberBlockSplitPartCreated':
        return encoded(
          NumberBlockSplitPartCreatedSchema,
          create(NumberBlockSplitPartCreatedSchema, {
            blockId: event.blockId,
            parentBlockId: event.parentBlockId,
            tenantId: event.tenantId,
            numberKind: NUMBER_KIND_TO_WIRE[event.numberKind],
            country: event.country,
            firstNumber: event.firstNumber,
            size: event.size,
            assignmentLetter: event.assignmentLetter,
            orderReference: event.orderReference,
            assignments: event.assignments.map(assignmentToWire),
            createdAt: instantToWire(event.createdAt),
          }),
        );
      case 'NumberAssigned':
        return encoded(
          NumberAssignedSchema,
          create(NumberAssignedSchema, {
            blockId: event.blockId,
            number: event.number,
            target: targetToWire(event.target),
          }),
        );
      case 'NumberUnassigned':
        return encoded(
          NumberUnassignedSchema,
          create(NumberUnassignedSchema, {
            blockId: event.blockId,
            number: event.number,
            target: targetToWire(event.target),
          }),
        );
      default:
        return assertNever(event);
    }
  },
  decode(type, data) {
    switch (type) {
      case NumberBlockOrderedSchema.typeName: {
        const m = fromBinary(NumberBlockOrderedSchema, data);
        return {
          type: 'NumberBlockOrdered',
          blockId: m.blockId,
          tenantId: m.tenantId,
          orderKind: orderKindFromWire(m.orderKind),
          numberKind: numberKindFromWire(m.numberKind),
          country: m.country,
          firstNumber: m.firstNumber,
          size: m.size,
          assignmentLetter: m.assignmentLetter,
          orderReference: m.orderReference,
          orderedAt: instantFromWire(m.orderedAt),
        };
      }
      case NumberBlockPortingScheduledSchema.typeName: {
        const m = fromBinary(NumberBlockPortingScheduledSchema, data);
        return {
          type: 'NumberBlockPortingScheduled',
          blockId: m.blockId,
          portingDate: m.portingDate,
        };
      }
      case NumberBlockActivatedSchema.typeName: {
        const m = fromBinary(NumberBlockActivatedSchema, data);
        return {
          type: 'NumberBlockActivated',
          blockId: m.blockId,
          activatedAt: instantFromWire(m.activatedAt),
        };
      }
      case NumberBlockCancelledSchema.typeName: {
        const m = fromBinary(NumberBlockCancelledSchema, data);
        return {
          type: 'NumberBlockCancelled',
          blockId: m.blockId,
          cancelledAt: instantFromWire(m.cancelledAt),
        };
      }
      case NumberBlockSplitSchema.typeName: {
        const m = fromBinary(NumberBlockSplitSchema, data);
        return {
          type: 'NumberBlockSplit',
          blockId: m.blockId,
          parts: m.parts.map(partFromWire),
          splitAt: instantFromWire(m.splitAt),
        };
      }
      case NumberBlockSplitPartCreatedSchema.typeName: {
        const m = fromBinary(NumberBlockSplitPartCreatedSchema, data);
        return {
          type: 'NumberBlockSplitPartCreated',
          blockId: m.blockId,
          parentBlockId: m.parentBlockId,
          tenantId: m.tenantId,
          numberKind: numberKindFromWire(m.numberKind),
          country: m.country,
          firstNumber: m.firstNumber,
          size: m.size,
          assignmentLetter: m.assignmentLetter,
          orderReference: m.orderReference,
          assignments: m.assignments.map(assignmentFromWire),
          createdAt: instantFromWire(m.createdAt),
        };
      }
      case NumberAssignedSchema.typeName: {
        const m = fromBinary(NumberAssignedSchema, data);
        return {
          type: 'NumberAssigned',
          blockId: m.blockId,
          number: m.number,
          target: targetFromWire(m.target),
        };
      }
      case NumberUnassignedSchema.typeName: {
        const m = fromBinary(NumberUnassignedSchema, data);
        return {
          type: 'NumberUnassigned',
          blockId: m.blockId,
          number: m.number,
          target: targetFromWire(m.target),
        };
      }
      default:
        throw new TypeError(`not a number block event: ${type}`);
    }
  },
};
