import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DeviceAddedSchema,
  eventSchema,
  GroupCreatedSchema,
  GroupSettingsChangedSchema,
  TrunkAddedSchema,
  UserAddedSchema,
  UserChangedSchema,
} from '@pbx/proto';
import type { GroupEvent, GroupEventType } from '../../domain/group/group';
import { groupEventCodec } from './group-event.codec';

const carrier = {
  name: 'carrier',
  host: 'sip.carrier.example',
  port: 5061,
  transport: 'tls' as const,
  credentials: { username: 'acme-31201234500', password: 'trunk-secret' },
  register: true,
  inboundAddresses: ['192.0.2.10', '2001:db8::10'],
};

const credentials = {
  ha1Md5: '0123456789abcdef0123456789abcdef',
  ha1Sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
};

/** At least one example of every event type; the Record makes a new type fail to compile here. */
const examples: Record<GroupEventType, readonly GroupEvent[]> = {
  GroupCreated: [
    {
      type: 'GroupCreated',
      groupId: 'g1',
      tenantId: 't1',
      name: 'acme',
      settings: {
        domain: 'acme.example',
        timezone: 'Europe/Amsterdam',
        mainNumber: '+31201234500',
      },
    },
  ],
  GroupSettingsChanged: [
    {
      type: 'GroupSettingsChanged',
      groupId: 'g1',
      name: 'acme-bv',
      settings: { domain: 'acme.test', timezone: 'Europe/Brussels', mainNumber: '+31201234599' },
    },
  ],
  GroupDeleted: [{ type: 'GroupDeleted', groupId: 'g1' }],
  GroupJoinedEnterprise: [
    { type: 'GroupJoinedEnterprise', groupId: 'g1', enterpriseName: 'holding' },
  ],
  DepartmentAdded: [
    { type: 'DepartmentAdded', groupId: 'g1', department: { name: 'Sales' } },
    {
      type: 'DepartmentAdded',
      groupId: 'g1',
      department: { name: 'Support', number: '+31201234590' },
    },
  ],
  DepartmentChanged: [
    { type: 'DepartmentChanged', groupId: 'g1', department: { name: 'Sales' } },
    {
      type: 'DepartmentChanged',
      groupId: 'g1',
      department: { name: 'Sales', number: '+31201234591' },
    },
  ],
  DepartmentRemoved: [{ type: 'DepartmentRemoved', groupId: 'g1', name: 'Sales' }],
  UserAdded: [
    {
      type: 'UserAdded',
      groupId: 'g1',
      user: { extension: '203', name: 'Carol Smit', profile: 'base', numbers: [] },
    },
    {
      type: 'UserAdded',
      groupId: 'g1',
      user: {
        extension: '201',
        name: 'Alice Jansen',
        email: 'alice@acme.example',
        profile: 'fixed-mobile-premium',
        department: 'Sales',
        numbers: ['+31201234501', '+31612345678'],
      },
    },
  ],
  UserChanged: [
    {
      type: 'UserChanged',
      groupId: 'g1',
      user: { extension: '202', name: 'Bob de Vries', profile: 'business' },
    },
    {
      type: 'UserChanged',
      groupId: 'g1',
      user: {
        extension: '202',
        name: 'Bob',
        email: 'bob@acme.example',
        profile: 'fixed-mobile-business',
        department: 'Support',
      },
    },
    {
      type: 'UserChanged',
      groupId: 'g1',
      user: { extension: '204', name: 'Dave', profile: 'premium' },
    },
    {
      type: 'UserChanged',
      groupId: 'g1',
      user: { extension: '204', name: 'Dave', profile: 'premium', presentation: 'restricted' },
    },
  ],
  UserNumbersChanged: [
    { type: 'UserNumbersChanged', groupId: 'g1', extension: '201', numbers: [] },
    {
      type: 'UserNumbersChanged',
      groupId: 'g1',
      extension: '201',
      numbers: ['+31201234501', '+31201234502'],
    },
  ],
  UserRemoved: [{ type: 'UserRemoved', groupId: 'g1', extension: '201' }],
  DeviceAdded: [
    {
      type: 'DeviceAdded',
      groupId: 'g1',
      device: { username: 'alice', owner: '201', kind: 'softphone', flexHost: false, credentials },
    },
    {
      type: 'DeviceAdded',
      groupId: 'g1',
      device: { username: 'lobby', owner: '202', kind: 'deskphone', flexHost: true, credentials },
    },
  ],
  DeviceChanged: [
    {
      type: 'DeviceChanged',
      groupId: 'g1',
      device: { username: 'alice', owner: '203', kind: 'mobile', flexHost: false },
    },
    {
      type: 'DeviceChanged',
      groupId: 'g1',
      device: { username: 'alice-web', owner: '201', kind: 'webrtc', flexHost: true },
    },
  ],
  DeviceCredentialsChanged: [
    { type: 'DeviceCredentialsChanged', groupId: 'g1', username: 'alice', credentials },
  ],
  DeviceRemoved: [{ type: 'DeviceRemoved', groupId: 'g1', username: 'alice' }],
  HuntGroupAdded: [
    {
      type: 'HuntGroupAdded',
      groupId: 'g1',
      huntGroup: { extension: '600', name: 'Sales', policy: 'circular', members: ['201', '202'] },
    },
    {
      type: 'HuntGroupAdded',
      groupId: 'g1',
      huntGroup: {
        extension: '601',
        name: 'Support',
        policy: 'simultaneous',
        number: '+31201234560',
        members: [],
      },
    },
  ],
  HuntGroupChanged: [
    {
      type: 'HuntGroupChanged',
      groupId: 'g1',
      huntGroup: { extension: '600', name: 'Sales', policy: 'regular', members: ['202', '201'] },
    },
    {
      type: 'HuntGroupChanged',
      groupId: 'g1',
      huntGroup: {
        extension: '600',
        name: 'Sales',
        policy: 'uniform',
        number: '+31201234561',
        members: ['201'],
      },
    },
  ],
  HuntGroupRemoved: [{ type: 'HuntGroupRemoved', groupId: 'g1', extension: '600' }],
  ScheduleSet: [
    {
      type: 'ScheduleSet',
      groupId: 'g1',
      schedule: {
        name: 'office',
        type: 'business-hours',
        days: {
          mon: ['08:30-12:00', '13:00-17:30'],
          tue: ['00:00-24:00'],
          wed: ['09:00-17:00'],
          thu: ['09:00-17:00'],
          fri: ['09:00-12:00'],
          sat: ['10:00-11:00'],
          sun: ['23:59-24:00'],
        },
      },
    },
    {
      type: 'ScheduleSet',
      groupId: 'g1',
      schedule: { name: 'closed', type: 'business-hours', days: {} },
    },
    {
      type: 'ScheduleSet',
      groupId: 'g1',
      schedule: { name: 'holidays', type: 'holidays', dates: ['2025-12-25', '2025-12-26'] },
    },
  ],
  ScheduleRemoved: [{ type: 'ScheduleRemoved', groupId: 'g1', name: 'office' }],
  TrunkAdded: [
    { type: 'TrunkAdded', groupId: 'g1', tenantId: 't1', trunk: carrier },
    {
      type: 'TrunkAdded',
      groupId: 'g1',
      tenantId: 't1',
      trunk: {
        name: 'backup',
        host: '198.51.100.7',
        port: 5060,
        transport: 'udp',
        register: false,
        inboundAddresses: [],
      },
    },
  ],
  TrunkChanged: [
    {
      type: 'TrunkChanged',
      groupId: 'g1',
      tenantId: 't1',
      trunk: { ...carrier, transport: 'tcp', port: 5080, register: false },
    },
  ],
  TrunkRemoved: [{ type: 'TrunkRemoved', groupId: 'g1', tenantId: 't1', name: 'carrier' }],
};

