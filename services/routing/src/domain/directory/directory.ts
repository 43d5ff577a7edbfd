import type { CountryCode } from '@pbx/domain';
import type { TrunkRoute } from '@pbx/telephony';

// What routing knows of the platform's configuration, projected from `pbx.provisioning.v1`.
// A user's id is their extension within their group (as provisioning's principals have it); a
// device's id is its SIP username within its group.

export interface DirectoryGroup {
  readonly groupId: string;
  readonly tenantId: string;
  /** SIP domain of the group's devices; groups of one enterprise may share it. */
  readonly domain: string;
  readonly timezone: string;
  readonly mainNumber?: string;
  /** The country of the main number: how national numbers dialed in this group are read. */
  readonly country?: CountryCode;
}

export interface DirectoryUser {
  readonly groupId: string;
  readonly extension: string;
  readonly name: string;
  /** The licensed profile (T5); unset when provisioning did not say. */
  readonly profile?: string;
  readonly department?: string;
  /** E.164, in order: the first is presented on outside calls. */
  readonly numbers: readonly string[];
  /** U2: every call withholds the caller id unless the caller overrides it per call. */
  readonly presentationRestricted: boolean;
}

export interface DirectoryDevice {
  readonly groupId: string;
  readonly username: string;
  readonly ownerExtension: string;
}

export interface DirectoryDepartment {
  readonly groupId: string;
  readonly name: string;
  readonly number?: string;
}

export interface DirectoryHuntGroup {
  readonly groupId: string;
  readonly extension: string;
  readonly name: string;
  readonly number?: string;
  readonly members: readonly string[];
}

/** A carrier trunk; `groupId` set for a group's own trunk, unset for an operator-wide one. */
export interface DirectoryTrunk extends TrunkRoute {
  readonly groupId?: string;
}

/** What one provisioning event changes in the directory. */
export type DirectoryChange =
  | { readonly kind: 'group-set'; readonly group: DirectoryGroup }
  | { readonly kind: 'group-deleted'; readonly groupId: string }
  | { readonly kind: 'user-set'; readonly user: DirectoryUser }
  | {
      /** Everything of a user but the numbers (UserChanged). */
      readonly kind: 'user-details';
      readonly user: Omit<DirectoryUser, 'numbers'>;
    }
  | {
      readonly kind: 'user-numbers';
      readonly groupId: string;
      readonly extension: string;
      readonly numbers: readonly string[];
    }
  | { readonly kind: 'user-removed'; readonly groupId: string; readonly extension: string }
  | { readonly kind: 'device-set'; readonly device: DirectoryDevice }
  | { readonly kind: 'device-removed'; readonly groupId: string; readonly username: string }
  | { readonly kind: 'department-set'; readonly department: DirectoryDepartment }
  | { readonly kind: 'department-removed'; readonly groupId: string; readonly name: string }
  | { readonly kind: 'hunt-group-set'; readonly huntGroup: DirectoryHuntGroup }
  | { readonly kind: 'hunt-group-removed'; readonly groupId: string; readonly extension: string }
  | { readonly kind: 'trunk-set'; readonly trunk: DirectoryTrunk }
  | { readonly kind: 'trunk-removed'; readonly trunkId: string }
  /** The read model is being rebuilt from the log: forget everything. */
  | { readonly kind: 'reset' };

/** Who a number belongs to. */
export type NumberOwner =
  | { readonly kind: 'user'; readonly groupId: string; readonly extension: string }
  | { readonly kind: 'hunt-group'; readonly groupId: string; readonly extension: string }
  | { readonly kind: 'department'; readonly groupId: string; readonly name: string }
  | { readonly kind: 'main'; readonly groupId: string };

/** The lookups the dial plan needs; all in memory, none of them does I/O. */
export interface DirectoryView {
  group(groupId: string): DirectoryGroup | undefined;
  user(groupId: string, extension: string): DirectoryUser | undefined;
  huntGroup(groupId: string, extension: string): DirectoryHuntGroup | undefined;
  device(groupId: string, username: string): DirectoryDevice | undefined;
  /** SIP usernames of the user's devices, in the order they were added. */
  devicesOf(groupId: string, extension: string): readonly string[];
  ownerOfNumber(e164: string): NumberOwner | undefined;
  trunk(trunkId: string): DirectoryTrunk | undefined;
  /** The group's own trunks, by name. */
  groupTrunks(groupId: string): readonly DirectoryTrunk[];
  /** Operator-wide trunks, by name. */
  operatorTrunks(): readonly DirectoryTrunk[];
  allTrunks(): readonly DirectoryTrunk[];
}

export function assertNever(value: never): never {
  throw new TypeError(`unexpected value ${JSON.stringify(value)}`);
}
