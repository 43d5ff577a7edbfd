import type { CallEndCause } from '@pbx/telephony';
import { assertNever } from '../directory/directory';

/** Where a call goes, seen from the platform. */
export type CallDirection = 'internal' | 'outbound' | 'inbound';

/** Which side did something to a call. */
export type CallSide = 'caller' | 'callee' | 'platform';

/**
 * One end of a call. A platform user has `groupId` and `userId` (their extension); an outside
 * party only a number and the trunk it came through or left by.
 */
export interface CallParty {
  readonly tenantId?: string;
  readonly groupId?: string;
  readonly userId?: string;
  readonly extension?: string;
  readonly number?: string;
  readonly displayName?: string;
  readonly deviceId?: string;
  readonly trunkId?: string;
}

export type CallStartedEvent = {
  readonly type: 'CallStarted';
  readonly callId: string;
  readonly tenantId: string;
  readonly groupId?: string;
  readonly direction: CallDirection;
  readonly caller: CallParty;
  readonly callee: CallParty;
  readonly dialed: string;
  /** The callee is not shown who calls (U2). */
  readonly presentationRestricted: boolean;
  readonly startedAt: string;
};

/** Events of the Call aggregate; times are ISO-8601 instants the edge saw. */
export type CallEvent =
  | CallStartedEvent
  | {
      readonly type: 'CallRejected';
      readonly callId: string;
      readonly status: number;
      readonly reason: string;
      readonly cause: CallEndCause;
      readonly rejectedAt: string;
    }
  | {
      readonly type: 'CallRinging';
      readonly callId: string;
      readonly deviceId?: string;
      readonly ringingAt: string;
    }
  | {
      readonly type: 'CallAnswered';
      readonly callId: string;
      readonly deviceId?: string;
      readonly answeredAt: string;
    }
  | {
      readonly type: 'CallHeld';
      readonly callId: string;
      readonly by: CallSide;
      readonly heldAt: string;
    }
  | {
      readonly type: 'CallResumed';
      readonly callId: string;
      readonly by: CallSide;
      readonly resumedAt: string;
    }
  | {
      readonly type: 'CallEnded';
      readonly callId: string;
      readonly cause: CallEndCause;
      readonly status?: number;
      readonly by: CallSide;
      readonly endedAt: string;
    };

/**
 * The call's state machine: none → started → ringing → answered → ended; started and ringing may
 * end too (cancelled, busy, no answer); rejected and ended are terminal. `held` only while
 * answered.
 */
export type CallState =
  | { readonly status: 'none' }
  | { readonly status: 'started'; readonly callId: string; readonly startedAt: string }
  | { readonly status: 'ringing'; readonly callId: string; readonly startedAt: string }
  | {
      readonly status: 'answered';
      readonly callId: string;
      readonly startedAt: string;
      readonly answeredAt: string;
      readonly held: boolean;
    }
  | { readonly status: 'ended'; readonly callId: string; readonly endedAt: string }
  | { readonly status: 'rejected'; readonly callId: string };

export const initialCallState: CallState = { status: 'none' };

export function evolveCall(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'CallStarted':
      return { status: 'started', callId: event.callId, startedAt: event.startedAt };
    case 'CallRejected':
      return { status: 'rejected', callId: event.callId };
    case 'CallRinging':
      return state.status === 'started' ? { ...state, status: 'ringing' } : state;
    case 'CallAnswered':
      return state.status === 'started' || state.status === 'ringing'
        ? {
            status: 'answered',
            callId: state.callId,
            startedAt: state.startedAt,
            answeredAt: event.answeredAt,
            held: false,
          }
        : state;
    case 'CallHeld':
      return state.status === 'answered' ? { ...state, held: true } : state;
    case 'CallResumed':
      return state.status === 'answered' ? { ...state, held: false } : state;
    case 'CallEnded':
      return { status: 'ended', callId: event.callId, endedAt: event.endedAt };
    default:
      return assertNever(event);
  }
}

/** One stream per call: `call-<call id>`. */
export function callStreamId(callId: string): string {
  return `call-${callId}`;
}

/** Whether nothing can happen to the call any more. */
export function isFinished(state: CallState): boolean {
  return state.status === 'ended' || state.status === 'rejected';
}
