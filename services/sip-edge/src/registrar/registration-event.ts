import type { TransportProtocol } from '@pbx/sip';
import { remainingSeconds, type Binding } from './binding';

export type UnregisterReason = 'removed' | 'expired' | 'device-removed';

/** What both registration events say about the device and the contact. */
export interface RegistrationSubject {
  readonly tenantId: string;
  readonly groupId: string;
  readonly deviceId: string;
  readonly username: string;
  readonly domain: string;
  readonly contact: string;
  readonly userAgent: string;
  readonly transport: TransportProtocol;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly instanceId?: string;
  readonly regId?: number;
}

/** The events of `pbx.registrations.v1`: a binding appeared, or disappeared. */
export type RegistrationEvent =
  | (RegistrationSubject & {
      readonly type: 'DeviceRegistered';
      readonly expires: number;
      /** ISO 8601. */
      readonly expiresAt: string;
    })
  | (RegistrationSubject & {
      readonly type: 'DeviceUnregistered';
      readonly reason: UnregisterReason;
    });

function subjectOf(binding: Binding): RegistrationSubject {
  return {
    tenantId: binding.tenantId,
    groupId: binding.groupId,
    deviceId: binding.deviceId,
    username: binding.username,
    domain: binding.domain,
    contact: binding.contact,
    userAgent: binding.userAgent ?? '',
    transport: binding.source.protocol,
    sourceAddress: binding.source.address,
    sourcePort: binding.source.port,
    ...(binding.instanceId === undefined ? {} : { instanceId: binding.instanceId }),
    ...(binding.regId === undefined ? {} : { regId: binding.regId }),
  };
}

export function registeredEvent(binding: Binding, now: number): RegistrationEvent {
  return {
    type: 'DeviceRegistered',
    ...subjectOf(binding),
    expires: remainingSeconds(binding, now),
    expiresAt: new Date(binding.expiresAt).toISOString(),
  };
}

export function unregisteredEvent(binding: Binding, reason: UnregisterReason): RegistrationEvent {
  return { type: 'DeviceUnregistered', ...subjectOf(binding), reason };
}

/**
 * One stream per device: `registration-<groupId>:<username>`. Stream ids allow neither `/` nor
 * `_`; usernames may hold `_` but never `+`, so `_` is written `+` and the id stays one-to-one.
 */
export function registrationStreamId(groupId: string, username: string): string {
  return `registration-${groupId}:${username.replaceAll('_', '+')}`;
}