describe('groupEventCodec', () => {
  it.each(Object.values(examples).flat())('round-trips %p through protobuf', (event) => {
    const { type, data } = groupEventCodec.encode(event);
    expect(type).toBe(`pbx.provisioning.v1.${event.type}`);
    expect(eventSchema(type)).toBeDefined();
    expect(groupEventCodec.decode(type, data)).toEqual(event);
  });

  it('writes the country of the main number with the settings, for the dial plan', () => {
    const created = groupEventCodec.encode(examples.GroupCreated[0]);
    expect(fromBinary(GroupCreatedSchema, created.data).country).toBe('NL');
    const changed = groupEventCodec.encode({
      type: 'GroupSettingsChanged',
      groupId: 'g1',
      name: 'acme',
      settings: { domain: 'acme.example', timezone: 'Europe/Brussels', mainNumber: '+3225551234' },
    });
    expect(fromBinary(GroupSettingsChangedSchema, changed.data).country).toBe('BE');
  });

  it('writes presentation_restricted only for a restricted user', () => {
    const [allowed, restricted] = examples.UserChanged.slice(2).map(
      (e) => fromBinary(UserChangedSchema, groupEventCodec.encode(e).data).presentationRestricted,
    );
    expect([allowed, restricted]).toEqual([false, true]);
  });

  it('gives a group trunk the id group:<group>:<name> with its tenant and group', () => {
    const m = fromBinary(TrunkAddedSchema, groupEventCodec.encode(examples.TrunkAdded[0]).data);
    expect(m).toMatchObject({ trunkId: 'group:g1:carrier', tenantId: 't1', groupId: 'g1' });
    expect(m.spec).toMatchObject({ username: 'acme-31201234500', password: 'trunk-secret' });
  });

  it("refuses an operator trunk's event in a group stream", () => {
    const data = toBinary(
      TrunkAddedSchema,
      create(TrunkAddedSchema, {
        trunkId: 'operator:carrier',
        spec: { name: 'carrier', host: 'sip.carrier.example', port: 5060, transport: 1 },
      }),
    );
    expect(() => groupEventCodec.decode(TrunkAddedSchema.typeName, data)).toThrow(
      "is not a group trunk's event",
    );
  });

  it('refuses a trunk with a username but no password', () => {
    const data = toBinary(
      TrunkAddedSchema,
      create(TrunkAddedSchema, {
        trunkId: 'group:g1:carrier',
        tenantId: 't1',
        groupId: 'g1',
        spec: { name: 'carrier', host: 'h.example', port: 5060, transport: 1, username: 'u' },
      }),
    );
    expect(() => groupEventCodec.decode(TrunkAddedSchema.typeName, data)).toThrow(
      'with a username but no password',
    );
  });

  it('refuses a type that is not a group event', () => {
    expect(() =>
      groupEventCodec.decode('pbx.provisioning.v1.TenantCreated', new Uint8Array()),
    ).toThrow('not a group event: pbx.provisioning.v1.TenantCreated');
  });

  it('refuses an unspecified enum value instead of guessing', () => {
    const data = toBinary(
      UserAddedSchema,
      create(UserAddedSchema, { extension: '201', name: 'A' }),
    );
    expect(() => groupEventCodec.decode(UserAddedSchema.typeName, data)).toThrow(
      'group event with unknown user profile 0',
    );
  });

  it('refuses a DeviceAdded without credentials', () => {
    const data = toBinary(
      DeviceAddedSchema,
      create(DeviceAddedSchema, { username: 'alice', ownerExtension: '201', kind: 1 }),
    );
    expect(() => groupEventCodec.decode(DeviceAddedSchema.typeName, data)).toThrow(
      'pbx.provisioning.v1.DeviceAdded without credentials',
    );
  });
});
