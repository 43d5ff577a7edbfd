import type { Binding } from '../registrar/binding';
import { flowOf } from './registered-contacts';

const binding = (contact: string, source: Binding['source']): Binding =>
  ({ contact, source }) as unknown as Binding;

describe(flowOf.name, () => {
  const udp = { protocol: 'udp' as const, address: '203.0.113.5', port: 40000 };

  it('uses the source for a phone behind NAT (private contact address)', () => {
    expect(flowOf(binding('sip:alice@192.168.1.10:5060', udp))).toEqual(udp);
  });

  it('uses the contact port when the phone registered from its own address', () => {
    expect(flowOf(binding('sip:alice@203.0.113.5:5062;transport=udp', udp))).toEqual({
      protocol: 'udp',
      address: '203.0.113.5',
      port: 5062,
    });
    expect(flowOf(binding('sip:alice@203.0.113.5', udp)).port).toBe(5060);
  });

  it('keeps the connection of a stream registration', () => {
    const tcp = { protocol: 'tcp' as const, address: '203.0.113.5', port: 40001, connectionId: 7 };
    expect(flowOf(binding('sip:alice@203.0.113.5:5060;transport=tcp', tcp))).toEqual(tcp);
  });

  it('falls back to the source for an unparsable or non-UDP contact', () => {
    expect(flowOf(binding('not a uri', udp))).toEqual(udp);
    expect(flowOf(binding('sip:alice@203.0.113.5:5060;transport=tcp', udp))).toEqual(udp);
  });
});
