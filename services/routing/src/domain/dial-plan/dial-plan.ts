import type { CalleeTarget, CallerPresentation, DeviceTarget, RouteRequest } from '@pbx/telephony';
import type { CallDirection, CallParty } from '../call/call';
import type {
  DirectoryGroup,
  DirectoryTrunk,
  DirectoryUser,
  DirectoryView,
  NumberOwner,
} from '../directory/directory';
import { dialedKind, parseDialed, type PresentationRequest } from './dialed-number';
import { carrierNumberToE164, looksLikeE164, toE164 } from './phone-numbers';
import { rejected, WITHHELD, type PlanContext, type RoutePlan } from './route-plan';

export interface DialPlanOptions {
  /** How long the callee's devices ring before the edge gives up (PBX_NO_ANSWER_TIMEOUT_S). */
  readonly noAnswerTimeoutS: number;
}

/** The tenant of calls that belong to nobody yet (an unknown DID on an operator trunk). */
export const OPERATOR_TENANT = 'operator';

/**
 * The dial plan: decides where a new call goes and how the caller is presented (U2). Pure and
 * synchronous over the in-memory directory: it runs on every INVITE.
 */
export function planRoute(
  directory: DirectoryView,
  request: RouteRequest,
  options: DialPlanOptions,
): RoutePlan {
  return request.origin.kind === 'device'
    ? planDeviceCall(directory, request, request.origin, options)
    : planTrunkCall(directory, request, request.origin, options);
}

type DeviceOrigin = Extract<RouteRequest['origin'], { kind: 'device' }>;
type TrunkOrigin = Extract<RouteRequest['origin'], { kind: 'trunk' }>;

interface Caller {
  readonly group: DirectoryGroup;
  readonly user: DirectoryUser;
  readonly context: PlanContext;
  /** The caller withholds their identity on this call (setting or access code). */
  readonly restricted: boolean;
}

function planDeviceCall(
  directory: DirectoryView,
  request: RouteRequest,
  origin: DeviceOrigin,
  options: DialPlanOptions,
): RoutePlan {
  const group = directory.group(origin.groupId);
  const user = directory.user(origin.groupId, origin.userId);
  const context: PlanContext = {
    tenantId: origin.tenantId,
    groupId: origin.groupId,
    caller: {
      tenantId: origin.tenantId,
      groupId: origin.groupId,
      userId: origin.userId,
      extension: origin.userId,
      deviceId: origin.deviceId,
      ...(user && { displayName: user.name }),
      ...(user?.numbers[0] !== undefined && { number: user.numbers[0] }),
    },
  };
  if (!group || group.tenantId !== origin.tenantId || !user) {
    return rejected(
      context,
      'internal',
      {},
      403,
      'forbidden',
      `the calling user ${origin.userId} of group ${origin.groupId} is not provisioned`,
    );
  }
  const dialed = parseDialed(request.dialed);
  if (!dialed.ok) {
    return dialed.reason === 'empty'
      ? rejected(context, 'internal', {}, 484, 'not-found', 'nothing was dialed')
      : rejected(context, 'internal', {}, 404, 'not-found', 'what was dialed is not a number');
  }
  const caller: Caller = {
    group,
    user,
    context,
    restricted: restrictionOf(user, dialed.presentation),
  };
  const kind = dialedKind(dialed.digits);
  if (kind === 'extension') return callExtension(directory, caller, dialed.digits, options);

  // A number: on-net (a user anywhere on the platform) before the trunk.
  const e164 = toE164(dialed.digits, group.country);
  if (!e164.ok) {
    return e164.incomplete
      ? rejected(context, 'outbound', { number: dialed.digits }, 484, 'not-found', e164.message)
      : rejected(context, 'outbound', { number: dialed.digits }, 404, 'not-found', e164.message);
  }
  const owner = directory.ownerOfNumber(e164.e164);
  if (owner) return callOwner(directory, caller, owner, e164.e164, options);
  return callOutside(directory, caller, e164.e164, options);
}

