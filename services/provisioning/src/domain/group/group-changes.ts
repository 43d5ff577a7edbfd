import { planTrunkChanges } from '../trunk/trunk-changes';
import { digestCredentials, sameCredentials } from './digest-credentials';
import {
  WEEKDAYS,
  type ActiveGroupState,
  type DeviceDetails,
  type GroupEvent,
  type GroupSettings,
  type HuntGroup,
  type Schedule,
  type User,
  type UserDetails,
} from './group';
import { groupSpecError, type GroupSpec, type UserSpec } from './group-spec';
import { field, item, type SpecProblem } from './spec-problems';

/**
 * The events that turn `current` into `spec` (and `name`), and nothing else: an identical spec
 * gives no events. The order is fixed so that every reference holds after each event (see
 * GroupEvent): first what goes away without dependants (hunt groups, devices, schedules, trunks),
 * then additions and changes in the spec's order (departments, schedules, users, devices, hunt
 * groups, trunks), last what others referred to (users, departments).
 */
export function planGroupChanges(
  current: ActiveGroupState,
  spec: GroupSpec,
  name: string,
): GroupEvent[] {
  const trunkPlan = planTrunkChanges(current.trunks, spec.trunks, (i) => item('trunks', i));
  const problems = [...problemsAgainstState(current, spec), ...trunkPlan.problems];
  if (problems.length > 0) throw groupSpecError(problems);

  const groupId = current.groupId;
  const tenantId = current.tenantId;
  const events: GroupEvent[] = [];
  const settings: GroupSettings = {
    domain: spec.domain,
    timezone: spec.timezone,
    mainNumber: spec.mainNumber,
  };
  if (name !== current.name || !sameSettings(settings, current.settings)) {
    events.push({ type: 'GroupSettingsChanged', groupId, name, settings });
  }

  const huntGroups = new Set(spec.huntGroups.map((h) => h.extension));
  const users = new Set(spec.users.map((u) => u.extension));
  const devices = new Set(spec.users.flatMap((u) => u.devices.map((d) => d.username)));
  const schedules = new Set(spec.schedules.map((s) => s.name));
  const departments = new Set(spec.departments.map((d) => d.name));

  for (const extension of current.huntGroups.keys()) {
    if (!huntGroups.has(extension)) events.push({ type: 'HuntGroupRemoved', groupId, extension });
  }
  for (const username of current.devices.keys()) {
    if (!devices.has(username)) events.push({ type: 'DeviceRemoved', groupId, username });
  }
  for (const scheduleName of current.schedules.keys()) {
    if (!schedules.has(scheduleName)) {
      events.push({ type: 'ScheduleRemoved', groupId, name: scheduleName });
    }
  }
  for (const trunkName of trunkPlan.changes.removed) {
    events.push({ type: 'TrunkRemoved', groupId, tenantId, name: trunkName });
  }

  for (const department of spec.departments) {
    const existing = current.departments.get(department.name);
    if (!existing) events.push({ type: 'DepartmentAdded', groupId, department });
    else if (existing.number !== department.number) {
      events.push({ type: 'DepartmentChanged', groupId, department });
    }
  }
  for (const schedule of spec.schedules) {
    const existing = current.schedules.get(schedule.name);
    if (!existing || !sameSchedule(existing, schedule)) {
      events.push({ type: 'ScheduleSet', groupId, schedule });
    }
  }
  for (const user of spec.users) {
    const existing = current.users.get(user.extension);
    if (!existing) {
      events.push({
        type: 'UserAdded',
        groupId,
        user: { ...userDetails(user), numbers: user.numbers },
      });
      continue;
    }
    if (!sameUserDetails(existing, user)) {
      events.push({ type: 'UserChanged', groupId, user: userDetails(user) });
    }
    if (!sameList(existing.numbers, user.numbers)) {
      events.push({
        type: 'UserNumbersChanged',
        groupId,
        extension: user.extension,
        numbers: user.numbers,
      });
    }
  }
  for (const user of spec.users) {
    for (const device of user.devices) {
      const details: DeviceDetails = {
        username: device.username,
        owner: user.extension,
        kind: device.kind,
        flexHost: device.flexHost,
      };
      const credentials =
        device.password === undefined
          ? undefined
          : digestCredentials(device.username, spec.domain, device.password);
      const existing = current.devices.get(device.username);
      if (!existing) {
        // problemsAgainstState refused a new device without a password.
        if (credentials) {
          events.push({ type: 'DeviceAdded', groupId, device: { ...details, credentials } });
        }
        continue;
      }
      if (
        existing.owner !== details.owner ||
        existing.kind !== details.kind ||
        existing.flexHost !== details.flexHost
      ) {
        events.push({ type: 'DeviceChanged', groupId, device: details });
      }
      if (credentials && !sameCredentials(existing.credentials, credentials)) {
        events.push({
          type: 'DeviceCredentialsChanged',
          groupId,
          username: device.username,
          credentials,
        });
      }
    }
  }
  for (const huntGroup of spec.huntGroups) {
    const existing = current.huntGroups.get(huntGroup.extension);
    if (!existing) events.push({ type: 'HuntGroupAdded', groupId, huntGroup });
    else if (!sameHuntGroup(existing, huntGroup)) {
      events.push({ type: 'HuntGroupChanged', groupId, huntGroup });
    }
  }
  for (const trunk of trunkPlan.changes.added) {
    events.push({ type: 'TrunkAdded', groupId, tenantId, trunk });
  }
  for (const trunk of trunkPlan.changes.changed) {
    events.push({ type: 'TrunkChanged', groupId, tenantId, trunk });
  }

  for (const extension of current.users.keys()) {
    if (!users.has(extension)) events.push({ type: 'UserRemoved', groupId, extension });
  }
  for (const departmentName of current.departments.keys()) {
    if (!departments.has(departmentName)) {
      events.push({ type: 'DepartmentRemoved', groupId, name: departmentName });
    }
  }
  return events;
}

