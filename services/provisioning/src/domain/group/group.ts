import { assertNever } from '../tenant/tenant';
import type { Trunk } from '../trunk/trunk';
import type { UserProfile } from './domain-rules';

/**
 * The whole configuration of one company PBX (T1), one stream per group, so that every rule
 * across users, devices, numbers and hunt groups is checked in one place and a whole config file
 * applies in one append.
 */

export type DeviceKind = 'deskphone' | 'softphone' | 'mobile' | 'webrtc';
export const DEVICE_KINDS: readonly DeviceKind[] = ['deskphone', 'softphone', 'mobile', 'webrtc'];

/** G4: ring everyone at once, or in turn in fixed order, round robin, or to the least-called. */
export type HuntGroupPolicy = 'simultaneous' | 'regular' | 'circular' | 'uniform';
export const HUNT_GROUP_POLICIES: readonly HuntGroupPolicy[] = [
  'simultaneous',
  'regular',
  'circular',
  'uniform',
];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface GroupSettings {
  /** SIP and login domain (T4), lowercase; also the digest realm of every device. */
  readonly domain: string;
  /** IANA time zone in which schedules are read. */
  readonly timezone: string;
  /** E.164. */
  readonly mainNumber: string;
}

export interface Department {
  readonly name: string;
  /** E.164; a department may have its own number (T1). */
  readonly number?: string;
}

/**
 * U2: whether a user's calls present their caller id by default. Restricted is as if every call
 * were dialled with the `*31*` prefix (RFC 3323 `Privacy: id`).
 */
export type CallerIdPresentation = 'allowed' | 'restricted';
export const CALLER_ID_PRESENTATIONS: readonly CallerIdPresentation[] = ['allowed', 'restricted'];

/** What a user is, apart from the numbers that reach them (changed by their own event). */
export interface UserDetails {
  /** The user's key in the group. */
  readonly extension: string;
  readonly name: string;
  readonly email?: string;
  readonly profile: UserProfile;
  /** Name of one of the group's departments. */
  readonly department?: string;
  /** Absent means allowed, the default: one state has one spelling, and `get` omits it. */
  readonly presentation?: 'restricted';
}

export interface User extends UserDetails {
  /** Direct numbers, E.164, in the order given (the first is presented by default). */
  readonly numbers: readonly string[];
}

/**
 * RFC 7616 HA1 = H(username ":" realm ":" password), lowercase hex, realm = the group's domain.
 * Password-equivalent for digest authentication: only the SIP edge may use them.
 */
