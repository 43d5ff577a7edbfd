import type { CallEndCause, CallerPresentation, RouteDecision } from '@pbx/telephony';
import type { CallDirection, CallParty } from '../call/call';

/** What the dial plan decided for a call, with the facts the call's record keeps. */
export interface RoutePlan {
  readonly decision: RouteDecision;
  readonly tenantId: string;
  readonly groupId?: string;
  readonly direction: CallDirection;
  readonly caller: CallParty;
  readonly callee: CallParty;
  readonly presentationRestricted: boolean;
}

/** The part of a plan known before the destination is: who calls and how they are shown. */
export interface PlanContext {
  readonly tenantId: string;
  readonly groupId?: string;
  readonly caller: CallParty;
}

export function rejected(
  context: PlanContext,
  direction: CallDirection,
  callee: CallParty,
  status: number,
  cause: CallEndCause,
  reason: string,
): RoutePlan {
  return {
    decision: { kind: 'reject', status, reason, cause },
    tenantId: context.tenantId,
    ...(context.groupId !== undefined && { groupId: context.groupId }),
    direction,
    caller: context.caller,
    callee,
    presentationRestricted: false,
  };
}

/** What a callee is shown when the caller withholds their identity (RFC 3323 section 4.1.1.3). */
export const WITHHELD: CallerPresentation = Object.freeze({ restricted: true });
