// The seam between the SIP edge (which terminates SIP legs) and routing (which owns the call).
// Pure types: the edge asks routing what to do with a new call and reports what its legs do;
// routing keeps the Call aggregate and its events. In one process the edge calls routing
// directly; the port keeps either side replaceable.

/** Why a call ended or was refused, as the call record states it. */
export type CallEndCause =
  | 'normal'
  | 'busy'
  | 'no-answer'
  | 'unavailable'
  | 'declined'
  | 'not-found'
  | 'forbidden'
  | 'cancelled'
  | 'media-timeout'
  | 'failed';

/** Who placed the call, as the edge authenticated it. */
export type CallOrigin =
  | {
      readonly kind: 'device';
      readonly tenantId: string;
      readonly groupId: string;
      readonly userId: string;
      readonly deviceId: string;
    }
  | {
      readonly kind: 'trunk';
      readonly trunkId: string;
      /** Unset for an operator-wide trunk. */
      readonly tenantId?: string;
    };

export interface RouteRequest {
  /** The platform's id for the call (a UUID), also the Call stream's id. */
  readonly callId: string;
  readonly origin: CallOrigin;
  /** The Request-URI's user part, unescaped: an extension, `0201234567`, `+31201234567`, `*31*...`. */
  readonly dialed: string;
  /** From's user part and display name as the caller sent them (a trunk's A-number). */
  readonly fromUser?: string;
  readonly fromDisplayName?: string;
  /** The Privacy header (RFC 3323), e.g. `id` from a trunk whose caller withheld the number. */
  readonly privacy?: string;
  readonly receivedAt: Date;
}

/** What the callee is shown about the caller (U2). */
export interface CallerPresentation {
  /** E.164 (`+31201234567`) or an extension; unset when unknown. */
  readonly number?: string;
  readonly displayName?: string;
  /** The caller withheld the identity: send `anonymous` and `Privacy: id`. */
  readonly restricted: boolean;
}

export interface DeviceTarget {
  readonly deviceId: string;
  /** The device registers as `sipUser@domain`. */
  readonly sipUser: string;
  readonly domain: string;
}

export type SipTransportName = 'udp' | 'tcp' | 'tls';

/** A carrier trunk as the edge needs it to send a call out or to register to the carrier. */
export interface TrunkRoute {
  readonly trunkId: string;
  /** Unset for an operator-wide trunk. */
  readonly tenantId?: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: SipTransportName;
  readonly username?: string;
  readonly password?: string;
  /** Register to the carrier as `username@host` and keep the registration fresh. */
  readonly register: boolean;
  /** Source addresses an inbound call from this trunk may come from (besides `host`). */
  readonly inboundAddresses: readonly string[];
}

export type CalleeTarget =
  | {
      readonly kind: 'user';
      readonly tenantId: string;
      readonly groupId: string;
      readonly userId: string;
      readonly displayName: string;
      readonly extension?: string;
      /** Every device of the user: the edge forks to each of their registered contacts. */
      readonly devices: readonly DeviceTarget[];
    }
  | {
      readonly kind: 'trunk';
      readonly trunk: TrunkRoute;
      /** The number to send to the carrier, E.164 with `+`. */
      readonly number: string;
    };

export type RouteDecision =
  | {
      readonly kind: 'reject';
      /** SIP status for the caller: 403, 404, 480, 484, 486, 488, 503. */
      readonly status: number;
      readonly reason: string;
      readonly cause: CallEndCause;
    }
  | {
      readonly kind: 'connect';
      readonly callee: CalleeTarget;
      readonly caller: CallerPresentation;
      readonly noAnswerTimeoutS: number;
    };

/** What the edge reports about a routed call; routing records it on the call. */
export type CallLegReport =
  | { readonly kind: 'ringing'; readonly at: Date; readonly deviceId?: string }
  | { readonly kind: 'answered'; readonly at: Date; readonly deviceId?: string }
  | { readonly kind: 'held'; readonly at: Date; readonly by: 'caller' | 'callee' }
  | { readonly kind: 'resumed'; readonly at: Date; readonly by: 'caller' | 'callee' }
  | {
      readonly kind: 'ended';
      readonly at: Date;
      readonly cause: CallEndCause;
      /** The SIP status that ended it, when a final response did. */
      readonly status?: number;
      readonly by: 'caller' | 'callee' | 'platform';
    };

export interface CallRouting {
  /** Decides a new call and records its start (or its refusal). Fast: on every INVITE. */
  route(request: RouteRequest): Promise<RouteDecision>;
  /** Records what happened to a routed call. Never throws; reports of one call keep their order. */
  report(callId: string, report: CallLegReport): void;
}

/** The carrier trunks the edge must know: inbound calls are recognised by source address. */
export interface TrunkDirectory {
  trunks(): readonly TrunkRoute[];
  /** Called whenever a trunk is added, changed or removed. */
  onChange(listener: () => void): void;
}
