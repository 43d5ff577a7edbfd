import { isSipUri, parseUri, type Peer } from '@pbx/sip';
import type { DeviceTarget } from '@pbx/telephony';
import type { ContactLocator, RegisteredContact } from '../b2bua/b2bua.ports';
import type { Binding } from '../registrar/binding';

export interface BindingLookup {
  lookup(username: string, domain: string): Promise<Binding[]>;
}

/** The registered contacts of the callee's devices, from the registrar's bindings. */
export class RegisteredContacts implements ContactLocator {
  constructor(private readonly registrar: BindingLookup) {}

  async contacts(devices: readonly DeviceTarget[]): Promise<readonly RegisteredContact[]> {
    const lists = await Promise.all(
      devices.map(async (device) =>
        (await this.registrar.lookup(device.sipUser, device.domain)).map(
          (b): RegisteredContact => ({
            deviceId: device.deviceId,
            uri: b.contact,
            flow: flowOf(b),
          }),
        ),
      ),
    );
    return lists.flat();
  }
}

/**
 * Where a request to a binding goes. Over TCP, TLS and WebSocket: the connection it registered
 * on (the phone may not accept connections at all, RFC 5626). Over UDP: the Contact's own
 * address and port when its host is the address the REGISTER came from (the phone says where it
 * listens), else the source address and port (a phone behind NAT writing its private address:
 * only the NAT binding reaches it, kept open by its keep-alives).
 */
export function flowOf(binding: Binding): Peer {
  const source = binding.source;
  if (source.protocol !== 'udp') return source;
  const parsed = parseUri(binding.contact);
  if (!parsed.ok || !isSipUri(parsed.value)) return source;
  const uri = parsed.value;
  const transport = uri.params.find((p) => p.name === 'transport')?.value?.toLowerCase();
  if (transport !== undefined && transport !== 'udp') return source;
  if (uri.host !== source.address) return source;
  return { protocol: 'udp', address: uri.host, port: uri.port ?? 5060 };
}
