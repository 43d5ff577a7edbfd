import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { EventCodec } from '@pbx/events';
import {
  DeviceRegisteredSchema,
  DeviceUnregisteredSchema,
  RegistrationTransport,
  UnregisterReason as WireReason,
} from '@pbx/proto';
import type { TransportProtocol } from '@pbx/sip';
import type { RegistrationEvent, UnregisterReason } from './registration-event';

const TRANSPORTS: Readonly<Record<TransportProtocol, RegistrationTransport>> = {
  udp: RegistrationTransport.UDP,
  tcp: RegistrationTransport.TCP,
  tls: RegistrationTransport.TLS,
  ws: RegistrationTransport.WS,
  wss: RegistrationTransport.WSS,
};

const REASONS: Readonly<Record<UnregisterReason, WireReason>> = {
  removed: WireReason.REMOVED,
  expired: WireReason.EXPIRED,
  'device-removed': WireReason.DEVICE_REMOVED,
};

function transportFromWire(value: RegistrationTransport): TransportProtocol {
  const found = (Object.keys(TRANSPORTS) as TransportProtocol[]).find(
    (t) => TRANSPORTS[t] === value,
  );
  if (found === undefined) throw new TypeError(`registration event with transport ${value}`);
  return found;
}

function reasonFromWire(value: WireReason): UnregisterReason {
  const found = (Object.keys(REASONS) as UnregisterReason[]).find((r) => REASONS[r] === value);
  if (found === undefined) throw new TypeError(`unregistration with reason ${value}`);
  return found;
}

function optional<T>(name: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [name]: value };
}

/** Registration events on the wire: `pbx.registrations.v1` protobuf messages. */
export const registrationEventCodec: EventCodec<RegistrationEvent> = {
  encode(event) {
    const common = {
      tenantId: event.tenantId,
      groupId: event.groupId,
      deviceId: event.deviceId,
      username: event.username,
      domain: event.domain,
      contact: event.contact,
      userAgent: event.userAgent,
      transport: TRANSPORTS[event.transport],
      sourceAddress: event.sourceAddress,
      sourcePort: event.sourcePort,
      instanceId: event.instanceId,
      regId: event.regId,
    };
    if (event.type === 'DeviceRegistered') {
      return {
        type: DeviceRegisteredSchema.typeName,
        data: toBinary(
          DeviceRegisteredSchema,
          create(DeviceRegisteredSchema, {
            ...common,
            expires: event.expires,
            expiresAt: timestampFromDate(new Date(event.expiresAt)),
          }),
        ),
      };
    }
    return {
      type: DeviceUnregisteredSchema.typeName,
      data: toBinary(
        DeviceUnregisteredSchema,
        create(DeviceUnregisteredSchema, { ...common, reason: REASONS[event.reason] }),
      ),
    };
  },

  decode(type, data) {
    if (type === DeviceRegisteredSchema.typeName) {
      const m = fromBinary(DeviceRegisteredSchema, data);
      if (m.expiresAt === undefined) throw new TypeError('DeviceRegistered without expires_at');
      return {
        type: 'DeviceRegistered',
        tenantId: m.tenantId,
        groupId: m.groupId,
        deviceId: m.deviceId,
        username: m.username,
        domain: m.domain,
        contact: m.contact,
        userAgent: m.userAgent,
        transport: transportFromWire(m.transport),
        sourceAddress: m.sourceAddress,
        sourcePort: m.sourcePort,
        ...optional('instanceId', m.instanceId),
        ...optional('regId', m.regId),
        expires: m.expires,
        expiresAt: timestampDate(m.expiresAt).toISOString(),
      };
    }
    if (type === DeviceUnregisteredSchema.typeName) {
      const m = fromBinary(DeviceUnregisteredSchema, data);
      return {
        type: 'DeviceUnregistered',
        tenantId: m.tenantId,
        groupId: m.groupId,
        deviceId: m.deviceId,
        username: m.username,
        domain: m.domain,
        contact: m.contact,
        userAgent: m.userAgent,
        transport: transportFromWire(m.transport),
        sourceAddress: m.sourceAddress,
        sourcePort: m.sourcePort,
        ...optional('instanceId', m.instanceId),
        ...optional('regId', m.regId),
        reason: reasonFromWire(m.reason),
      };
    }
    throw new TypeError(`not a registration event: ${type}`);
  },
};
