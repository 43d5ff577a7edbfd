import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { EventCodec } from '@pbx/events';
import {
  CallAnsweredSchema,
  CallDirection as WireDirection,
  CallEndCause as WireCause,
  CallEndedSchema,
  CallHeldSchema,
  CallPartySchema,
  CallRejectedSchema,
  CallResumedSchema,
  CallRingingSchema,
  CallSide as WireSide,
  CallStartedSchema,
  type CallParty as WireParty,
} from '@pbx/proto';
import type { CallEndCause } from '@pbx/telephony';
import type { CallDirection, CallEvent, CallParty, CallSide } from '../../domain/call/call';
import { assertNever } from '../../domain/directory/directory';

const DIRECTIONS: readonly [CallDirection, WireDirection][] = [
  ['internal', WireDirection.INTERNAL],
  ['outbound', WireDirection.OUTBOUND],
  ['inbound', WireDirection.INBOUND],
];
const CAUSES: readonly [CallEndCause, WireCause][] = [
  ['normal', WireCause.NORMAL],
  ['busy', WireCause.BUSY],
  ['no-answer', WireCause.NO_ANSWER],
  ['unavailable', WireCause.UNAVAILABLE],
  ['declined', WireCause.DECLINED],
  ['not-found', WireCause.NOT_FOUND],
  ['forbidden', WireCause.FORBIDDEN],
  ['cancelled', WireCause.CANCELLED],
  ['media-timeout', WireCause.MEDIA_TIMEOUT],
  ['failed', WireCause.FAILED],
];
const SIDES: readonly [CallSide, WireSide][] = [
  ['caller', WireSide.CALLER],
  ['callee', WireSide.CALLEE],
  ['platform', WireSide.PLATFORM],
];

function mapper<D, W>(pairs: readonly [D, W][], what: string): [(d: D) => W, (w: W) => D] {
  const toWire = new Map(pairs);
  const fromWire = new Map(pairs.map(([d, w]) => [w, d]));
  return [
    (d) => {
      const w = toWire.get(d);
      if (w === undefined) throw new TypeError(`unknown ${what} ${String(d)}`);
      return w;
    },
    (w) => {
      const d = fromWire.get(w);
      if (d === undefined) throw new TypeError(`call event with an unknown ${what} (${String(w)})`);
      return d;
    },
  ];
}

const [directionToWire, directionFromWire] = mapper(DIRECTIONS, 'direction');
const [causeToWire, causeFromWire] = mapper(CAUSES, 'end cause');
const [sideToWire, sideFromWire] = mapper(SIDES, 'side');

const ts = (iso: string): Timestamp => timestampFromDate(new Date(iso));
function instant(value: Timestamp | undefined, what: string): string {
  if (!value) throw new TypeError(`call event without its ${what}`);
  return timestampDate(value).toISOString();
}

function partyToWire(party: CallParty): WireParty {
  return create(CallPartySchema, { ...party });
}

