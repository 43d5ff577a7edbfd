import type { MaybePromise } from '@pbx/domain';
import type { StoredHa1 } from '@pbx/sip';

/**
 * What the registrar knows of a provisioned device: who it belongs to and its digest HA1s
 * (password-equivalent: never logged). A device registers as `<username>@<domain>`, the domain
 * being its group's SIP domain (for a group of an enterprise, the domain its siblings may share).
 */
export interface DeviceCredentials {
  readonly tenantId: string;
  readonly groupId: string;
  /** `<groupId>:<username>` (see deviceIdOf). */
  readonly deviceId: string;
  readonly username: string;
  /** Lowercase. */
  readonly domain: string;
  /** Extension of the owning user; users are keyed by extension, so it is also their id. */
  readonly ownerExtension: string;
  /**
   * The realm the HA1s were computed with: the group's domain when they were set. It differs
   * from `domain` only between a domain change and the DeviceCredentialsChanged that follows it.
   */
  readonly realm: string;
  readonly ha1: StoredHa1;
}

/** The narrow port the registrar and the authenticator use. */
export interface DeviceDirectory {
  /** At once when the directory holds the answer at hand (a cache), else a Promise. */
  find(username: string, domain: string): MaybePromise<DeviceCredentials | undefined>;
  /** Whether some group uses `domain` (lowercase): a REGISTER for another one gets 404. */
  hasDomain(domain: string): MaybePromise<boolean>;
  /**
   * hasDomain without I/O: the answer when the directory holds it at hand, undefined when it
   * would have to look (the caller then takes the asynchronous path).
   */
  knownDomain(domain: string): boolean | undefined;
}

/** A device's place in the directory: the key of `sip_edge_devices`. */
export interface DeviceKey {
  readonly domain: string;
  readonly username: string;
}

/**
 * The platform's id of a device. Provisioning keys devices by SIP username within their group
 * (`DeviceAdded.username`), so the pair is stable while the device exists, whatever its domain.
 */
export function deviceIdOf(groupId: string, username: string): string {
  return `${groupId}:${username}`;
}

/** The address of record a device registers: `<username>@<domain>`, domain lowercased. */
export function aorOf(username: string, domain: string): string {
  return `${username}@${domain.toLowerCase()}`;
}
