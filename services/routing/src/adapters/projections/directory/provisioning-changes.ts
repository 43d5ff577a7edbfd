import { fromBinary } from '@bufbuild/protobuf';
import { parsePhoneNumber, type CountryCode, type Profile } from '@pbx/domain';
import {
  DepartmentAddedSchema,
  DepartmentChangedSchema,
  DepartmentRemovedSchema,
  DeviceAddedSchema,
  DeviceChangedSchema,
  DeviceRemovedSchema,
  GroupCreatedSchema,
  GroupDeletedSchema,
  GroupSettingsChangedSchema,
  HuntGroupAddedSchema,
  HuntGroupChangedSchema,
  HuntGroupRemovedSchema,
  TrunkAddedSchema,
  TrunkChangedSchema,
  TrunkRemovedSchema,
  TrunkTransport,
  UserAddedSchema,
  UserChangedSchema,
  UserNumbersChangedSchema,
  UserProfile,
  UserRemovedSchema,
  type TrunkSpec,
} from '@pbx/proto';
import type { SipTransportName } from '@pbx/telephony';
import type { DirectoryChange, DirectoryTrunk } from '../../../domain/directory/directory';

const PROFILES: ReadonlyMap<UserProfile, Profile> = new Map([
  [UserProfile.BASE, 'base'],
  [UserProfile.BUSINESS, 'business'],
  [UserProfile.PREMIUM, 'premium'],
  [UserProfile.FIXED_MOBILE_BUSINESS, 'fixed-mobile-business'],
  [UserProfile.FIXED_MOBILE_PREMIUM, 'fixed-mobile-premium'],
]);

const TRANSPORTS: ReadonlyMap<TrunkTransport, SipTransportName> = new Map([
  [TrunkTransport.UDP, 'udp'],
  [TrunkTransport.TCP, 'tcp'],
  [TrunkTransport.TLS, 'tls'],
]);

/** The country national numbers of a group are read in: the main number's. */
export function countryOfNumber(number: string | undefined): CountryCode | undefined {
  if (!number) return undefined;
  const parsed = parsePhoneNumber(number);
  return parsed.ok ? parsed.value.countryCode : undefined;
}

const present = (value: string | undefined): string | undefined => value || undefined;

function trunkOf(
  trunkId: string,
  tenantId: string | undefined,
  groupId: string | undefined,
  spec: TrunkSpec | undefined,
): DirectoryTrunk {
  if (!spec) throw new TypeError(`trunk ${trunkId} event without its spec`);
  const transport = TRANSPORTS.get(spec.transport) ?? 'udp';
  return {
    trunkId,
    ...(present(tenantId) !== undefined && { tenantId }),
    ...(present(groupId) !== undefined && { groupId }),
    name: spec.name,
    host: spec.host,
    // RFC 3261 section 19.1.2: 5060 by default, 5061 for TLS.
    port: spec.port || (transport === 'tls' ? 5061 : 5060),
    transport,
    ...(present(spec.username) !== undefined && { username: spec.username }),
    ...(present(spec.password) !== undefined && { password: spec.password }),
    register: spec.register,
    inboundAddresses: [...spec.inboundAddresses],
  };
}

/**
 * What a provisioning event changes in routing's directory; empty for events it does not use.
 * Device credentials are never read (they are for the SIP edge only).
 */
