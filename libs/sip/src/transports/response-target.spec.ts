import { parseVia, type Via } from '../grammar/via';
import { defaultPort, responseTarget } from './response-target';
import type { Peer } from './sip-transport';

function via(text: string): Via {
  const r = parseVia(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value[0];
}

const UDP_SOURCE: Peer = { protocol: 'udp', address: '203.0.113.7', port: 40123 };

describe(responseTarget.name, () => {
  it('sends UDP responses to received and rport when the request asked for rport (RFC 3581 4)', () => {
    const v = via('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;received=203.0.113.7;rport=40123');
    expect(responseTarget(v, UDP_SOURCE)).toEqual({
      protocol: 'udp',
      address: '203.0.113.7',
      port: 40123,
    });
  });

  it('uses received with the sent-by port when there is no rport (RFC 3261 18.2.2)', () => {
    const v = via('SIP/2.0/UDP pc33.example.com:5070;branch=z9hG4bK1;received=203.0.113.7');
    expect(responseTarget(v, UDP_SOURCE)).toEqual({
      protocol: 'udp',
      address: '203.0.113.7',
      port: 5070,
    });
  });

  it('falls back to the sent-by host and port 5060', () => {
    expect(responseTarget(via('SIP/2.0/UDP 198.51.100.4;branch=z9hG4bK1'), UDP_SOURCE)).toEqual({
      protocol: 'udp',
      address: '198.51.100.4',
      port: 5060,
    });
  });

  it('strips the brackets of IPv6 addresses', () => {
    const v = via('SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bK1;received=[2001:db8::9:255];rport=9');
    expect(responseTarget(v, { protocol: 'udp', address: '2001:db8::9:255', port: 9 })).toEqual({
      protocol: 'udp',
      address: '2001:db8::9:255',
      port: 9,
    });
  });

  it('ignores maddr rather than reflect a response to an address the request names', () => {
    const v = via('SIP/2.0/UDP 198.51.100.4:5062;branch=z9hG4bK1;maddr=239.255.255.1');
    expect(responseTarget(v, UDP_SOURCE).address).toBe('198.51.100.4');
  });

  it('keeps a reliable response on the connection it came on, falling back to sent-by port', () => {
    const source: Peer = { protocol: 'tcp', address: '203.0.113.7', port: 51000, connectionId: 42 };
    expect(
      responseTarget(via('SIP/2.0/TCP 10.0.0.5:5070;branch=z9hG4bK1;rport=51000'), source),
    ).toEqual({ protocol: 'tcp', address: '203.0.113.7', port: 5070, connectionId: 42 });
    const wss: Peer = { protocol: 'wss', address: '203.0.113.8', port: 52000, connectionId: 7 };
    expect(responseTarget(via('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1'), wss)).toEqual({
      protocol: 'wss',
      address: '203.0.113.8',
      port: 443,
      connectionId: 7,
    });
  });

  it('knows the default port of every protocol', () => {
    expect(
      ['udp', 'tcp', 'tls', 'ws', 'wss'].map((p) => defaultPort(p as Peer['protocol'])),
    ).toEqual([5060, 5060, 5061, 80, 443]);
  });
});
