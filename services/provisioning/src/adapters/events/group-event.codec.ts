import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type MessageInitShape,
} from '@bufbuild/protobuf';
import type { EventCodec } from '@pbx/events';
import {
  DepartmentAddedSchema,
  DepartmentChangedSchema,
  DepartmentRemovedSchema,
  DeviceAddedSchema,
  DeviceChangedSchema,
  DeviceCredentialsChangedSchema,
  DeviceRemovedSchema,
  GroupCreatedSchema,
  GroupDeletedSchema,
  GroupJoinedEnterpriseSchema,
  GroupSettingsChangedSchema,
  HuntGroupAddedSchema,
  HuntGroupChangedSchema,
  HuntGroupRemovedSchema,
  ScheduleRemovedSchema,
  ScheduleSetSchema,
  TrunkAddedSchema,
  TrunkChangedSchema,
  TrunkRemovedSchema,
  UserAddedSchema,
  UserChangedSchema,
  UserNumbersChangedSchema,
  UserRemovedSchema,
  DeviceKind as WireDeviceKind,
  HuntGroupPolicy as WirePolicy,
  UserProfile as WireProfile,
  Weekday as WireWeekday,
  type DigestCredentials as WireCredentials,
  type ScheduleSet as WireScheduleSet,
} from '@pbx/proto';
import { countryOfNumber, type UserProfile } from '../../domain/group/domain-rules';
import { groupTrunkId } from '../../domain/trunk/trunk';
import { trunkFromWire, trunkToWire } from './trunk-wire';
import {
  WEEKDAYS,
  type Department,
  type DeviceKind,
  type DigestCredentials,
  type GroupEvent,
  type GroupSettings,
  type HuntGroup,
  type HuntGroupPolicy,
  type Schedule,
  type UserDetails,
  type Weekday,
} from '../../domain/group/group';
import { assertNever } from '../../domain/tenant/tenant';

/** A closed domain vocabulary and its protobuf enum, both ways; unknown wire values are refused. */
function vocabulary<D extends string, W extends number>(
  what: string,
  toWire: Readonly<Record<D, W>>,
): { wire: (value: D) => W; domain: (value: W) => D } {
  const entries = Object.entries(toWire) as [D, W][];
  return {
    wire: (value) => toWire[value],
    domain: (value) => {
      const found = entries.find(([, w]) => w === value);
      if (!found) throw new TypeError(`group event with unknown ${what} ${value}`);
      return found[0];
    },
  };
}

const profiles = vocabulary<UserProfile, WireProfile>('user profile', {
  base: WireProfile.BASE,
  business: WireProfile.BUSINESS,
  premium: WireProfile.PREMIUM,
  'fixed-mobile-business': WireProfile.FIXED_MOBILE_BUSINESS,
  'fixed-mobile-premium': WireProfile.FIXED_MOBILE_PREMIUM,
});
const deviceKinds = vocabulary<DeviceKind, WireDeviceKind>('device kind', {
  deskphone: WireDeviceKind.DESKPHONE,
  softphone: WireDeviceKind.SOFTPHONE,
  mobile: WireDeviceKind.MOBILE,
  webrtc: WireDeviceKind.WEBRTC,
});
const policies = vocabulary<HuntGroupPolicy, WirePolicy>('hunt group policy', {
  simultaneous: WirePolicy.SIMULTANEOUS,
  regular: WirePolicy.REGULAR,
  circular: WirePolicy.CIRCULAR,
  uniform: WirePolicy.UNIFORM,
});
const weekdays = vocabulary<Weekday, WireWeekday>('weekday', {
  mon: WireWeekday.MONDAY,
  tue: WireWeekday.TUESDAY,
  wed: WireWeekday.WEDNESDAY,
  thu: WireWeekday.THURSDAY,
  fri: WireWeekday.FRIDAY,
  sat: WireWeekday.SATURDAY,
  sun: WireWeekday.SUNDAY,
});

function encoded<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
): { type: string; data: Uint8Array } {
  return { type: schema.typeName, data: toBinary(schema, create(schema, init)) };
}