export interface DigestCredentials {
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

export interface DeviceDetails {
  /** SIP user part, the device's key in the group. */
  readonly username: string;
  /** Extension of the user who owns the device. */
  readonly owner: string;
  readonly kind: DeviceKind;
  /** U21: a shared phone other users can log in to (flexible seating). */
  readonly flexHost: boolean;
}

export interface Device extends DeviceDetails {
  readonly credentials: DigestCredentials;
}

export interface HuntGroup {
  readonly extension: string;
  readonly name: string;
  readonly policy: HuntGroupPolicy;
  /** E.164; the one number that rings the members (G4). */
  readonly number?: string;
  /** Extensions of users, in hunting order (it matters for the regular policy). */
  readonly members: readonly string[];
}

/** Weekly opening hours: per weekday, sorted non-overlapping `HH:MM-HH:MM` intervals. */
export interface BusinessHoursSchedule {
  readonly name: string;
  readonly type: 'business-hours';
  readonly days: Readonly<Partial<Record<Weekday, readonly string[]>>>;
}

/** Closed days: sorted distinct `YYYY-MM-DD` dates in the group's time zone. */
export interface HolidaySchedule {
  readonly name: string;
  readonly type: 'holidays';
  readonly dates: readonly string[];
}

export type Schedule = BusinessHoursSchedule | HolidaySchedule;

/**
 * Within one batch of events (one append) references hold after every event: a device's owner,
 * a hunt group's members and a user's department exist. Uniqueness of numbers and extensions is
 * only guaranteed once the whole batch is applied (a number may move from a removed user to a new
 * one), so projections keyed by a number or extension delete an entry only if it still points at
 * the owner being removed.
 */
export type GroupEvent =
  | {
      readonly type: 'GroupCreated';
      readonly groupId: string;
      readonly tenantId: string;
      readonly name: string;
      readonly settings: GroupSettings;
    }
  | {
      readonly type: 'GroupSettingsChanged';
      readonly groupId: string;
      readonly name: string;
      readonly settings: GroupSettings;
    }
  | { readonly type: 'GroupDeleted'; readonly groupId: string }
  /** Only in the creation batch, right after GroupCreated: membership is fixed (T3). */
  | {
      readonly type: 'GroupJoinedEnterprise';
      readonly groupId: string;
      readonly enterpriseName: string;
    }
  | { readonly type: 'DepartmentAdded'; readonly groupId: string; readonly department: Department }
  | {
      readonly type: 'DepartmentChanged';
      readonly groupId: string;
      readonly department: Department;
    }
  | { readonly type: 'DepartmentRemoved'; readonly groupId: string; readonly name: string }
  | { readonly type: 'UserAdded'; readonly groupId: string; readonly user: User }
  | { readonly type: 'UserChanged'; readonly groupId: string; readonly user: UserDetails }
  | {
      readonly type: 'UserNumbersChanged';
      readonly groupId: string;
      readonly extension: string;
      readonly numbers: readonly string[];
    }
  | { readonly type: 'UserRemoved'; readonly groupId: string; readonly extension: string }
  | { readonly type: 'DeviceAdded'; readonly groupId: string; readonly device: Device }
  | { readonly type: 'DeviceChanged'; readonly groupId: string; readonly device: DeviceDetails }
  | {
      readonly type: 'DeviceCredentialsChanged';
      readonly groupId: string;
      readonly username: string;
      readonly credentials: DigestCredentials;
    }
  | { readonly type: 'DeviceRemoved'; readonly groupId: string; readonly username: string }
  | { readonly type: 'HuntGroupAdded'; readonly groupId: string; readonly huntGroup: HuntGroup }
  | { readonly type: 'HuntGroupChanged'; readonly groupId: string; readonly huntGroup: HuntGroup }
  | { readonly type: 'HuntGroupRemoved'; readonly groupId: string; readonly extension: string }
  | { readonly type: 'ScheduleSet'; readonly groupId: string; readonly schedule: Schedule }
  | { readonly type: 'ScheduleRemoved'; readonly groupId: string; readonly name: string }
  /** A carrier trunk of the group (issue 5); tenantId travels on the wire (trunk_events.proto). */
  | {
      readonly type: 'TrunkAdded';
      readonly groupId: string;
      readonly tenantId: string;
      readonly trunk: Trunk;
    }
  | {
      readonly type: 'TrunkChanged';
      readonly groupId: string;
      readonly tenantId: string;
      readonly trunk: Trunk;
    }
  | {
      readonly type: 'TrunkRemoved';
      readonly groupId: string;
      readonly tenantId: string;
      readonly name: string;
    };

export type GroupEventType = GroupEvent['type'];

/** Maps keep insertion order, which is the order `groupStateToSpec` lists entries in. */
export interface ActiveGroupState {
  readonly status: 'active';
  readonly groupId: string;
  readonly tenantId: string;
  readonly name: string;
  /** The enterprise the group was created in (T2); absent for a standalone Group. */
  readonly enterprise?: string;
  readonly settings: GroupSettings;
  readonly departments: ReadonlyMap<string, Department>;
  /** By extension. */
  readonly users: ReadonlyMap<string, User>;
  /** By username. */
  readonly devices: ReadonlyMap<string, Device>;
  /** By extension. */
  readonly huntGroups: ReadonlyMap<string, HuntGroup>;
  readonly schedules: ReadonlyMap<string, Schedule>;
  /** Carrier trunks by name; they hold passwords in clear (see Trunk). */
  readonly trunks: ReadonlyMap<string, Trunk>;
}

export type GroupState =
  | { readonly status: 'absent' }
  | ActiveGroupState
  | {
      readonly status: 'deleted';
      readonly groupId: string;
      readonly tenantId: string;
      readonly name: string;
    };

export const initialGroupState: GroupState = { status: 'absent' };

export function groupStreamId(groupId: string): string {
  return `group-${groupId}`;
}

/**
 * Maps created during one fold of events (evolveGroupAll). They are not visible outside the fold
 * yet, so they may be changed in place; any other map is copied before a change. Without this,
 * replaying a group copied its whole user map for every event: quadratic in the group's size.
 */
type Owned = WeakSet<ReadonlyMap<string, unknown>>;

function writable<V>(map: ReadonlyMap<string, V>, owned: Owned): Map<string, V> {
  if (owned.has(map)) return map as Map<string, V>;
  const copy = new Map(map);
  owned.add(copy);
  return copy;
}

function put<V>(
  map: ReadonlyMap<string, V>,
  key: string,
  value: V,
  owned: Owned,
): ReadonlyMap<string, V> {
  return writable(map, owned).set(key, value);
}

function drop<V>(map: ReadonlyMap<string, V>, key: string, owned: Owned): ReadonlyMap<string, V> {
  const next = writable(map, owned);
  next.delete(key);
  return next;
}

function update<V>(
  map: ReadonlyMap<string, V>,
  key: string,
  change: (current: V) => V,
  owned: Owned,
): ReadonlyMap<string, V> {
  const current = map.get(key);
  return current === undefined ? map : put(map, key, change(current), owned);
}

/** A group just created: settings, and nothing in it yet. */
export function createdGroup(
  event: Extract<GroupEvent, { type: 'GroupCreated' }>,
): ActiveGroupState {
  return {
    status: 'active',
    groupId: event.groupId,
    tenantId: event.tenantId,
    name: event.name,
    settings: event.settings,
    departments: new Map(),
    users: new Map(),
    devices: new Map(),
    huntGroups: new Map(),
    schedules: new Map(),
    trunks: new Map(),
  };
}

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  return evolveWith(state, event, new WeakSet());
}

