import { canonicalHost, canonicalIpAddress } from './network-address';

describe(canonicalHost.name, () => {
  it.each([
    ['sip.carrier.example', 'sip.carrier.example'],
    ['SIP.Carrier.Example', 'sip.carrier.example'],
    ['localhost', 'localhost'],
    ['192.0.2.1', '192.0.2.1'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
  ])('accepts %s as %s', (text, host) => {
    expect(canonicalHost(text)).toBe(host);
  });

  it.each([
    ['an empty string', ''],
    ['a port', 'sip.carrier.example:5060'],
    ['a bracketed IPv6 address', '[2001:db8::1]'],
    ['an IPv4 address with an octet over 255', '192.0.2.256'],
    ['a short IPv4 address', '192.0.2'],
    ['a leading-zero octet', '192.0.2.010'],
    ['a label starting with a hyphen', '-sip.carrier.example'],
    ['a space', 'sip carrier.example'],
    ['an underscore', 'sip_trunk.example'],
    ['a label over 63 characters', `${'a'.repeat(64)}.example`],
    ['a URI', 'sip:carrier.example'],
  ])('refuses %s', (_what, text) => {
    expect(canonicalHost(text)).toBeUndefined();
  });
});

describe(canonicalIpAddress.name, () => {
  it('writes IPv6 addresses in RFC 5952 form and refuses zone ids and host names', () => {
    expect(canonicalIpAddress('2001:0DB8::0010')).toBe('2001:db8::10');
    expect(canonicalIpAddress('fe80::1%eth0')).toBeUndefined();
    expect(canonicalIpAddress('carrier.example')).toBeUndefined();
    expect(canonicalIpAddress('1:2:3:4:5:6:7:8:9')).toBeUndefined();
  });
});