export function directoryChangesOf(
  type: string,
  data: Uint8Array,
  tenant: string,
): DirectoryChange[] {
  switch (type) {
    case GroupCreatedSchema.typeName: {
      const e = fromBinary(GroupCreatedSchema, data);
      const groupId = e.groupId || e.name;
      return [
        {
          kind: 'group-set',
          group: {
            groupId,
            tenantId: e.tenantId || tenant,
            domain: e.domain,
            timezone: e.timezone,
            ...(present(e.mainNumber) !== undefined && { mainNumber: e.mainNumber }),
            ...(countryOfNumber(e.mainNumber) !== undefined && {
              country: countryOfNumber(e.mainNumber),
            }),
          },
        },
      ];
    }
    case GroupSettingsChangedSchema.typeName: {
      const e = fromBinary(GroupSettingsChangedSchema, data);
      const country = countryOfNumber(e.mainNumber);
      return [
        {
          kind: 'group-set',
          group: {
            groupId: e.groupId || e.name,
            tenantId: tenant,
            domain: e.domain,
            timezone: e.timezone,
            ...(present(e.mainNumber) !== undefined && { mainNumber: e.mainNumber }),
            ...(country !== undefined && { country }),
          },
        },
      ];
    }
    case GroupDeletedSchema.typeName:
      return [{ kind: 'group-deleted', groupId: fromBinary(GroupDeletedSchema, data).groupId }];
    case UserAddedSchema.typeName: {
      const e = fromBinary(UserAddedSchema, data);
      const profile = PROFILES.get(e.profile);
      return [
        {
          kind: 'user-set',
          user: {
            groupId: e.groupId,
            extension: e.extension,
            name: e.name,
            ...(profile !== undefined && { profile }),
            ...(present(e.department) !== undefined && { department: e.department }),
            numbers: [...e.numbers],
            presentationRestricted: e.presentationRestricted,
          },
        },
      ];
    }
    case UserChangedSchema.typeName: {
      const e = fromBinary(UserChangedSchema, data);
      const profile = PROFILES.get(e.profile);
      return [
        {
          kind: 'user-details',
          user: {
            groupId: e.groupId,
            extension: e.extension,
            name: e.name,
            ...(profile !== undefined && { profile }),
            ...(present(e.department) !== undefined && { department: e.department }),
            presentationRestricted: e.presentationRestricted,
          },
        },
      ];
    }
    case UserNumbersChangedSchema.typeName: {
      const e = fromBinary(UserNumbersChangedSchema, data);
      return [
        {
          kind: 'user-numbers',
          groupId: e.groupId,
          extension: e.extension,
          numbers: [...e.numbers],
        },
      ];
    }
    case UserRemovedSchema.typeName: {
      const e = fromBinary(UserRemovedSchema, data);
      return [{ kind: 'user-removed', groupId: e.groupId, extension: e.extension }];
    }
    case DeviceAddedSchema.typeName: {
      const e = fromBinary(DeviceAddedSchema, data);
      return [
        {
          kind: 'device-set',
          device: { groupId: e.groupId, username: e.username, ownerExtension: e.ownerExtension },
        },
      ];
    }
    case DeviceChangedSchema.typeName: {
      const e = fromBinary(DeviceChangedSchema, data);
      return [
        {
          kind: 'device-set',
          device: { groupId: e.groupId, username: e.username, ownerExtension: e.ownerExtension },
        },
      ];
    }
    case DeviceRemovedSchema.typeName: {
      const e = fromBinary(DeviceRemovedSchema, data);
      return [{ kind: 'device-removed', groupId: e.groupId, username: e.username }];
    }
    case DepartmentAddedSchema.typeName:
    case DepartmentChangedSchema.typeName: {
      const e =
        type === DepartmentAddedSchema.typeName
          ? fromBinary(DepartmentAddedSchema, data)
          : fromBinary(DepartmentChangedSchema, data);
      return [
        {
          kind: 'department-set',
          department: {
            groupId: e.groupId,
            name: e.name,
            ...(present(e.number) !== undefined && { number: e.number }),
          },
        },
      ];
    }
    case DepartmentRemovedSchema.typeName: {
      const e = fromBinary(DepartmentRemovedSchema, data);
      return [{ kind: 'department-removed', groupId: e.groupId, name: e.name }];
    }
    case HuntGroupAddedSchema.typeName:
    case HuntGroupChangedSchema.typeName: {
      const e =
        type === HuntGroupAddedSchema.typeName
          ? fromBinary(HuntGroupAddedSchema, data)
          : fromBinary(HuntGroupChangedSchema, data);
      return [
        {
          kind: 'hunt-group-set',
          huntGroup: {
            groupId: e.groupId,
            extension: e.extension,
            name: e.name,
            ...(present(e.number) !== undefined && { number: e.number }),
            members: [...e.memberExtensions],
          },
        },
      ];
    }
    case HuntGroupRemovedSchema.typeName: {
      const e = fromBinary(HuntGroupRemovedSchema, data);
      return [{ kind: 'hunt-group-removed', groupId: e.groupId, extension: e.extension }];
    }
    case TrunkAddedSchema.typeName: {
      const e = fromBinary(TrunkAddedSchema, data);
      return [{ kind: 'trunk-set', trunk: trunkOf(e.trunkId, e.tenantId, e.groupId, e.spec) }];
    }
    case TrunkChangedSchema.typeName: {
      const e = fromBinary(TrunkChangedSchema, data);
      return [{ kind: 'trunk-set', trunk: trunkOf(e.trunkId, e.tenantId, e.groupId, e.spec) }];
    }
    case TrunkRemovedSchema.typeName:
      return [{ kind: 'trunk-removed', trunkId: fromBinary(TrunkRemovedSchema, data).trunkId }];
    default:
      return [];
  }
}
