import { create } from '@bufbuild/protobuf';
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
});
