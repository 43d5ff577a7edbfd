import { fromBinary } from '@bufbuild/protobuf';
import {
  DeviceAddedSchema,
  DeviceChangedSchema,
  DeviceCredentialsChangedSchema,
  DeviceRemovedSchema,
  GroupCreatedSchema,
  GroupDeletedSchema,
  GroupSettingsChangedSchema,
  type DigestCredentials,
} from '@pbx/proto';

/** The HA1s as stored: lowercase hex of the right length, or null when absent or malformed. */
export interface Ha1Pair {
  readonly md5: string | null;
  readonly sha256: string | null;
}

/** What one provisioning event means for the SIP edge's device directory. */
export type DeviceDirectoryChange =
  | {
      readonly kind: 'group-set';
      readonly groupId: string;
      /** Unset for GroupSettingsChanged, which does not carry it: the stored one stays. */
      readonly tenantId?: string;
      readonly domain: string;
    }
  | { readonly kind: 'group-deleted'; readonly groupId: string }
  | {
      readonly kind: 'device-added';
      readonly groupId: string;
      readonly username: string;
      readonly ownerExtension: string;
      readonly ha1: Ha1Pair;
    }
  | {
      readonly kind: 'device-changed';
      readonly groupId: string;
      readonly username: string;
      readonly ownerExtension: string;
    }
  | {
      readonly kind: 'device-credentials-changed';
      readonly groupId: string;
      readonly username: string;
      readonly ha1: Ha1Pair;
    }
  | { readonly kind: 'device-removed'; readonly groupId: string; readonly username: string };

const MD5_HEX = /^[0-9a-f]{32}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function ha1Of(credentials: DigestCredentials | undefined): Ha1Pair {
  const md5 = credentials?.ha1Md5.toLowerCase() ?? '';
  const sha256 = credentials?.ha1Sha256.toLowerCase() ?? '';
  return {
    md5: MD5_HEX.test(md5) ? md5 : null,
    sha256: SHA256_HEX.test(sha256) ? sha256 : null,
  };
}

/**
 * Reads the events of `pbx.provisioning.v1` that matter to the registrar; undefined for every
 * other event. A group's domain comes with GroupCreated and GroupSettingsChanged, enterprise
 * groups included (their shared domain is in each group's own events), so GroupJoinedEnterprise
 * and the enterprise events change nothing here.
 */
export function deviceDirectoryChangeOf(
  type: string,
  data: Uint8Array,
): DeviceDirectoryChange | undefined {
  switch (type) {
    case GroupCreatedSchema.typeName: {
      const e = fromBinary(GroupCreatedSchema, data);
      return {
        kind: 'group-set',
        groupId: e.groupId || e.name,
        tenantId: e.tenantId,
        domain: e.domain.toLowerCase(),
      };
    }
    case GroupSettingsChangedSchema.typeName: {
      const e = fromBinary(GroupSettingsChangedSchema, data);
      return { kind: 'group-set', groupId: e.groupId || e.name, domain: e.domain.toLowerCase() };
    }
    case GroupDeletedSchema.typeName:
      return { kind: 'group-deleted', groupId: fromBinary(GroupDeletedSchema, data).groupId };
    case DeviceAddedSchema.typeName: {
      const e = fromBinary(DeviceAddedSchema, data);
      return {
        kind: 'device-added',
        groupId: e.groupId,
        username: e.username,
        ownerExtension: e.ownerExtension,
        ha1: ha1Of(e.credentials),
      };
    }
    case DeviceChangedSchema.typeName: {
      const e = fromBinary(DeviceChangedSchema, data);
      return {
        kind: 'device-changed',
        groupId: e.groupId,
        username: e.username,
        ownerExtension: e.ownerExtension,
      };
    }
    case DeviceCredentialsChangedSchema.typeName: {
      const e = fromBinary(DeviceCredentialsChangedSchema, data);
      return {
        kind: 'device-credentials-changed',
        groupId: e.groupId,
        username: e.username,
        ha1: ha1Of(e.credentials),
      };
    }
    case DeviceRemovedSchema.typeName: {
      const e = fromBinary(DeviceRemovedSchema, data);
      return { kind: 'device-removed', groupId: e.groupId, username: e.username };
    }
    default:
      return undefined;
  }
}
