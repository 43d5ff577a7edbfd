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