function partyFromWire(party: WireParty | undefined): CallParty {
  if (!party) return {};
  const out: Record<string, string> = {};
  for (const key of [
    'groupId',
    'userId',
    'extension',
    'number',
    'displayName',
    'deviceId',
    'trunkId',
    'tenantId',
  ] as const) {
    const value = party[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** Call events on the wire: `pbx.calls.v1` protobuf messages. */
export const callEventCodec: EventCodec<CallEvent> = {
  encode(event) {
    switch (event.type) {
      case 'CallStarted':
        return {
          type: CallStartedSchema.typeName,
          data: toBinary(
            CallStartedSchema,
            create(CallStartedSchema, {
              callId: event.callId,
              tenantId: event.tenantId,
              ...optional('groupId', event.groupId),
              direction: directionToWire(event.direction),
              caller: partyToWire(event.caller),
              callee: partyToWire(event.callee),
              dialed: event.dialed,
              presentationRestricted: event.presentationRestricted,
              startedAt: ts(event.startedAt),
            }),
          ),
        };
      case 'CallRejected':
        return {
          type: CallRejectedSchema.typeName,
          data: toBinary(
            CallRejectedSchema,
            create(CallRejectedSchema, {
              callId: event.callId,
              status: event.status,
              reason: event.reason,
              cause: causeToWire(event.cause),
              rejectedAt: ts(event.rejectedAt),
            }),
          ),
        };
      case 'CallRinging':
        return {
          type: CallRingingSchema.typeName,
          data: toBinary(
            CallRingingSchema,
            create(CallRingingSchema, {
              callId: event.callId,
              ...optional('deviceId', event.deviceId),
              ringingAt: ts(event.ringingAt),
            }),
          ),
        };
      case 'CallAnswered':
        return {
          type: CallAnsweredSchema.typeName,
          data: toBinary(
            CallAnsweredSchema,
            create(CallAnsweredSchema, {
              callId: event.callId,
              ...optional('deviceId', event.deviceId),
              answeredAt: ts(event.answeredAt),
            }),
          ),
        };
      case 'CallHeld':
        return {
          type: CallHeldSchema.typeName,
          data: toBinary(
            CallHeldSchema,
            create(CallHeldSchema, {
              callId: event.callId,
              by: sideToWire(event.by),
              heldAt: ts(event.heldAt),
            }),
          ),
        };
      case 'CallResumed':
        return {
          type: CallResumedSchema.typeName,
          data: toBinary(
            CallResumedSchema,
            create(CallResumedSchema, {
              callId: event.callId,
              by: sideToWire(event.by),
              resumedAt: ts(event.resumedAt),
            }),
          ),
        };
      case 'CallEnded':
        return {
          type: CallEndedSchema.typeName,
          data: toBinary(
            CallEndedSchema,
            create(CallEndedSchema, {
              callId: event.callId,
              cause: causeToWire(event.cause),
              ...optional('status', event.status),
              by: sideToWire(event.by),
              endedAt: ts(event.endedAt),
            }),
          ),
        };
      default:
        return assertNever(event);
    }
  },

  decode(type, data) {
    switch (type) {
      case CallStartedSchema.typeName: {
        const m = fromBinary(CallStartedSchema, data);
        return {
          type: 'CallStarted',
          callId: m.callId,
          tenantId: m.tenantId,
          ...optional('groupId', m.groupId),
          direction: directionFromWire(m.direction),
          caller: partyFromWire(m.caller),
          callee: partyFromWire(m.callee),
          dialed: m.dialed,
          presentationRestricted: m.presentationRestricted,
          startedAt: instant(m.startedAt, 'start time'),
        };
      }
      case CallRejectedSchema.typeName: {
        const m = fromBinary(CallRejectedSchema, data);
        return {
          type: 'CallRejected',
          callId: m.callId,
          status: m.status,
          reason: m.reason,
          cause: causeFromWire(m.cause),
          rejectedAt: instant(m.rejectedAt, 'rejection time'),
        };
      }
      case CallRingingSchema.typeName: {
        const m = fromBinary(CallRingingSchema, data);
        return {
          type: 'CallRinging',
          callId: m.callId,
          ...optional('deviceId', m.deviceId),
          ringingAt: instant(m.ringingAt, 'ringing time'),
        };
      }
      case CallAnsweredSchema.typeName: {
        const m = fromBinary(CallAnsweredSchema, data);
        return {
          type: 'CallAnswered',
          callId: m.callId,
          ...optional('deviceId', m.deviceId),
          answeredAt: instant(m.answeredAt, 'answer time'),
        };
      }
      case CallHeldSchema.typeName: {
        const m = fromBinary(CallHeldSchema, data);
        return {
          type: 'CallHeld',
          callId: m.callId,
          by: sideFromWire(m.by),
          heldAt: instant(m.heldAt, 'hold time'),
        };
      }
      case CallResumedSchema.typeName: {
        const m = fromBinary(CallResumedSchema, data);
        return {
          type: 'CallResumed',
          callId: m.callId,
          by: sideFromWire(m.by),
          resumedAt: instant(m.resumedAt, 'resume time'),
        };
      }
      case CallEndedSchema.typeName: {
        const m = fromBinary(CallEndedSchema, data);
        return {
          type: 'CallEnded',
          callId: m.callId,
          cause: causeFromWire(m.cause),
          ...optional('status', m.status),
          by: sideFromWire(m.by),
          endedAt: instant(m.endedAt, 'end time'),
        };
      }
      default:
        throw new TypeError(`${type} is not a call event`);
    }
  },
};
