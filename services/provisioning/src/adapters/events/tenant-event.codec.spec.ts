import type { TenantEvent } from '../../domain/tenant/tenant';
import { tenantEventCodec } from './tenant-event.codec';

describe('tenantEventCodec', () => {
  it.each<TenantEvent>([
    {
      type: 'TenantCreated',
      tenantId: 't1',
      name: 'Acme',
      architecture: 'group',
      domain: 'acme.example',
    },
    {
      type: 'TenantCreated',
      tenantId: 'e1',
      name: 'Holding',
      architecture: 'enterprise',
      domain: '',
    },
    { type: 'TenantRenamed', tenantId: 't1', name: 'Acme BV' },
  ])('round-trips %p through protobuf', (event) => {
    const { type, data } = tenantEventCodec.encode(event);
    expect(type.startsWith('pbx.provisioning.v1.')).toBe(true);
    expect(tenantEventCodec.decode(type, data)).toEqual(event);
  });

  it('refuses a type that is not a tenant event', () => {
    expect(() => tenantEventCodec.decode('pbx.calls.v1.CallStarted', new Uint8Array())).toThrow(
      TypeError,
    );
  });
});