function credentialsFromWire(
  credentials: WireCredentials | undefined,
  type: string,
): DigestCredentials {
  if (!credentials) throw new TypeError(`${type} without credentials`);
  return { ha1Md5: credentials.ha1Md5, ha1Sha256: credentials.ha1Sha256 };
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function scheduleRule(schedule: Schedule): MessageInitShape<typeof ScheduleSetSchema>['rule'] {
  if (schedule.type === 'holidays') {
    return { case: 'holidays', value: { dates: [...schedule.dates] } };
  }
  return {
    case: 'businessHours',
    value: {
      intervals: WEEKDAYS.flatMap((day) =>
        (schedule.days[day] ?? []).map((interval) => ({
          weekday: weekdays.wire(day),
          startMinute: minutes(interval.slice(0, 5)),
          endMinute: minutes(interval.slice(6, 11)),
        })),
      ),
    },
  };
}

function scheduleFromWire(m: WireScheduleSet): Schedule {
  switch (m.rule.case) {
    case 'holidays':
      return { name: m.name, type: 'holidays', dates: [...m.rule.value.dates] };
    case 'businessHours': {
      const days: Partial<Record<Weekday, string[]>> = {};
      for (const interval of m.rule.value.intervals) {
        const day = weekdays.domain(interval.weekday);
        (days[day] ??= []).push(`${hhmm(interval.startMinute)}-${hhmm(interval.endMinute)}`);
      }
      const ordered: Partial<Record<Weekday, string[]>> = {};
      for (const day of WEEKDAYS) if (days[day]) ordered[day] = days[day];
      return { name: m.name, type: 'business-hours', days: ordered };
    }
    case undefined:
      throw new TypeError(`${ScheduleSetSchema.typeName} without a rule`);
    default:
      return assertNever(m.rule);
  }
}

/** The settings on the wire, with the country derived from the main number for the dial plan. */
function settingsToWire(settings: GroupSettings): GroupSettings & { country: string } {
  return { ...settings, country: countryOfNumber(settings.mainNumber) ?? '' };
}

/** The trunk name in a group trunk's id (`group:<group>:<name>`); refuses any other id. */
function trunkNameOf(
  m: { trunkId: string; tenantId?: string; groupId?: string },
  type: string,
): { groupId: string; tenantId: string; name: string } {
  const prefix = `group:${m.groupId ?? ''}:`;
  if (m.groupId === undefined || m.tenantId === undefined || !m.trunkId.startsWith(prefix)) {
    throw new TypeError(`${type} ${m.trunkId} is not a group trunk's event`);
  }
  return { groupId: m.groupId, tenantId: m.tenantId, name: m.trunkId.slice(prefix.length) };
}

function departmentFromWire(m: { name: string; number?: string }): Department {
  return { name: m.name, ...(m.number !== undefined && { number: m.number }) };
}

function userFromWire(m: {
  extension: string;
  name: string;
  email?: string;
  profile: WireProfile;
  department?: string;
  presentationRestricted: boolean;
}): UserDetails {
  return {
    extension: m.extension,
    name: m.name,
    ...(m.email !== undefined && { email: m.email }),
    profile: profiles.domain(m.profile),
    ...(m.department !== undefined && { department: m.department }),
    ...(m.presentationRestricted && { presentation: 'restricted' as const }),
  };
}

function huntGroupFromWire(m: {
  extension: string;
  name: string;
  policy: WirePolicy;
  number?: string;
  memberExtensions: string[];
}): HuntGroup {
  return {
    extension: m.extension,
    name: m.name,
    policy: policies.domain(m.policy),
    ...(m.number !== undefined && { number: m.number }),
    members: [...m.memberExtensions],
  };
}

/**
 * Group events on the wire: `pbx.provisioning.v1` protobuf messages (group_events.proto).
 * Credentials travel as HA1s only, never as passwords.
 */
export const groupEventCodec: EventCodec<GroupEvent> = {
  encode(event) {
    switch (event.type) {
      case 'GroupCreated':
        return encoded(GroupCreatedSchema, {
          groupId: event.groupId,
          tenantId: event.tenantId,
          name: event.name,
          ...settingsToWire(event.settings),
        });
      case 'GroupSettingsChanged':
        return encoded(GroupSettingsChangedSchema, {
          groupId: event.groupId,
          name: event.name,
          ...settingsToWire(event.settings),
        });
      case 'GroupDeleted':
        return encoded(GroupDeletedSchema, { groupId: event.groupId });
      case 'GroupJoinedEnterprise':
        return encoded(GroupJoinedEnterpriseSchema, {
          groupId: event.groupId,
          enterpriseName: event.enterpriseName,
        });
      case 'DepartmentAdded':
        return encoded(DepartmentAddedSchema, { groupId: event.groupId, ...event.department });
      case 'DepartmentChanged':
        return encoded(DepartmentChangedSchema, { groupId: event.groupId, ...event.department });
      case 'DepartmentRemoved':
        return encoded(DepartmentRemovedSchema, { groupId: event.groupId, name: event.name });
      case 'UserAdded':
        return encoded(UserAddedSchema, {
          groupId: event.groupId,
          extension: event.user.extension,
          name: event.user.name,
          email: event.user.email,
          profile: profiles.wire(event.user.profile),
          department: event.user.department,
          numbers: [...event.user.numbers],
          presentationRestricted: event.user.presentation === 'restricted',
        });
      case 'UserChanged':
        return encoded(UserChangedSchema, {
          groupId: event.groupId,
          extension: event.user.extension,
          name: event.user.name,
          email: event.user.email,
          profile: profiles.wire(event.user.profile),
          department: event.user.department,
          presentationRestricted: event.user.presentation === 'restricted',
        });
      case 'UserNumbersChanged':
        return encoded(UserNumbersChangedSchema, {
          groupId: event.groupId,
          extension: event.extension,
          numbers: [...event.numbers],
        });
      case 'UserRemoved':
        return encoded(UserRemovedSchema, { groupId: event.groupId, extension: event.extension });
      case 'DeviceAdded':
        return encoded(DeviceAddedSchema, {
          groupId: event.groupId,
          username: event.device.username,
          ownerExtension: event.device.owner,
          kind: deviceKinds.wire(event.device.kind),
          flexHost: event.device.flexHost,
          credentials: { ...event.device.credentials },
        });
      case 'DeviceChanged':
        return encoded(DeviceChangedSchema, {
          groupId: event.groupId,
          username: event.device.username,
          ownerExtension: event.device.owner,
          kind: deviceKinds.wire(event.device.kind),
          flexHost: event.device.flexHost,
        });
      case 'DeviceCredentialsChanged':
        return encoded(DeviceCredentialsChangedSchema, {
          groupId: event.groupId,
          username: event.username,
          credentials: { ...event.credentials },
        });
      case 'DeviceRemoved':
        return encoded(DeviceRemovedSchema, { groupId: event.groupId, username: event.username });
      case 'HuntGroupAdded':
      case 'HuntGroupChanged':
        return encoded(
          event.type === 'HuntGroupAdded' ? HuntGroupAddedSchema : HuntGroupChangedSchema,
          {
            groupId: event.groupId,
            extension: event.huntGroup.extension,
            name: event.huntGroup.name,
            policy: policies.wire(event.huntGroup.policy),
            number: event.huntGroup.number,
            memberExtensions: [...event.huntGroup.members],
          },
        );
      case 'HuntGroupRemoved':
        return encoded(HuntGroupRemovedSchema, {
          groupId: event.groupId,
          extension: event.extension,
        });
      case 'ScheduleSet':
        return encoded(ScheduleSetSchema, {
          groupId: event.groupId,
          name: event.schedule.name,
          rule: scheduleRule(event.schedule),
        });
      case 'ScheduleRemoved':
        return encoded(ScheduleRemovedSchema, { groupId: event.groupId, name: event.name });
      case 'TrunkAdded':
      case 'TrunkChanged':
        return encoded(event.type === 'TrunkAdded' ? TrunkAddedSchema : TrunkChangedSchema, {
          trunkId: groupTrunkId(event.groupId, event.trunk.name),
          tenantId: event.tenantId,
          groupId: event.groupId,
          spec: trunkToWire(event.trunk),
        });
      case 'TrunkRemoved':
        return encoded(TrunkRemovedSchema, {
          trunkId: groupTrunkId(event.groupId, event.name),
          tenantId: event.tenantId,
          groupId: event.groupId,
        });
      default:
        return assertNever(event);
    }
  },

  decode(type, data) {
    switch (type) {
      case GroupCreatedSchema.typeName: {
        const m = fromBinary(GroupCreatedSchema, data);
        return {
          type: 'GroupCreated',
          groupId: m.groupId,
          tenantId: m.tenantId,
          name: m.name,
          settings: { domain: m.domain, timezone: m.timezone, mainNumber: m.mainNumber },
        };
      }
      case GroupSettingsChangedSchema.typeName: {
        const m = fromBinary(GroupSettingsChangedSchema, data);
        return {
          type: 'GroupSettingsChanged',
          groupId: m.groupId,
          name: m.name,
          settings: { domain: m.domain, timezone: m.timezone, mainNumber: m.mainNumber },
        };
      }
      case GroupDeletedSchema.typeName:
        return { type: 'GroupDeleted', groupId: fromBinary(GroupDeletedSchema, data).groupId };
      case GroupJoinedEnterpriseSchema.typeName: {
        const m = fromBinary(GroupJoinedEnterpriseSchema, data);
        return {
          type: 'GroupJoinedEnterprise',
          groupId: m.groupId,
          enterpriseName: m.enterpriseName,
        };
      }
      case DepartmentAddedSchema.typeName: {
        const m = fromBinary(DepartmentAddedSchema, data);
        return { type: 'DepartmentAdded', groupId: m.groupId, department: departmentFromWire(m) };
      }
      case DepartmentChangedSchema.typeName: {
        const m = fromBinary(DepartmentChangedSchema, data);
        return { type: 'DepartmentChanged', groupId: m.groupId, department: departmentFromWire(m) };
      }
      case DepartmentRemovedSchema.typeName: {
        const m = fromBinary(DepartmentRemovedSchema, data);
        return { type: 'DepartmentRemoved', groupId: m.groupId, name: m.name };
      }
      case UserAddedSchema.typeName: {
        const m = fromBinary(UserAddedSchema, data);
        return {
          type: 'UserAdded',
          groupId: m.groupId,
          user: { ...userFromWire(m), numbers: [...m.numbers] },
        };
      }
      case UserChangedSchema.typeName: {
        const m = fromBinary(UserChangedSchema, data);
        return { type: 'UserChanged', groupId: m.groupId, user: userFromWire(m) };
      }
      case UserNumbersChangedSchema.typeName: {
        const m = fromBinary(UserNumbersChangedSchema, data);
        return {
          type: 'UserNumbersChanged',
          groupId: m.groupId,
          extension: m.extension,
          numbers: [...m.numbers],
        };
      }
      case UserRemovedSchema.typeName: {
        const m = fromBinary(UserRemovedSchema, data);
        return { type: 'UserRemoved', groupId: m.groupId, extension: m.extension };
      }
      case DeviceAddedSchema.typeName: {
        const m = fromBinary(DeviceAddedSchema, data);
        return {
          type: 'DeviceAdded',
          groupId: m.groupId,
          device: {
            username: m.username,
            owner: m.ownerExtension,
            kind: deviceKinds.domain(m.kind),
            flexHost: m.flexHost,
            credentials: credentialsFromWire(m.credentials, type),
          },
        };
      }
      case DeviceChangedSchema.typeName: {
        const m = fromBinary(DeviceChangedSchema, data);
        return {
          type: 'DeviceChanged',
          groupId: m.groupId,
          device: {
            username: m.username,
            owner: m.ownerExtension,
            kind: deviceKinds.domain(m.kind),
            flexHost: m.flexHost,
          },
        };
      }
      case DeviceCredentialsChangedSchema.typeName: {
        const m = fromBinary(DeviceCredentialsChangedSchema, data);
        return {
          type: 'DeviceCredentialsChanged',
          groupId: m.groupId,
          username: m.username,
          credentials: credentialsFromWire(m.credentials, type),
        };
      }
      case DeviceRemovedSchema.typeName: {
        const m = fromBinary(DeviceRemovedSchema, data);
        return { type: 'DeviceRemoved', groupId: m.groupId, username: m.username };
      }
      case HuntGroupAddedSchema.typeName: {
        const m = fromBinary(HuntGroupAddedSchema, data);
        return { type: 'HuntGroupAdded', groupId: m.groupId, huntGroup: huntGroupFromWire(m) };
      }
      case HuntGroupChangedSchema.typeName: {
        const m = fromBinary(HuntGroupChangedSchema, data);
        return { type: 'HuntGroupChanged', groupId: m.groupId, huntGroup: huntGroupFromWire(m) };
      }
      case HuntGroupRemovedSchema.typeName: {
        const m = fromBinary(HuntGroupRemovedSchema, data);
        return { type: 'HuntGroupRemoved', groupId: m.groupId, extension: m.extension };
      }
      case ScheduleSetSchema.typeName: {
        const m = fromBinary(ScheduleSetSchema, data);
        return { type: 'ScheduleSet', groupId: m.groupId, schedule: scheduleFromWire(m) };
      }
      case ScheduleRemovedSchema.typeName: {
        const m = fromBinary(ScheduleRemovedSchema, data);
        return { type: 'ScheduleRemoved', groupId: m.groupId, name: m.name };
      }
      case TrunkAddedSchema.typeName:
      case TrunkChangedSchema.typeName: {
        const added = type === TrunkAddedSchema.typeName;
        const m = fromBinary(added ? TrunkAddedSchema : TrunkChangedSchema, data);
        const { groupId, tenantId, name } = trunkNameOf(m, type);
        const trunk = trunkFromWire(m.spec, type);
        if (trunk.name !== name) {
          throw new TypeError(`${type} ${m.trunkId} carries the spec of trunk ${trunk.name}`);
        }
        return { type: added ? 'TrunkAdded' : 'TrunkChanged', groupId, tenantId, trunk };
      }
      case TrunkRemovedSchema.typeName: {
        const m = fromBinary(TrunkRemovedSchema, data);
        return { type: 'TrunkRemoved', ...trunkNameOf(m, type) };
      }
      default:
        throw new TypeError(`not a group event: ${type}`);
    }
  },
};
