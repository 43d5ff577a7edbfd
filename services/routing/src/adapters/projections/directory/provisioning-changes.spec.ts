import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import {
  GroupSettingsChangedSchema,
  TenantCreatedSchema,
  TrunkAddedSchema,
  TrunkTransport,
  UserAddedSchema,
  UserChangedSchema,
  UserProfile,
} from '@pbx/proto';
import { directoryChangesOf } from './provisioning-changes';

function changesOf<D extends DescMessage>(schema: D, init: MessageInitShape<D>) {
  return directoryChangesOf(schema.typeName, toBinary(schema, create(schema, init)), 'acme');
}

describe(directoryChangesOf.name, () => {
  it('reads a user with their presentation setting and profile', () => {
    expect(
      changesOf(UserAddedSchema, {
        groupId: 'acme-hq',
        extension: '201',
        name: 'Alice',
        profile: UserProfile.BUSINESS,
        numbers: ['+31201234501'],
        presentationRestricted: true,
      }),
    ).toEqual([
      {
        kind: 'user-set',
        user: {
          groupId: 'acme-hq',
          extension: '201',
          name: 'Alice',
          profile: 'business',
          numbers: ['+31201234501'],
          presentationRestricted: true,
        },
      },
    ]);
    expect(
      changesOf(UserChangedSchema, { groupId: 'acme-hq', extension: '201', name: 'A.' })[0],
    ).toEqual({
      kind: 'user-details',
      user: { groupId: 'acme-hq', extension: '201', name: 'A.', presentationRestricted: false },
    });
  });

  it("takes a group's tenant from the envelope and its country from the main number", () => {
    expect(
      changesOf(GroupSettingsChangedSchema, {
        groupId: 'acme-hq',
        name: 'acme-hq',
        domain: 'acme.example',
        timezone: 'Europe/Brussels',
        mainNumber: '+3225551234',
      }),
    ).toEqual([
      {
        kind: 'group-set',
        group: {
          groupId: 'acme-hq',
          tenantId: 'acme',
          domain: 'acme.example',
          timezone: 'Europe/Brussels',
          mainNumber: '+3225551234',
          country: 'BE',
        },
      },
    ]);
  });

  it('reads a trunk with the default port of its transport', () => {
    const [change] = changesOf(TrunkAddedSchema, {
      trunkId: 'operator:wholesale',
      spec: {
        name: 'wholesale',
        host: 'sip.carrier.example',
        transport: TrunkTransport.TLS,
        username: 'pbx',
        password: 's3cret',
        register: true,
        inboundAddresses: ['192.0.2.10'],
      },
    });
    expect(change).toEqual({
      kind: 'trunk-set',
      trunk: {
        trunkId: 'operator:wholesale',
        name: 'wholesale',
        host: 'sip.carrier.example',
        port: 5061,
        transport: 'tls',
        username: 'pbx',
        password: 's3cret',
        register: true,
        inboundAddresses: ['192.0.2.10'],
      },
    });
  });

  it('ignores events routing does not use', () => {
    expect(changesOf(TenantCreatedSchema, { tenantId: 't', name: 'T' })).toEqual([]);
  });
});
