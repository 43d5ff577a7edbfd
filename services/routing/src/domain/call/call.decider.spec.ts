import type { CallEvent, CallState } from './call';
import { createCallDecider, type CallCommand, type CallFacts } from './call.decider';

const T0 = new Date('2025-03-10T09:00:00.000Z');
const at = (s: number): Date => new Date(T0.getTime() + s * 1000);
const iso = (s: number): string => at(s).toISOString();
const decider = createCallDecider(() => at(99));

function given(...events: CallEvent[]) {
  const state = (): CallState => events.reduce(decider.evolve, decider.initialState);
  return {
    state,
    when: (command: CallCommand): readonly CallEvent[] => decider.decide(command, state()),
  };
}

const facts: CallFacts = {
  callId: 'c1',
  tenantId: 'acme',
  groupId: 'acme-hq',
  direction: 'internal',
  caller: { groupId: 'acme-hq', userId: '201', extension: '201', deviceId: 'alice-desk' },
  callee: { groupId: 'acme-hq', userId: '202', extension: '202' },
  dialed: '202',
  presentationRestricted: false,
};
const started: CallEvent = {
  type: 'CallStarted',
  callId: 'c1',
  tenantId: 'acme',
  groupId: 'acme-hq',
  direction: 'internal',
  caller: facts.caller,
  callee: facts.callee,
  dialed: '202',
  presentationRestricted: false,
  startedAt: iso(0),
};
const ringing: CallEvent = {
  type: 'CallRinging',
  callId: 'c1',
  deviceId: 'bob-desk',
  ringingAt: iso(1),
};
const answered: CallEvent = {
  type: 'CallAnswered',
  callId: 'c1',
  deviceId: 'bob-desk',
  answeredAt: iso(5),
};
const ended: CallEvent = {
  type: 'CallEnded',
  callId: 'c1',
  cause: 'normal',
  by: 'caller',
  endedAt: iso(65),
};

describe('Call decider', () => {
  it('starts a call', () => {
    expect(given().when({ type: 'StartCall', facts, at: at(0) })).toEqual([started]);
  });

  it('records a refusal as a start and its rejection, and nothing after it', () => {
    const events = given().when({
      type: 'RejectCall',
      facts,
      status: 404,
      reason: 'no such extension',
      cause: 'not-found',
      at: at(0),
    });
    expect(events).toEqual([
      started,
      {
        type: 'CallRejected',
        callId: 'c1',
        status: 404,
        reason: 'no such extension',
        cause: 'not-found',
        rejectedAt: iso(0),
      },
    ]);
    expect(given(...events).when({ type: 'EndCall', cause: 'normal', by: 'caller' })).toEqual([]);
    expect(given(...events).state()).toEqual({ status: 'rejected', callId: 'c1' });
  });

  it('goes from started through ringing and answered to ended', () => {
    expect(given(started).when({ type: 'ReportRinging', deviceId: 'bob-desk', at: at(1) })).toEqual(
      [ringing],
    );
    expect(
      given(started, ringing).when({ type: 'ReportAnswered', deviceId: 'bob-desk', at: at(5) }),
    ).toEqual([answered]);
    expect(
      given(started, ringing, answered).when({
        type: 'EndCall',
        cause: 'normal',
        by: 'caller',
        at: at(65),
      }),
    ).toEqual([ended]);
  });

  it('lets a call end unanswered, with the SIP status that ended it', () => {
    expect(
      given(started, ringing).when({
        type: 'EndCall',
        cause: 'busy',
        status: 486,
        by: 'callee',
        at: at(2),
      }),
    ).toEqual([
      {
        type: 'CallEnded',
        callId: 'c1',
        cause: 'busy',
        status: 486,
        by: 'callee',
        endedAt: iso(2),
      },
    ]);
  });

  it('ignores an end after the end and a ring after the answer (racing reports)', () => {
    expect(
      given(started, answered, ended).when({ type: 'EndCall', cause: 'normal', by: 'callee' }),
    ).toEqual([]);
    expect(given(started, answered).when({ type: 'ReportRinging' })).toEqual([]);
    expect(given(started, answered).when({ type: 'ReportAnswered' })).toEqual([]);
    expect(given(started).when({ type: 'StartCall', facts })).toEqual([]);
  });

  it('holds and resumes only an answered call, once each', () => {
    const held: CallEvent = { type: 'CallHeld', callId: 'c1', by: 'caller', heldAt: iso(10) };
    expect(given(started).when({ type: 'ReportHeld', by: 'caller', at: at(10) })).toEqual([]);
    expect(given(started, answered).when({ type: 'ReportHeld', by: 'caller', at: at(10) })).toEqual(
      [held],
    );
    expect(given(started, answered, held).when({ type: 'ReportHeld', by: 'callee' })).toEqual([]);
    expect(
      given(started, answered, held).when({ type: 'ReportResumed', by: 'caller', at: at(20) }),
    ).toEqual([{ type: 'CallResumed', callId: 'c1', by: 'caller', resumedAt: iso(20) }]);
    expect(given(started, answered).when({ type: 'ReportResumed', by: 'caller' })).toEqual([]);
  });

  it('takes the time from the clock when a command has none', () => {
    expect(given(started).when({ type: 'EndCall', cause: 'failed', by: 'platform' })).toEqual([
      { type: 'CallEnded', callId: 'c1', cause: 'failed', by: 'platform', endedAt: iso(99) },
    ]);
  });
});
