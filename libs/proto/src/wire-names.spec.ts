import { create, toBinary, fromBinary } from '@bufbuild/protobuf';
import { TenantArchitecture, TenantCreatedSchema } from './gen/pbx/provisioning/v1/events_pb';
import { eventSchema, TOPICS, topicOfEventType } from './index';

describe(topicOfEventType.name, () => {
  it('maps an event type to the topic of its protobuf package', () => {
    expect(topicOfEventType('pbx.provisioning.v1.TenantCreated')).toBe(TOPICS.provisioning);
    expect(topicOfEventType('pbx.calls.v1.CallAnswered')).toBe(TOPICS.calls);
  });

  it.each(['TenantCreated', 'pbx.provisioning.TenantCreated', 'acme.x.v1.Thing', 'pbx.calls.v1.'])(
    'refuses %p, which is not a versioned platform event type',
    (type) => {
      expect(() => topicOfEventType(type)).toThrow(TypeError);
    },
  );
});

describe('event registry', () => {
  it('decodes a published event by its type name', () => {
    const bytes = toBinary(
      TenantCreatedSchema,
      create(TenantCreatedSchema, {
        tenantId: 't1',
        name: 'Acme',
        architecture: TenantArchitecture.GROUP,
        domain: 'acme.example',
      }),
    );
    const schema = eventSchema('pbx.provisioning.v1.TenantCreated');
    expect(schema).toBeDefined();
    expect(fromBinary(TenantCreatedSchema, bytes).domain).toBe('acme.example');
    expect(eventSchema('pbx.provisioning.v1.Nope')).toBeUndefined();
  });
});
