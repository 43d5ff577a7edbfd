import type { CallEvent } from '../../domain/call/call';
import { callEventCodec } from './call-event.codec';

const T = '2025-03-10T09:00:00.000Z';
const events: CallEvent[] = [
  {
    type: 'CallStarted',
    callId: 'c1',
    tenantId: 'acme',
    groupId: 'acme-hq',
    direction: 'outbound',
    caller: {
      tenantId: 'acme',
      groupId: 'acme-hq',
      userId: '201',
      extension: '201',
      number: '+31201234501',
      displayName: 'Alice',
      deviceId: 'alice-desk',
    },
    callee: { number: '+31612345678', trunkId: 'operator:wholesale' },
    dialed: '*31*0612345678',
    presentationRestricted: true,
    startedAt: T,
  },
  {
    type: 'CallRejected',
    callId: 'c1',
    status: 503,
    reason: 'no trunk',
    cause: 'unavailable',
    rejectedAt: T,
  },
  { type: 'CallRinging', callId: 'c1', ringingAt: T },
  { type: 'CallAnswered', callId: 'c1', deviceId: 'bob-desk', answeredAt: T },
  { type: 'CallHeld', callId: 'c1', by: 'callee', heldAt: T },
  { type: 'CallResumed', callId: 'c1', by: 'callee', resumedAt: T },
  { type: 'CallEnded', callId: 'c1', cause: 'busy', status: 486, by: 'callee', endedAt: T },
  { type: 'CallEnded', callId: 'c1', cause: 'media-timeout', by: 'platform', endedAt: T },
];

describe('callEventCodec', () => {
  it.each(events.map((e) => [e.type, e] as const))('round-trips %s', (_type, event) => {
    const wire = callEventCodec.encode(event);
    expect(wire.type).toBe(`pbx.calls.v1.${event.type}`);
    expect(callEventCodec.decode(wire.type, wire.data)).toEqual(event);
  });

  it('refuses a type that is not a call event', () => {
    expect(() => callEventCodec.decode('pbx.calls.v1.Nope', new Uint8Array())).toThrow(TypeError);
  });
});
