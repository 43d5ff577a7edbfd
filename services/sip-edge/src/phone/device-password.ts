import { timingSafeEqual } from 'node:crypto';
import { computeHa1 } from '@pbx/sip';
import type { DeviceCredentials } from '../directory/device-credentials';

/** Some credential to compare with when the device is unknown, so that timing tells nothing. */
const UNKNOWN: DeviceCredentials['ha1'] = { sha256: '0'.repeat(64) };

/**
 * Whether `password` is the device's SIP password. Only HA1 = H(username:realm:password) is
 * stored (README: "Device passwords are stored only as digest HA1"), so the password is hashed
 * the same way, with SHA-256 when that HA1 is there, and compared in constant time. HA1s still
 * computed for an old realm (between a domain change and its credentials event) match nothing,
 * exactly as the registrar refuses them.
 */
export function isDevicePassword(device: DeviceCredentials | undefined, password: string): boolean {
  const ha1 = device?.ha1 ?? UNKNOWN;
  const username = device?.username ?? '';
  const realm = device?.realm ?? '';
  const [stored, computed] =
    ha1.sha256 !== undefined
      ? [ha1.sha256, computeHa1('SHA-256', username, realm, password)]
      : ha1.md5 !== undefined
        ? [ha1.md5, computeHa1('MD5', username, realm, password)]
        : [undefined, ''];
  if (stored === undefined || stored.length !== computed.length) return false;
  const same = timingSafeEqual(Buffer.from(stored.toLowerCase()), Buffer.from(computed));
  return same && device !== undefined && device.realm === device.domain;
}
