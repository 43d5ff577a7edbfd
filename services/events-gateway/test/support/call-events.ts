import { randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { STREAM_DOES_NOT_EXIST, type EventStore, type NewEvent } from '@pbx/events';
import {
  CallAnsweredSchema,
  CallDirection,
  CallEndCause,
  CallEndedSchema,
  CallRingingSchema,
  CallSide,
  CallStartedSchema,
  TenantArchitecture,
  TenantCreatedSchema,
} from '@pbx/proto';

/**
 * A call's events as routing stores them (stream `call-<id>`, source /pbx/routing, the call's
 * tenant), built from the pbx.calls.v1 contracts: the outbox relay publishes them and the
 * projections pick them up as in production.
 */
export function callEvents(tenant: string, callId = randomUUID()): NewEvent[] {
  const at = new Date();
  const ts = (offsetMs: number): ReturnType<typeof timestampFromDate> =>
    timestampFromDate(new Date(at.getTime() + offsetMs));
  return [
    {
      type: CallStartedSchema.typeName,
      tenant,
      data: toBinary(
        CallStartedSchema,
        create(CallStartedSchema, {
          callId,
          tenantId: tenant,
          groupId: `${tenant}-hq`,
          direction: CallDirection.INTERNAL,
          caller: { tenantId: tenant, groupId: `${tenant}-hq`, userId: '201', extension: '201' },
          callee: { tenantId: tenant, groupId: `${tenant}-hq`, userId: '202', extension: '202' },
          dialed: '202',
          startedAt: ts(0),
        }),
      ),
    },
    {
      type: CallRingingSchema.typeName,
      tenant,
      data: toBinary(
        CallRingingSchema,
        create(CallRingingSchema, { callId, deviceId: 'bob', ringingAt: ts(5) }),
      ),
    },
    {
      type: CallAnsweredSchema.typeName,
      tenant,
      data: toBinary(
        CallAnsweredSchema,
        create(CallAnsweredSchema, { callId, deviceId: 'bob', answeredAt: ts(10) }),
      ),
    },
    {
      type: CallEndedSchema.typeName,
      tenant,
      data: toBinary(
        CallEndedSchema,
        create(CallEndedSchema, {
          callId,
          cause: CallEndCause.NORMAL,
          by: CallSide.CALLER,
          endedAt: ts(20),
        }),
      ),
    },
  ];
}

export const CALL_TYPES = [
  'pbx.calls.v1.CallStarted',
  'pbx.calls.v1.CallRinging',
  'pbx.calls.v1.CallAnswered',
  'pbx.calls.v1.CallEnded',
];

/** Stores a whole call in one append, as routing's journal does for a call's pending events. */
export async function appendCall(
  store: EventStore,
  tenant: string,
  callId = randomUUID(),
): Promise<string> {
  await store.append(`call-${callId}`, callEvents(tenant, callId), STREAM_DOES_NOT_EXIST);
  return callId;
}

/** A tenant's first event, as provisioning stores it. */
export async function appendTenant(store: EventStore, tenant: string): Promise<void> {
  await store.append(
    `tenant-${tenant}`,
    [
      {
        type: TenantCreatedSchema.typeName,
        tenant,
        data: toBinary(
          TenantCreatedSchema,
          create(TenantCreatedSchema, {
            tenantId: tenant,
            name: tenant,
            architecture: TenantArchitecture.GROUP,
            domain: `${tenant}.example`,
          }),
        ),
      },
    ],
    STREAM_DOES_NOT_EXIST,
  );
}
