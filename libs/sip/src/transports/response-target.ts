import type { Via } from '../grammar/via';
import { stripBrackets } from './peer-address';
import type { Peer, TransportProtocol } from './sip-transport';

/** Default ports (RFC 3261 19.1.2, RFC 7118 for WS over HTTP and HTTPS ports). */
export function defaultPort(protocol: TransportProtocol): number {
  switch (protocol) {
    case 'udp':
    case 'tcp':
      return 5060;
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
  }
}

/**
 * Where a response to a request goes (RFC 3261 18.2.2, RFC 3581 4), given the request's top Via
 * (as stamped on receipt) and where the request came from.
 *
 * - Reliable transports: back on the connection the request came on (`connectionId`); should it
 *   have closed, send() falls back to the source address with the sent-by port (18.2.2: "the
 *   received parameter ... using the port in the sent-by value").
 * - UDP: `received` (else the sent-by host) and `rport` (else the sent-by port, else 5060).
 *
 * maddr is ignored: sending to an address a request names instead of where it came from would make
 * the edge a reflector for spoofed packets, and no phone or carrier we serve uses multicast.
 */
export function responseTarget(via: Via, source: Peer): Peer {
  if (source.protocol !== 'udp') {
    const port = via.port ?? defaultPort(source.protocol);
    return source.connectionId === undefined
      ? { protocol: source.protocol, address: source.address, port }
      : {
          protocol: source.protocol,
          address: source.address,
          port,
          connectionId: source.connectionId,
        };
  }
  const address = stripBrackets(via.received ?? via.host);
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? 5060);
  return { protocol: 'udp', address, port };
}
