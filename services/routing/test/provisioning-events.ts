import { randomUUID } from 'node:crypto';
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { PROTOBUF_CONTENT_TYPE, type EventEnvelope, type NewEvent } from '@pbx/events';
import {
  DeviceAddedSchema,
  GroupCreatedSchema,
  TrunkAddedSchema,
  TrunkTransport,
  UserAddedSchema,
  UserProfile,
} from '@pbx/proto';

/** A provisioning event as the event store takes it. */
export function newEvent<D extends DescMessage>(
  schema: D,
  init: MessageInitShape<D>,
  tenant: string,
): NewEvent {
  return { type: schema.typeName, data: toBinary(schema, create(schema, init)), tenant };
}

/** The same, as a projection receives it. */
export function envelope(event: NewEvent, subject = 'group-test'): EventEnvelope {
  return {
    id: randomUUID(),
    source: '/pbx/provisioning',
    type: event.type,
    subject,
    time: new Date('2025-03-10T09:00:00.000Z'),
    tenant: event.tenant,
    dataContentType: PROTOBUF_CONTENT_TYPE,
    data: event.data,
  };
}

/** A group with two users who have one device each, as provisioning creates it. */
export function groupEvents(
  tenant: string,
  groupId: string,
  numbers: { main: string; users: [string, string] },
): NewEvent[] {
  return [
    newEvent(
      GroupCreatedSchema,
      {
        groupId,
        tenantId: tenant,
        name: groupId,
        domain: `${groupId}.example`,
        timezone: 'Europe/Amsterdam',
        mainNumber: numbers.main,
      },
      tenant,
    ),
    ...(['201', '202'] as const).flatMap((extension, i) => [
      newEvent(
        UserAddedSchema,
        {
          groupId,
          extension,
          name: `User ${extension} of ${groupId}`,
          profile: UserProfile.BUSINESS,
          numbers: [numbers.users[i]],
          presentationRestricted: extension === '202',
        },
        tenant,
      ),
      newEvent(
        DeviceAddedSchema,
        { groupId, username: `${groupId}-${extension}`, ownerExtension: extension },
        tenant,
      ),
    ]),
  ];
}

export function operatorTrunkEvent(name: string): NewEvent {
  return newEvent(
    TrunkAddedSchema,
    {
      trunkId: `operator:${name}`,
      spec: {
        name,
        host: `${name}.carrier.example`,
        port: 5060,
        transport: TrunkTransport.UDP,
        register: false,
        inboundAddresses: ['192.0.2.10'],
      },
    },
    'operator',
  );
}