/** U2: the user's permanent setting, overridden either way by the per-call access code. */
function restrictionOf(user: DirectoryUser, request: PresentationRequest): boolean {
  if (request === 'restrict') return true;
  if (request === 'present') return false;
  return user.presentationRestricted;
}

function callExtension(
  directory: DirectoryView,
  caller: Caller,
  extension: string,
  options: DialPlanOptions,
): RoutePlan {
  const groupId = caller.group.groupId;
  const callee = directory.user(groupId, extension);
  if (callee) return connectUser(directory, caller, callee, undefined, options);
  if (directory.huntGroup(groupId, extension)) {
    return huntGroupUnavailable(caller.context, { groupId, extension }, 'internal');
  }
  return rejected(
    caller.context,
    'internal',
    { groupId, extension },
    404,
    'not-found',
    `group ${groupId} has no extension ${extension}`,
  );
}

function callOwner(
  directory: DirectoryView,
  caller: Caller,
  owner: NumberOwner,
  number: string,
  options: DialPlanOptions,
): RoutePlan {
  switch (owner.kind) {
    case 'user': {
      const callee = directory.user(owner.groupId, owner.extension);
      if (callee) return connectUser(directory, caller, callee, number, options);
      return rejected(
        caller.context,
        'internal',
        { number },
        404,
        'not-found',
        `${number} is not in use`,
      );
    }
    case 'hunt-group':
    case 'department':
    case 'main':
      return unroutableOwner(caller.context, owner, number, 'internal');
    default:
      return assertNeverOwner(owner);
  }
}

/** Hunt groups are routed by a later issue (G4); until then they are unavailable, not unknown. */
function huntGroupUnavailable(
  context: PlanContext,
  callee: CallParty,
  direction: CallDirection,
): RoutePlan {
  return rejected(
    context,
    direction,
    callee,
    480,
    'unavailable',
    `${callee.number ?? callee.extension} is a hunt group; hunt groups do not take calls yet`,
  );
}

function devicesOf(
  directory: DirectoryView,
  group: DirectoryGroup,
  user: DirectoryUser,
): DeviceTarget[] {
  // One device id platform-wide: `<groupId>:<username>` (the SIP edge's and the registration
  // events' too); a SIP username is unique within its group only.
  return directory.devicesOf(group.groupId, user.extension).map((username) => ({
    deviceId: `${group.groupId}:${username}`,
    sipUser: username,
    domain: group.domain,
  }));
}

function connectUser(
  directory: DirectoryView,
  caller: Caller,
  callee: DirectoryUser,
  dialedNumber: string | undefined,
  options: DialPlanOptions,
): RoutePlan {
  const calleeGroup = directory.group(callee.groupId);
  const party: CallParty = {
    ...(calleeGroup && { tenantId: calleeGroup.tenantId }),
    groupId: callee.groupId,
    userId: callee.extension,
    extension: callee.extension,
    displayName: callee.name,
    ...(dialedNumber !== undefined && { number: dialedNumber }),
  };
  const devices = calleeGroup ? devicesOf(directory, calleeGroup, callee) : [];
  if (!calleeGroup || devices.length === 0) {
    return rejected(
      caller.context,
      'internal',
      party,
      480,
      'unavailable',
      `${callee.extension} of group ${callee.groupId} has no device`,
    );
  }
  // Inside the group colleagues see each other's extension and name, as on any PBX: CLIR (U2)
  // hides the identity from calls that leave the group only.
  const sameGroup = callee.groupId === caller.group.groupId;
  const restricted = !sameGroup && caller.restricted;
  let presentation: CallerPresentation;
  if (sameGroup) {
    presentation = { number: caller.user.extension, displayName: caller.user.name, restricted };
  } else if (restricted) {
    presentation = WITHHELD;
  } else {
    const number = caller.user.numbers[0] ?? caller.group.mainNumber;
    presentation = {
      ...(number !== undefined && { number }),
      displayName: caller.user.name,
      restricted,
    };
  }
  const target: CalleeTarget = {
    kind: 'user',
    tenantId: calleeGroup.tenantId,
    groupId: callee.groupId,
    userId: callee.extension,
    displayName: callee.name,
    extension: callee.extension,
    devices,
  };
  return {
    decision: {
      kind: 'connect',
      callee: target,
      caller: presentation,
      noAnswerTimeoutS: options.noAnswerTimeoutS,
    },
    tenantId: caller.context.tenantId,
    groupId: caller.group.groupId,
    direction: 'internal',
    caller: caller.context.caller,
    callee: party,
    presentationRestricted: restricted,
  };
}

