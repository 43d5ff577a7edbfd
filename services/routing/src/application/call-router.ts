import type { Decider } from '@pbx/events';
import type { CallLegReport, CallRouting, RouteDecision, RouteRequest } from '@pbx/telephony';
import { evolveCall, isFinished, type CallEvent, type CallState } from '../domain/call/call';
import type { CallCommand, CallFacts, Clock } from '../domain/call/call.decider';
import { assertNever } from '../domain/directory/directory';
import { planRoute, OPERATOR_TENANT, type DialPlanOptions } from '../domain/dial-plan/dial-plan';
import type { RoutePlan } from '../domain/dial-plan/route-plan';
import type { DirectoryCache } from './directory-cache';

/** Where the router puts a call's new events: stored in the background, in order. */
export interface CallEventSink {
  record(callId: string, tenant: string, events: readonly CallEvent[], finished: boolean): void;
}

export interface RouterLog {
  debug(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CallRouterOptions extends DialPlanOptions {
  /** A call the edge never reported ended is ended by the platform after this long. */
  readonly maxCallDurationMs?: number;
}

interface LiveCall {
  state: CallState;
  readonly tenant: string;
  readonly startedAtMs: number;
}

const CALL_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const MAX_DIALED = 256;

/**
 * The routing side of the edge/routing port. route() decides from the in-memory directory and
 * never waits for PostgreSQL: the call's events go to the journal, which stores them in the
 * background. Live calls are kept in memory until they end; reports for a call that is not live
 * (already ended, or unknown) are ignored.
 */
export class CallRouter implements CallRouting {
  readonly #live = new Map<string, LiveCall>();
  readonly #maxCallMs: number;

  constructor(
    private readonly directory: DirectoryCache,
    private readonly decider: Decider<CallCommand, CallEvent, CallState>,
    private readonly events: CallEventSink,
    private readonly clock: Clock,
    private readonly log: RouterLog,
    private readonly options: CallRouterOptions,
  ) {
    this.#maxCallMs = options.maxCallDurationMs ?? 24 * 3_600_000;
  }

  /** Calls routed and not yet ended. */
  get liveCalls(): number {
    return this.#live.size;
  }

  route(request: RouteRequest): Promise<RouteDecision> {
    try {
      return Promise.resolve(this.decide(request));
    } catch (error) {
      this.log.error(
        `routing call ${String(request?.callId).slice(0, 100)} failed: ${(error as Error).stack}`,
      );
      return Promise.resolve({
        kind: 'reject',
        status: 500,
        reason: 'routing failed',
        cause: 'failed',
      });
    }
  }

  report(callId: string, report: CallLegReport): void {
    try {
      const call = this.#live.get(callId);
      if (!call) {
        this.log.debug(
          `report ${report.kind} for call ${callId.slice(0, 100)}, which is not live: ignored`,
        );
        return;
      }
      const events = this.decider.decide(commandOf(report), call.state);
      if (events.length === 0) {
        this.log.debug(
          `report ${report.kind} does not apply to call ${callId} (${call.state.status}): ignored`,
        );
        return;
      }
      call.state = events.reduce(evolveCall, call.state);
      const finished = isFinished(call.state);
      if (finished) this.#live.delete(callId);
      this.events.record(callId, call.tenant, events, finished);
    } catch (error) {
      this.log.error(
        `report for call ${String(callId).slice(0, 100)} failed: ${(error as Error).stack}`,
      );
    }
  }

  /**
   * Ends the calls the edge has not reported on for longer than any call lasts (an edge that
   * restarted forgets its dialogs): their records would otherwise stay open for ever.
   */
  sweep(): number {
    const now = this.clock().getTime();
    let ended = 0;
    for (const [callId, call] of this.#live) {
      if (now - call.startedAtMs < this.#maxCallMs) continue;
      this.log.warn(
        `call ${callId} had no end after ${Math.round(this.#maxCallMs / 60_000)} min: ended by the platform`,
      );
      this.report(callId, { kind: 'ended', at: new Date(now), cause: 'failed', by: 'platform' });
      ended++;
    }
    return ended;
  }

  private decide(request: RouteRequest): RouteDecision {
    if (typeof request.callId !== 'string' || !CALL_ID.test(request.callId)) {
      return { kind: 'reject', status: 400, reason: 'invalid call id', cause: 'failed' };
    }
    if (typeof request.dialed !== 'string' || request.dialed.length > MAX_DIALED) {
      return {
        kind: 'reject',
        status: 404,
        reason: 'what was dialed is not a number',
        cause: 'not-found',
      };
    }
    if (this.#live.has(request.callId)) {
      this.log.warn(`call ${request.callId} was routed twice: the second route is refused`);
      return { kind: 'reject', status: 500, reason: 'duplicate call id', cause: 'failed' };
    }
    if (!this.directory.loaded) {
      const tenant = request.origin.tenantId ?? OPERATOR_TENANT;
      return this.start(request, {
        decision: {
          kind: 'reject',
          status: 503,
          reason: 'routing is starting: its directory is not loaded yet',
          cause: 'unavailable',
        },
        tenantId: tenant,
        ...(request.origin.kind === 'device' && { groupId: request.origin.groupId }),
        direction: request.origin.kind === 'trunk' ? 'inbound' : 'internal',
        caller:
          request.origin.kind === 'device'
            ? {
                tenantId: tenant,
                groupId: request.origin.groupId,
                userId: request.origin.userId,
                extension: request.origin.userId,
                deviceId: request.origin.deviceId,
              }
            : { trunkId: request.origin.trunkId },
        callee: {},
        presentationRestricted: false,
      });
    }
    return this.start(request, planRoute(this.directory.index, request, this.options));
  }

  private start(request: RouteRequest, plan: RoutePlan): RouteDecision {
    const facts: CallFacts = {
      callId: request.callId,
      tenantId: plan.tenantId,
      ...(plan.groupId !== undefined && { groupId: plan.groupId }),
      direction: plan.direction,
      caller: plan.caller,
      callee: plan.callee,
      dialed: request.dialed,
      presentationRestricted: plan.presentationRestricted,
    };
    const at =
      request.receivedAt instanceof Date && !Number.isNaN(request.receivedAt.getTime())
        ? request.receivedAt
        : this.clock();
    const { decision } = plan;
    const command: CallCommand =
      decision.kind === 'reject'
        ? {
            type: 'RejectCall',
            facts,
            status: decision.status,
            reason: decision.reason,
            cause: decision.cause,
            at,
          }
        : { type: 'StartCall', facts, at };
    const events = this.decider.decide(command, this.decider.initialState);
    const state = events.reduce(evolveCall, this.decider.initialState);
    const finished = isFinished(state);
    if (!finished) {
      this.#live.set(request.callId, {
        state,
        tenant: plan.tenantId,
        startedAtMs: this.clock().getTime(),
      });
    }
    this.events.record(request.callId, plan.tenantId, events, finished);
    return decision;
  }
}

function commandOf(report: CallLegReport): CallCommand {
  switch (report.kind) {
    case 'ringing':
      return {
        type: 'ReportRinging',
        ...(report.deviceId !== undefined && { deviceId: report.deviceId }),
        at: report.at,
      };
    case 'answered':
      return {
        type: 'ReportAnswered',
        ...(report.deviceId !== undefined && { deviceId: report.deviceId }),
        at: report.at,
      };
    case 'held':
      return { type: 'ReportHeld', by: report.by, at: report.at };
    case 'resumed':
      return { type: 'ReportResumed', by: report.by, at: report.at };
    case 'ended':
      return {
        type: 'EndCall',
        cause: report.cause,
        ...(report.status !== undefined && { status: report.status }),
        by: report.by,
        at: report.at,
      };
    default:
      return assertNever(report);
  }
}
