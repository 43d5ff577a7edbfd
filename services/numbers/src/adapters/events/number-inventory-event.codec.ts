import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { EventCodec } from '@pbx/events';
import {
  NumberBlockOrderedSchema,
  NumberBlockReleasedSchema,
  NumberBlockReservedSchema,
} from '@pbx/proto';
import { assertNever } from '../../domain/number-block/number-block';
import type { NumberInventoryEvent } from '../../domain/number-inventory/number-inventory';
import { numberBlockEventCodec } from './number-block-event.codec';

function instantFromWire(ts: Timestamp | undefined): string {
  if (!ts) throw new TypeError('number inventory event without its timestamp');
  return timestampDate(ts).toISOString();
}

/** Number inventory events on the wire: `pbx.numbers.v1` protobuf messages. */
export const numberInventoryEventCodec: EventCodec<NumberInventoryEvent> = {
  encode(event) {
    switch (event.type) {
      case 'NumberBlockReserved': {
        // The order travels as the very message the block's stream stores.
        const order = fromBinary(
          NumberBlockOrderedSchema,
          numberBlockEventCodec.encode(event.order).data,
        );
        return {
          type: NumberBlockReservedSchema.typeName,
          data: toBinary(
            NumberBlockReservedSchema,
            create(NumberBlockReservedSchema, {
              callingCode: event.callingCode,
              blockVersion: event.blockVersion,
              order,
            }),
          ),
        };
      }
      case 'NumberBlockReleased':
        return {
          type: NumberBlockReleasedSchema.typeName,
          data: toBinary(
            NumberBlockReleasedSchema,
            create(NumberBlockReleasedSchema, {
              callingCode: event.callingCode,
              blockId: event.blockId,
              tenantId: event.tenantId,
              firstNumber: event.firstNumber,
              size: event.size,
              cancellationEventId: event.cancellationEventId,
              releasedAt: timestampFromDate(new Date(event.releasedAt)),
            }),
          ),
        };
      default:
        return assertNever(event);
    }
  },
  decode(type, data) {
    switch (type) {
      case NumberBlockReservedSchema.typeName: {
        const m = fromBinary(NumberBlockReservedSchema, data);
        if (!m.order) throw new TypeError('number block reservation without its order');
        const order = numberBlockEventCodec.decode(
          NumberBlockOrderedSchema.typeName,
          toBinary(NumberBlockOrderedSchema, m.order),
        );
        if (order.type !== 'NumberBlockOrdered') throw new TypeError('reservation of a non-order');
        return {
          type: 'NumberBlockReserved',
          callingCode: m.callingCode,
          blockVersion: m.blockVersion,
          order,
        };
      }
      case NumberBlockReleasedSchema.typeName: {
        const m = fromBinary(NumberBlockReleasedSchema, data);
        return {
          type: 'NumberBlockReleased',
          callingCode: m.callingCode,
          blockId: m.blockId,
          tenantId: m.tenantId,
          firstNumber: m.firstNumber,
          size: m.size,
          cancellationEventId: m.cancellationEventId,
          releasedAt: instantFromWire(m.releasedAt),
        };
      }
      default:
        throw new TypeError(`"${type}" is not a number inventory event`);
    }
  },
};

/** Whether a stored event type belongs to the inventory rather than to a block. */
export function isNumberInventoryEventType(type: string): boolean {
  return type === NumberBlockReservedSchema.typeName || type === NumberBlockReleasedSchema.typeName;
}
