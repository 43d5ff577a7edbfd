import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { EventCodec } from '@pbx/events';
import {
  TenantArchitecture as WireArchitecture,
  TenantCreatedSchema,
  TenantRenamedSchema,
} from '@pbx/proto';
import { assertNever, type TenantArchitecture, type TenantEvent } from '../../domain/tenant/tenant';

const toWire = (a: TenantArchitecture): WireArchitecture =>
  a === 'group' ? WireArchitecture.GROUP : WireArchitecture.ENTERPRISE;

function fromWire(a: WireArchitecture): TenantArchitecture {
  if (a === WireArchitecture.GROUP) return 'group';
  if (a === WireArchitecture.ENTERPRISE) return 'enterprise';
  throw new TypeError(`tenant event with unknown architecture ${a}`);
}

/** Tenant events on the wire: `pbx.provisioning.v1` protobuf messages. */
export const tenantEventCodec: EventCodec<TenantEvent> = {
  encode(event) {
    switch (event.type) {
      case 'TenantCreated':
        return {
          type: TenantCreatedSchema.typeName,
          data: toBinary(
            TenantCreatedSchema,
            create(TenantCreatedSchema, {
              tenantId: event.tenantId,
              name: event.name,
              architecture: toWire(event.architecture),
              domain: event.domain,
            }),
          ),
        };
      case 'TenantRenamed':
        return {
          type: TenantRenamedSchema.typeName,
          data: toBinary(
            TenantRenamedSchema,
            create(TenantRenamedSchema, { tenantId: event.tenantId, name: event.name }),
          ),
        };
      default:
        return assertNever(event);
    }
  },
  decode(type, data) {
    switch (type) {
      case TenantCreatedSchema.typeName: {
        const m = fromBinary(TenantCreatedSchema, data);
        return {
          type: 'TenantCreated',
          tenantId: m.tenantId,
          name: m.name,
          architecture: fromWire(m.architecture),
          domain: m.domain,
        };
      }
      case TenantRenamedSchema.typeName: {
        const m = fromBinary(TenantRenamedSchema, data);
        return { type: 'TenantRenamed', tenantId: m.tenantId, name: m.name };
      }
      default:
        throw new TypeError(`not a tenant event: ${type}`);
    }
  },
};
