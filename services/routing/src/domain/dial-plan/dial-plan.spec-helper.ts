import type { RouteRequest } from '@pbx/telephony';
import type { DirectoryChange, DirectoryTrunk } from '../directory/directory';
import { DirectoryIndex } from '../directory/directory-index';

/**
 * Two tenants: `acme` (group `acme-hq`, Amsterdam numbers, users 201 Alice and 202 Bob, a hunt
 * group 600, department Sales) and `globex` (group `globex`, user 301 Carol), both NL.
 */
export function platformChanges(extra: readonly DirectoryChange[] = []): DirectoryChange[] {
  return [
    {
      kind: 'group-set',
      group: {
        groupId: 'acme-hq',
        tenantId: 'acme',
        domain: 'acme.example',
        timezone: 'Europe/Amsterdam',
        mainNumber: '+31201234500',
        country: 'NL',
      },
    },
    {
      kind: 'user-set',
      user: {
        groupId: 'acme-hq',
        extension: '201',
        name: 'Alice Jansen',
        profile: 'business',
        numbers: ['+31201234501'],
        presentationRestricted: false,
      },
    },
    {
      kind: 'user-set',
      user: {
        groupId: 'acme-hq',
        extension: '202',
        name: 'Bob de Vries',
        profile: 'base',
        numbers: ['+31201234502'],
        presentationRestricted: true,
      },
    },
    {
      kind: 'device-set',
      device: { groupId: 'acme-hq', username: 'alice-desk', ownerExtension: '201' },
    },
    {
      kind: 'device-set',
      device: { groupId: 'acme-hq', username: 'alice-soft', ownerExtension: '201' },
    },
    {
      kind: 'device-set',
      device: { groupId: 'acme-hq', username: 'bob-desk', ownerExtension: '202' },
    },
    {
      kind: 'hunt-group-set',
      huntGroup: {
        groupId: 'acme-hq',
        extension: '600',
        name: 'Support',
        number: '+31201234560',
        members: ['201', '202'],
      },
    },
    {
      kind: 'department-set',
      department: { groupId: 'acme-hq', name: 'Sales', number: '+31201234570' },
    },
    {
      kind: 'group-set',
      group: {
        groupId: 'globex',
        tenantId: 'globex-tenant',
        domain: 'globex.example',
        timezone: 'Europe/Amsterdam',
        mainNumber: '+31104567800',
        country: 'NL',
      },
    },
    {
      kind: 'user-set',
      user: {
        groupId: 'globex',
        extension: '301',
        name: 'Carol Smit',
        profile: 'premium',
        numbers: ['+31104567801'],
        presentationRestricted: false,
      },
    },
    { kind: 'device-set', device: { groupId: 'globex', username: 'carol', ownerExtension: '301' } },
    ...extra,
  ];
}

export function platformDirectory(extra: readonly DirectoryChange[] = []): DirectoryIndex {
  const index = new DirectoryIndex();
  for (const change of platformChanges(extra)) index.apply(change);
  return index;
}

export function trunk(
  name: string,
  scope: { tenantId: string; groupId: string } | 'operator',
): DirectoryTrunk {
  return {
    trunkId: scope === 'operator' ? `operator:${name}` : `group:${scope.groupId}:${name}`,
    ...(scope !== 'operator' && scope),
    name,
    host: `${name}.carrier.example`,
    port: 5060,
    transport: 'udp',
    register: false,
    inboundAddresses: ['192.0.2.10'],
  };
}

export const AT = new Date('2025-03-10T09:00:00.000Z');

/** A call from one of acme's devices (Alice's desk phone unless told otherwise). */
export function fromDevice(
  dialed: string,
  who: { userId: string; deviceId: string; groupId?: string; tenantId?: string } = {
    userId: '201',
    deviceId: 'alice-desk',
  },
): RouteRequest {
  return {
    callId: 'call-1',
    origin: {
      kind: 'device',
      tenantId: who.tenantId ?? 'acme',
      groupId: who.groupId ?? 'acme-hq',
      userId: who.userId,
      deviceId: who.deviceId,
    },
    dialed,
    receivedAt: AT,
  };
}

export function fromTrunk(
  trunkId: string,
  dialed: string,
  from: { user?: string; display?: string; privacy?: string; tenantId?: string } = {},
): RouteRequest {
  return {
    callId: 'call-in',
    origin: {
      kind: 'trunk',
      trunkId,
      ...(from.tenantId !== undefined && { tenantId: from.tenantId }),
    },
    dialed,
    ...(from.user !== undefined && { fromUser: from.user }),
    ...(from.display !== undefined && { fromDisplayName: from.display }),
    ...(from.privacy !== undefined && { privacy: from.privacy }),
    receivedAt: AT,
  };
}
