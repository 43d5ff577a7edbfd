import type { Decider } from '@pbx/events';
import type { CallEndCause } from '@pbx/telephony';
import { assertNever } from '../directory/directory';
import {
  evolveCall,
  initialCallState,
  type CallDirection,
  type CallEvent,
  type CallParty,
  type CallSide,
  type CallState,
} from './call';

export type Clock = () => Date;

/** The facts of a call that routing decided, accepted or refused. */
export interface CallFacts {
  readonly callId: string;
  readonly tenantId: string;
  readonly groupId?: string;
  readonly direction: CallDirection;
  readonly caller: CallParty;
  readonly callee: CallParty;
  readonly dialed: string;
  readonly presentationRestricted: boolean;
}

/**
 * Commands on a call. `at` is when the edge saw it happen; without it the decider's clock says.
 * Reports from the edge may race (an end after an end, a ring after the answer): a command that
 * does not apply in the call's state decides nothing, so repeating one is harmless.
 */
export type CallCommand =
  | { readonly type: 'StartCall'; readonly facts: CallFacts; readonly at?: Date }
  | {
      readonly type: 'RejectCall';
      readonly facts: CallFacts;
      readonly status: number;
      readonly reason: string;
      readonly cause: CallEndCause;
      readonly at?: Date;
    }
  | { readonly type: 'ReportRinging'; readonly deviceId?: string; readonly at?: Date }
  | { readonly type: 'ReportAnswered'; readonly deviceId?: string; readonly at?: Date }
  | { readonly type: 'ReportHeld'; readonly by: CallSide; readonly at?: Date }
  | { readonly type: 'ReportResumed'; readonly by: CallSide; readonly at?: Date }
  | {
      readonly type: 'EndCall';
      readonly cause: CallEndCause;
      readonly status?: number;
      readonly by: CallSide;
      readonly at?: Date;
    };

export function createCallDecider(clock: Clock): Decider<CallCommand, CallEvent, CallState> {
  const when = (at: Date | undefined): string => (at ?? clock()).toISOString();

  function started(facts: CallFacts, at: string): CallEvent {
    return {
      type: 'CallStarted',
      callId: facts.callId,
      tenantId: facts.tenantId,
      ...(facts.groupId !== undefined && { groupId: facts.groupId }),
      direction: facts.direction,
      caller: facts.caller,
      callee: facts.callee,
      dialed: facts.dialed,
      presentationRestricted: facts.presentationRestricted,
      startedAt: at,
    };
  }

  function decide(command: CallCommand, state: CallState): readonly CallEvent[] {
    switch (command.type) {
      case 'StartCall':
        return state.status === 'none' ? [started(command.facts, when(command.at))] : [];
      case 'RejectCall': {
        if (state.status !== 'none') return [];
        const at = when(command.at);
        return [
          started(command.facts, at),
          {
            type: 'CallRejected',
            callId: command.facts.callId,
            status: command.status,
            reason: command.reason,
            cause: command.cause,
            rejectedAt: at,
          },
        ];
      }
      case 'ReportRinging':
        return state.status === 'started' || state.status === 'ringing'
          ? [
              {
                type: 'CallRinging',
                callId: state.callId,
                ...(command.deviceId !== undefined && { deviceId: command.deviceId }),
                ringingAt: when(command.at),
              },
            ]
          : [];
      case 'ReportAnswered':
        return state.status === 'started' || state.status === 'ringing'
          ? [
              {
                type: 'CallAnswered',
                callId: state.callId,
                ...(command.deviceId !== undefined && { deviceId: command.deviceId }),
                answeredAt: when(command.at),
              },
            ]
          : [];
      case 'ReportHeld':
        return state.status === 'answered' && !state.held
          ? [{ type: 'CallHeld', callId: state.callId, by: command.by, heldAt: when(command.at) }]
          : [];
      case 'ReportResumed':
        return state.status === 'answered' && state.held
          ? [
              {
                type: 'CallResumed',
                callId: state.callId,
                by: command.by,
                resumedAt: when(command.at),
              },
            ]
          : [];
      case 'EndCall':
        return state.status === 'started' ||
          state.status === 'ringing' ||
          state.status === 'answered'
          ? [
              {
                type: 'CallEnded',
                callId: state.callId,
                cause: command.cause,
                ...(command.status !== undefined && { status: command.status }),
                by: command.by,
                endedAt: when(command.at),
              },
            ]
          : [];
      default:
        return assertNever(command);
    }
  }

  return { initialState: initialCallState, decide, evolve: evolveCall };
}