/** The same as folding evolveGroup over `events`, in time linear in the events. */
export function evolveGroupAll(state: GroupState, events: readonly GroupEvent[]): GroupState {
  const owned: Owned = new WeakSet();
  let next = state;
  for (const event of events) next = evolveWith(next, event, owned);
  return next;
}

function evolveWith(state: GroupState, event: GroupEvent, owned: Owned): GroupState {
  if (event.type === 'GroupCreated') return createdGroup(event);
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'GroupSettingsChanged':
      return { ...state, name: event.name, settings: event.settings };
    case 'GroupJoinedEnterprise':
      return { ...state, enterprise: event.enterpriseName };
    case 'GroupDeleted':
      return {
        status: 'deleted',
        groupId: state.groupId,
        tenantId: state.tenantId,
        name: state.name,
      };
    case 'DepartmentAdded':
    case 'DepartmentChanged':
      return {
        ...state,
        departments: put(state.departments, event.department.name, event.department, owned),
      };
    case 'DepartmentRemoved':
      return { ...state, departments: drop(state.departments, event.name, owned) };
    case 'UserAdded':
      return { ...state, users: put(state.users, event.user.extension, event.user, owned) };
    case 'UserChanged':
      return {
        ...state,
        users: update(
          state.users,
          event.user.extension,
          (u) => ({
            ...event.user,
            numbers: u.numbers,
          }),
          owned,
        ),
      };
    case 'UserNumbersChanged':
      return {
        ...state,
        users: update(
          state.users,
          event.extension,
          (u) => ({ ...u, numbers: event.numbers }),
          owned,
        ),
      };
    case 'UserRemoved':
      return { ...state, users: drop(state.users, event.extension, owned) };
    case 'DeviceAdded':
      return { ...state, devices: put(state.devices, event.device.username, event.device, owned) };
    case 'DeviceChanged':
      return {
        ...state,
        devices: update(
          state.devices,
          event.device.username,
          (d) => ({
            ...event.device,
            credentials: d.credentials,
          }),
          owned,
        ),
      };
    case 'DeviceCredentialsChanged':
      return {
        ...state,
        devices: update(
          state.devices,
          event.username,
          (d) => ({
            ...d,
            credentials: event.credentials,
          }),
          owned,
        ),
      };
    case 'DeviceRemoved':
      return { ...state, devices: drop(state.devices, event.username, owned) };
    case 'HuntGroupAdded':
    case 'HuntGroupChanged':
      return {
        ...state,
        huntGroups: put(state.huntGroups, event.huntGroup.extension, event.huntGroup, owned),
      };
    case 'HuntGroupRemoved':
      return { ...state, huntGroups: drop(state.huntGroups, event.extension, owned) };
    case 'ScheduleSet':
      return {
        ...state,
        schedules: put(state.schedules, event.schedule.name, event.schedule, owned),
      };
    case 'ScheduleRemoved':
      return { ...state, schedules: drop(state.schedules, event.name, owned) };
    case 'TrunkAdded':
    case 'TrunkChanged':
      return { ...state, trunks: put(state.trunks, event.trunk.name, event.trunk, owned) };
    case 'TrunkRemoved':
      return { ...state, trunks: drop(state.trunks, event.name, owned) };
    default:
      return assertNever(event);
  }
}
