import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { eventSchema, TrunkAddedSchema, TrunkRemovedSchema } from '@pbx/proto';
import type { OperatorTrunkEvent, OperatorTrunkEventType } from '../../domain/trunk/operator-trunk';
import { operatorTrunkEventCodec } from './operator-trunk-event.codec';

const trunk = {
  name: 'carrier',
  host: '2001:db8::1',
  port: 5061,
  transport: 'tls' as const,
  credentials: { username: 'platform', password: 'trunk-Secret' },
  register: true,
  inboundAddresses: ['2001:db8::1'],
};

const examples: Record<OperatorTrunkEventType, readonly OperatorTrunkEvent[]> = {
  TrunkAdded: [
    { type: 'TrunkAdded', trunk },
    {
      type: 'TrunkAdded',
      trunk: {
        name: 'peer',
        host: 'peer.example',
        port: 5060,
        transport: 'udp',
        register: false,
        inboundAddresses: [],
      },
    },
  ],
  TrunkChanged: [{ type: 'TrunkChanged', trunk: { ...trunk, transport: 'tcp', port: 5060 } }],
  TrunkRemoved: [{ type: 'TrunkRemoved', name: 'carrier' }],
};

describe('operatorTrunkEventCodec', () => {
  it.each(Object.values(examples).flat())('round-trips %p through protobuf', (event) => {
    const { type, data } = operatorTrunkEventCodec.encode(event);
    expect(type).toBe(`pbx.provisioning.v1.${event.type}`);
    expect(eventSchema(type)).toBeDefined();
    expect(operatorTrunkEventCodec.decode(type, data)).toEqual(event);
  });

  it('gives an operator trunk the id operator:<name> and no tenant or group', () => {
    const m = fromBinary(
      TrunkRemovedSchema,
      operatorTrunkEventCodec.encode({ type: 'TrunkRemoved', name: 'carrier' }).data,
    );
    expect(m.trunkId).toBe('operator:carrier');
    expect(m.tenantId).toBeUndefined();
    expect(m.groupId).toBeUndefined();
  });

  it("refuses a group trunk's event and a spec of another trunk", () => {
    const spec = { name: 'carrier', host: 'h.example', port: 5060, transport: 1 };
    const group = toBinary(
      TrunkAddedSchema,
      create(TrunkAddedSchema, {
        trunkId: 'group:acme:carrier',
        groupId: 'acme',
        tenantId: 't',
        spec,
      }),
    );
    expect(() => operatorTrunkEventCodec.decode(TrunkAddedSchema.typeName, group)).toThrow(
      "is not an operator-wide trunk's event",
    );
    const other = toBinary(
      TrunkAddedSchema,
      create(TrunkAddedSchema, { trunkId: 'operator:other', spec }),
    );
    expect(() => operatorTrunkEventCodec.decode(TrunkAddedSchema.typeName, other)).toThrow(
      'carries the spec of trunk carrier',
    );
  });

  it('refuses an unspecified transport', () => {
    const data = toBinary(
      TrunkAddedSchema,
      create(TrunkAddedSchema, {
        trunkId: 'operator:carrier',
        spec: { name: 'carrier', host: 'h.example', port: 5060 },
      }),
    );
    expect(() => operatorTrunkEventCodec.decode(TrunkAddedSchema.typeName, data)).toThrow(
      'with unknown transport 0',
    );
  });
});
