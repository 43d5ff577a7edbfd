import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { EventCodec } from '@pbx/events';
import { TrunkAddedSchema, TrunkChangedSchema, TrunkRemovedSchema } from '@pbx/proto';
import type { OperatorTrunkEvent } from '../../domain/trunk/operator-trunk';
import { operatorTrunkId } from '../../domain/trunk/trunk';
import { assertNever } from '../../domain/tenant/tenant';
import { trunkFromWire, trunkToWire } from './trunk-wire';

const PREFIX = 'operator:';

/** The trunk name in an operator trunk's id; refuses a group trunk's event. */
function nameOf(m: { trunkId: string; tenantId?: string; groupId?: string }, type: string): string {
  if (!m.trunkId.startsWith(PREFIX) || m.tenantId !== undefined || m.groupId !== undefined) {
    throw new TypeError(`${type} ${m.trunkId} is not an operator-wide trunk's event`);
  }
  return m.trunkId.slice(PREFIX.length);
}

/**
 * Operator-wide trunk events on the wire (trunk_events.proto): no tenant or group, id
 * `operator:<name>`. The password travels in clear for the SIP edge (see TrunkSpec.password).
 */
export const operatorTrunkEventCodec: EventCodec<OperatorTrunkEvent> = {
  encode(event) {
    switch (event.type) {
      case 'TrunkAdded':
      case 'TrunkChanged': {
        const schema = event.type === 'TrunkAdded' ? TrunkAddedSchema : TrunkChangedSchema;
        return {
          type: schema.typeName,
          data: toBinary(
            schema,
            create(schema, {
              trunkId: operatorTrunkId(event.trunk.name),
              spec: trunkToWire(event.trunk),
            }),
          ),
        };
      }
      case 'TrunkRemoved':
        return {
          type: TrunkRemovedSchema.typeName,
          data: toBinary(
            TrunkRemovedSchema,
            create(TrunkRemovedSchema, { trunkId: operatorTrunkId(event.name) }),
          ),
        };
      default:
        return assertNever(event);
    }
  },
  decode(type, data) {
    switch (type) {
      case TrunkAddedSchema.typeName:
      case TrunkChangedSchema.typeName: {
        const schema = type === TrunkAddedSchema.typeName ? TrunkAddedSchema : TrunkChangedSchema;
        const m = fromBinary(schema, data);
        const trunk = trunkFromWire(m.spec, type);
        if (nameOf(m, type) !== trunk.name) {
          throw new TypeError(`${type} ${m.trunkId} carries the spec of trunk ${trunk.name}`);
        }
        return { type: type === TrunkAddedSchema.typeName ? 'TrunkAdded' : 'TrunkChanged', trunk };
      }
      case TrunkRemovedSchema.typeName:
        return { type: 'TrunkRemoved', name: nameOf(fromBinary(TrunkRemovedSchema, data), type) };
      default:
        throw new TypeError(`not an operator trunk event: ${type}`);
    }
  },
};
