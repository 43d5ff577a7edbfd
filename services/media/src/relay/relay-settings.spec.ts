import type { NetworkInterfaceInfo } from 'node:os';
import type { PlatformConfig } from '@pbx/config';
import { relaySettingsFrom } from './relay-settings';

function config(mediaHost: string, mediaPublicIp?: string): PlatformConfig {
  return {
    rtpPorts: { start: 30000, end: 30999 },
    mediaHost,
    mediaPublicIp,
    rtpTimeoutS: 60,
  } as unknown as PlatformConfig;
}

describe(relaySettingsFrom.name, () => {
  it('writes PBX_MEDIA_PUBLIC_IP into SDP when set', () => {
    expect(relaySettingsFrom(config('0.0.0.0', '203.0.113.5')).mediaPublicIp).toBe('203.0.113.5');
  });

  it('falls back to the media host, or to loopback when the host is a wildcard', () => {
    expect(relaySettingsFrom(config('192.0.2.10')).mediaPublicIp).toBe('192.0.2.10');
    expect(relaySettingsFrom(config('0.0.0.0')).mediaPublicIp).toBe('127.0.0.1');
    expect(relaySettingsFrom(config('::')).mediaPublicIp).toBe('::1');
  });
});

describe('WebRTC candidate addresses', () => {
  const info = (address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo =>
    ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;
  const host = {
    lo: [info('127.0.0.1', 'IPv4', true), info('::1', 'IPv6', true)],
    eth0: [info('192.0.2.2', 'IPv4'), info('fe80::1', 'IPv6'), info('2001:db8::2', 'IPv6')],
    eth1: [info('198.51.100.7', 'IPv4')],
  };

  it('puts PBX_MEDIA_PUBLIC_IP first, then every outside address of the host family', () => {
    expect(relaySettingsFrom(config('0.0.0.0', '203.0.113.5'), host).webrtcCandidates).toEqual([
      '203.0.113.5',
      '192.0.2.2',
      '198.51.100.7',
    ]);
    expect(relaySettingsFrom(config('::'), host).webrtcCandidates).toEqual(['2001:db8::2']);
  });

  it('offers the bound address alone when the media host is one address (loopback in tests)', () => {
    expect(relaySettingsFrom(config('127.0.0.1'), host).webrtcCandidates).toEqual(['127.0.0.1']);
  });

  it('falls back to the SDP address on a host with loopback only', () => {
    expect(relaySettingsFrom(config('0.0.0.0'), { lo: host.lo }).webrtcCandidates).toEqual([
      '127.0.0.1',
    ]);
  });
});
