import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { EventCodec } from '@pbx/events';
import {
  EnterpriseChangedSchema,
  EnterpriseCreatedSchema,
  EnterpriseDeletedSchema,
} from '@pbx/proto';
import type { EnterpriseEvent } from '../../domain/enterprise/enterprise';
import { assertNever } from '../../domain/tenant/tenant';

/** The wire types of enterprise events, so that a consumer of the topic can tell them apart. */
export const ENTERPRISE_EVENT_TYPES: ReadonlySet<string> = new Set([
  EnterpriseCreatedSchema.typeName,
  EnterpriseChangedSchema.typeName,
  EnterpriseDeletedSchema.typeName,
]);

const displayNameOf = (m: { displayName?: string }): { displayName?: string } =>
  m.displayName === undefined ? {} : { displayName: m.displayName };

/** Enterprise events on the wire: `pbx.provisioning.v1` protobuf messages (enterprise_events.proto). */
export const enterpriseEventCodec: EventCodec<EnterpriseEvent> = {
  encode(event) {
    switch (event.type) {
      case 'EnterpriseCreated':
        return {
          type: EnterpriseCreatedSchema.typeName,
          data: toBinary(
            EnterpriseCreatedSchema,
            create(EnterpriseCreatedSchema, {
              enterpriseName: event.enterpriseName,
              tenantId: event.tenantId,
              displayName: event.displayName,
            }),
          ),
        };
      case 'EnterpriseChanged':
        return {
          type: EnterpriseChangedSchema.typeName,
          data: toBinary(
            EnterpriseChangedSchema,
            create(EnterpriseChangedSchema, {
              enterpriseName: event.enterpriseName,
              displayName: event.displayName,
            }),
          ),
        };
      case 'EnterpriseDeleted':
        return {
          type: EnterpriseDeletedSchema.typeName,
          data: toBinary(
            EnterpriseDeletedSchema,
            create(EnterpriseDeletedSchema, { enterpriseName: event.enterpriseName }),
          ),
        };
      default:
        return assertNever(event);
    }
  },
  decode(type, data) {
    switch (type) {
      case EnterpriseCreatedSchema.typeName: {
        const m = fromBinary(EnterpriseCreatedSchema, data);
        return {
          type: 'EnterpriseCreated',
          enterpriseName: m.enterpriseName,
          tenantId: m.tenantId,
          ...displayNameOf(m),
        };
      }
      case EnterpriseChangedSchema.typeName: {
        const m = fromBinary(EnterpriseChangedSchema, data);
        return { type: 'EnterpriseChanged', enterpriseName: m.enterpriseName, ...displayNameOf(m) };
      }
      case EnterpriseDeletedSchema.typeName:
        return {
          type: 'EnterpriseDeleted',
          enterpriseName: fromBinary(EnterpriseDeletedSchema, data).enterpriseName,
        };
      default:
        throw new TypeError(`not an enterprise event: ${type}`);
    }
  },
};
