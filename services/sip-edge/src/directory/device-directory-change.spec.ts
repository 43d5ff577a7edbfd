import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import {
  DeviceAddedSchema,
  DeviceCredentialsChangedSchema,
  DeviceRemovedSchema,
  GroupCreatedSchema,
  GroupSettingsChangedSchema,
  UserAddedSchema,
} from '@pbx/proto';
import { deviceDirectoryChangeOf } from './device-directory-change';

function change<D extends DescMessage>(
  schema: D,
  init: MessageInitShape<D>,
): ReturnType<typeof deviceDirectoryChangeOf> {
  return deviceDirectoryChangeOf(schema.typeName, toBinary(schema, create(schema, init)));
}

const MD5 = 'a'.repeat(32);
const SHA = 'B'.repeat(64);

describe(deviceDirectoryChangeOf.name, () => {
  it('reads a group’s domain, lowercased, with its tenant', () => {
    expect(
      change(GroupCreatedSchema, { groupId: 'acme', tenantId: 't1', domain: 'Acme.Example' }),
    ).toEqual({
      kind: 'group-set',
      groupId: 'acme',
      tenantId: 't1',
      domain: 'acme.example',
    });
    expect(change(GroupSettingsChangedSchema, { groupId: 'acme', domain: 'new.example' })).toEqual({
      kind: 'group-set',
      groupId: 'acme',
      domain: 'new.example',
    });
  });

  it('reads a device’s HA1s lowercased and drops malformed ones', () => {
    expect(
      change(DeviceAddedSchema, {
        groupId: 'acme',
        username: 'alice',
        ownerExtension: '201',
        credentials: { ha1Md5: MD5, ha1Sha256: SHA },
      }),
    ).toEqual({
      kind: 'device-added',
      groupId: 'acme',
      username: 'alice',
      ownerExtension: '201',
      ha1: { md5: MD5, sha256: SHA.toLowerCase() },
    });
    expect(
      change(DeviceCredentialsChangedSchema, {
        groupId: 'acme',
        username: 'alice',
        credentials: { ha1Md5: 'not-hex', ha1Sha256: '' },
      }),
    ).toEqual({
      kind: 'device-credentials-changed',
      groupId: 'acme',
      username: 'alice',
      ha1: { md5: null, sha256: null },
    });
    expect(change(DeviceRemovedSchema, { groupId: 'acme', username: 'alice' })).toEqual({
      kind: 'device-removed',
      groupId: 'acme',
      username: 'alice',
    });
  });

  it('ignores events that say nothing about devices or domains', () => {
    expect(change(UserAddedSchema, { groupId: 'acme', extension: '201' })).toBeUndefined();
  });
});
