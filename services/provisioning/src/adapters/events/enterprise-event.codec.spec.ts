import { eventSchema } from '@pbx/proto';
import type { EnterpriseEvent, EnterpriseEventType } from '../../domain/enterprise/enterprise';
import { ENTERPRISE_EVENT_TYPES, enterpriseEventCodec } from './enterprise-event.codec';

/** At least one example of every event type; the Record makes a new type fail to compile here. */
const examples: Record<EnterpriseEventType, readonly EnterpriseEvent[]> = {
  EnterpriseCreated: [
    { type: 'EnterpriseCreated', enterpriseName: 'holding', tenantId: 't1' },
    {
      type: 'EnterpriseCreated',
      enterpriseName: 'holding',
      tenantId: 't1',
      displayName: 'Holding BV',
    },
  ],
  EnterpriseChanged: [
    { type: 'EnterpriseChanged', enterpriseName: 'holding' },
    { type: 'EnterpriseChanged', enterpriseName: 'holding', displayName: 'Holding NV' },
  ],
  EnterpriseDeleted: [{ type: 'EnterpriseDeleted', enterpriseName: 'holding' }],
};

describe('enterpriseEventCodec', () => {
  it.each(Object.values(examples).flat())('round-trips %p through protobuf', (event) => {
    const { type, data } = enterpriseEventCodec.encode(event);
    expect(type).toBe(`pbx.provisioning.v1.${event.type}`);
    expect(eventSchema(type)).toBeDefined();
    expect(ENTERPRISE_EVENT_TYPES.has(type)).toBe(true);
    expect(enterpriseEventCodec.decode(type, data)).toEqual(event);
  });

  it('refuses a type that is not an enterprise event', () => {
    expect(() =>
      enterpriseEventCodec.decode('pbx.provisioning.v1.GroupCreated', new Uint8Array()),
    ).toThrow('not an enterprise event: pbx.provisioning.v1.GroupCreated');
  });
});
