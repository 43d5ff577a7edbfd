import { create } from '@bufbuild/protobuf';
import { DeviceAddedSchema } from './gen/pbx/provisioning/v1/group_events_pb';
import { TrunkAddedSchema, TrunkTransport } from './gen/pbx/provisioning/v1/trunk_events_pb';
import { REDACTED, toRedactedJson } from './redact-secrets';

describe(toRedactedJson.name, () => {
  it("replaces a trunk's password, nested in its spec, and keeps every other field", () => {
    const message = create(TrunkAddedSchema, {
      trunkId: 'operator:carrier',
      spec: {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5060,
        transport: TrunkTransport.UDP,
        username: 'platform',
        password: 'trunk-Secret',
      },
    });
    const json = toRedactedJson(TrunkAddedSchema, message);
    expect(JSON.stringify(json)).not.toContain('trunk-Secret');
    expect(json).toEqual({
      trunkId: 'operator:carrier',
      spec: {
        name: 'carrier',
        host: 'sip.carrier.example',
        port: 5060,
        transport: 'TRUNK_TRANSPORT_UDP',
        username: 'platform',
        password: REDACTED,
      },
    });
  });

  it('leaves an unset secret out', () => {
    const message = create(TrunkAddedSchema, { trunkId: 'operator:peer', spec: { name: 'peer' } });
    expect(JSON.stringify(toRedactedJson(TrunkAddedSchema, message))).not.toContain('password');
  });

  it("replaces a device's digest HA1s, which are password-equivalent", () => {
    const message = create(DeviceAddedSchema, {
      groupId: 'acme-hq',
      username: 'alice',
      ownerExtension: '201',
      credentials: { ha1Md5: 'a'.repeat(32), ha1Sha256: 'b'.repeat(64) },
    });
    const json = toRedactedJson(DeviceAddedSchema, message);
    expect(JSON.stringify(json)).not.toMatch(/aaaa|bbbb/);
    expect(json).toMatchObject({
      username: 'alice',
      credentials: { ha1Md5: REDACTED, ha1Sha256: REDACTED },
    });
  });
});