/** The group's own trunk first, else an operator-wide one (both by name). */
function trunkFor(directory: DirectoryView, groupId: string): DirectoryTrunk | undefined {
  return directory.groupTrunks(groupId)[0] ?? directory.operatorTrunks()[0];
}

function callOutside(
  directory: DirectoryView,
  caller: Caller,
  number: string,
  options: DialPlanOptions,
): RoutePlan {
  const trunk = trunkFor(directory, caller.group.groupId);
  if (!trunk) {
    return rejected(
      caller.context,
      'outbound',
      { number },
      503,
      'unavailable',
      `no trunk carries outside calls for group ${caller.group.groupId}`,
    );
  }
  const presented = caller.user.numbers[0] ?? caller.group.mainNumber;
  // Towards the carrier the number stays set when withheld: the edge sends it only in
  // P-Asserted-Identity with `Privacy: id` (RFC 3325 section 9.3, RFC 3323 section 4.2), and the
  // carrier withholds it from the called party.
  const presentation: CallerPresentation = {
    ...(presented !== undefined && { number: presented }),
    displayName: caller.user.name,
    restricted: caller.restricted,
  };
  const { groupId: _scope, ...route } = trunk;
  return {
    decision: {
      kind: 'connect',
      callee: { kind: 'trunk', trunk: route, number },
      caller: presentation,
      noAnswerTimeoutS: options.noAnswerTimeoutS,
    },
    tenantId: caller.context.tenantId,
    groupId: caller.group.groupId,
    direction: 'outbound',
    caller: caller.context.caller,
    callee: { number, trunkId: trunk.trunkId },
    presentationRestricted: caller.restricted,
  };
}

const PRIVACY_WITHHOLDS = /(^|[\s;,])(id|user|header)($|[\s;,])/i;
const SEPARATORS = /[\s\-.()/]/g;

/**
 * Who calls in from a carrier: From's user part normalised to E.164 when it is a number, hidden
 * when the carrier asks for privacy (`Privacy: id`/`user`/`header`, RFC 3323 section 4.2 and
 * RFC 3325 section 9.3) or From is anonymous (RFC 3323 section 4.1.1.3).
 */
function inboundCaller(
  request: RouteRequest,
  trunk: DirectoryTrunk,
  country: DirectoryGroup['country'],
): { party: CallParty; restricted: boolean } {
  const fromUser = request.fromUser?.replace(SEPARATORS, '');
  const digits = fromUser && /^\+?[0-9]{1,32}$/.test(fromUser) ? fromUser : undefined;
  const number = digits ? (carrierNumberToE164(digits, country) ?? digits) : undefined;
  const displayName = request.fromDisplayName?.trim().slice(0, 100) || undefined;
  const anonymous = !number && /^anonymous$/i.test(request.fromUser ?? '');
  const restricted = anonymous || PRIVACY_WITHHOLDS.test(request.privacy ?? '');
  return {
    party: {
      trunkId: trunk.trunkId,
      ...(number !== undefined && { number }),
      ...(displayName !== undefined && { displayName }),
    },
    restricted,
  };
}