/** Rules that need what the group already has: credentials exist only as HA1s bound to the realm. */
function problemsAgainstState(current: ActiveGroupState, spec: GroupSpec): SpecProblem[] {
  const problems: SpecProblem[] = [];
  let keptWithoutPassword = false;
  spec.users.forEach((user, u) =>
    user.devices.forEach((device, d) => {
      if (device.password !== undefined) return;
      if (current.devices.has(device.username)) keptWithoutPassword = true;
      else {
        problems.push({
          path: field(item(field(item('users', u), 'devices'), d), 'password'),
          message: 'required for a new device',
        });
      }
    }),
  );
  if (spec.domain !== current.settings.domain && keptWithoutPassword) {
    problems.unshift({
      path: 'domain',
      message:
        "changing the domain needs every device's password in the same apply, because digest credentials are bound to the realm",
    });
  }
  return problems;
}

function userDetails(user: UserSpec): UserDetails {
  return {
    extension: user.extension,
    name: user.name,
    ...(user.email !== undefined && { email: user.email }),
    profile: user.profile,
    ...(user.department !== undefined && { department: user.department }),
    ...(user.presentation !== undefined && { presentation: user.presentation }),
  };
}

function sameSettings(a: GroupSettings, b: GroupSettings): boolean {
  return a.domain === b.domain && a.timezone === b.timezone && a.mainNumber === b.mainNumber;
}

function sameUserDetails(a: User, b: UserSpec): boolean {
  return (
    a.name === b.name &&
    a.email === b.email &&
    a.profile === b.profile &&
    a.department === b.department &&
    a.presentation === b.presentation
  );
}

function sameHuntGroup(a: HuntGroup, b: HuntGroup): boolean {
  return (
    a.name === b.name &&
    a.policy === b.policy &&
    a.number === b.number &&
    sameList(a.members, b.members)
  );
}

function sameSchedule(a: Schedule, b: Schedule): boolean {
  if (a.type === 'business-hours' && b.type === 'business-hours') {
    return WEEKDAYS.every((day) => sameList(a.days[day] ?? [], b.days[day] ?? []));
  }
  if (a.type === 'holidays' && b.type === 'holidays') return sameList(a.dates, b.dates);
  return false;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