function planTrunkCall(
  directory: DirectoryView,
  request: RouteRequest,
  origin: TrunkOrigin,
  options: DialPlanOptions,
): RoutePlan {
  const trunk = directory.trunk(origin.trunkId);
  const unknownTrunk: PlanContext = {
    tenantId: origin.tenantId ?? OPERATOR_TENANT,
    caller: { trunkId: origin.trunkId },
  };
  if (!trunk) {
    return rejected(
      unknownTrunk,
      'inbound',
      {},
      403,
      'forbidden',
      `unknown trunk ${origin.trunkId}`,
    );
  }
  const trunkGroup = trunk.groupId !== undefined ? directory.group(trunk.groupId) : undefined;
  const { party: callerParty, restricted } = inboundCaller(request, trunk, trunkGroup?.country);
  const context: PlanContext = {
    tenantId: trunk.tenantId ?? OPERATOR_TENANT,
    ...(trunk.groupId !== undefined && { groupId: trunk.groupId }),
    caller: callerParty,
  };
  const dialed = parseDialed(request.dialed);
  const did = dialed.ok ? carrierNumberToE164(dialed.digits, trunkGroup?.country) : undefined;
  if (!did || !looksLikeE164(did)) {
    return rejected(
      context,
      'inbound',
      {},
      404,
      'not-found',
      `${request.dialed.slice(0, 40)} is not a number of the platform`,
    );
  }
  const owner = directory.ownerOfNumber(did);
  const ownerGroup = owner ? directory.group(owner.groupId) : undefined;
  // A group's trunk carries that tenant's numbers only; an operator trunk any tenant's.
  if (
    !owner ||
    !ownerGroup ||
    (trunk.tenantId !== undefined && ownerGroup.tenantId !== trunk.tenantId)
  ) {
    return rejected(
      context,
      'inbound',
      { number: did },
      404,
      'not-found',
      `${did} is not a number of the platform`,
    );
  }
  const calleeContext: PlanContext = {
    tenantId: ownerGroup.tenantId,
    groupId: ownerGroup.groupId,
    caller: callerParty,
  };
  if (owner.kind !== 'user') return unroutableOwner(calleeContext, owner, did, 'inbound');
  const callee = directory.user(owner.groupId, owner.extension);
  const party: CallParty = {
    tenantId: ownerGroup.tenantId,
    groupId: owner.groupId,
    userId: owner.extension,
    extension: owner.extension,
    number: did,
    ...(callee && { displayName: callee.name }),
  };
  const devices = callee ? devicesOf(directory, ownerGroup, callee) : [];
  if (!callee || devices.length === 0) {
    return rejected(
      calleeContext,
      'inbound',
      party,
      480,
      'unavailable',
      `${did} has no device to ring`,
    );
  }
  const presentation: CallerPresentation = restricted
    ? WITHHELD
    : {
        ...(callerParty.number !== undefined && { number: callerParty.number }),
        ...(callerParty.displayName !== undefined && { displayName: callerParty.displayName }),
        restricted: false,
      };
  return {
    decision: {
      kind: 'connect',
      callee: {
        kind: 'user',
        tenantId: ownerGroup.tenantId,
        groupId: ownerGroup.groupId,
        userId: callee.extension,
        displayName: callee.name,
        extension: callee.extension,
        devices,
      },
      caller: presentation,
      noAnswerTimeoutS: options.noAnswerTimeoutS,
    },
    tenantId: ownerGroup.tenantId,
    groupId: ownerGroup.groupId,
    direction: 'inbound',
    caller: callerParty,
    callee: party,
    presentationRestricted: restricted,
  };
}

/** A number that belongs to something that does not take calls yet: unavailable, not unknown. */
function unroutableOwner(
  context: PlanContext,
  owner: Exclude<NumberOwner, { kind: 'user' }>,
  number: string,
  direction: CallDirection,
): RoutePlan {
  if (owner.kind === 'hunt-group') {
    return huntGroupUnavailable(
      context,
      { groupId: owner.groupId, extension: owner.extension, number },
      direction,
    );
  }
  // Departments and main numbers ring nobody until an auto attendant or a destination for them
  // exists (later issues); 480 tells the caller to try later rather than that the number is wrong.
  const what =
    owner.kind === 'department'
      ? `the number of department ${owner.name}`
      : `the main number of group ${owner.groupId}`;
  return rejected(
    context,
    direction,
    { groupId: owner.groupId, number },
    480,
    'unavailable',
    `${number} is ${what}, which has no destination to ring`,
  );
}

function assertNeverOwner(owner: never): never {
  throw new TypeError(`unexpected number owner ${JSON.stringify(owner)}`);
}
