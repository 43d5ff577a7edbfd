import type { PlatformConfig } from '@pbx/config';
import type { PortRange } from '@pbx/rtp';

/** What the relay takes from the platform configuration. */
export interface RelaySettings {
  /** PBX_RTP_PORTS. */
  readonly rtpPorts: PortRange;
  /** PBX_MEDIA_HOST: the address the sockets are bound to. */
  readonly mediaHost: string;
  /** The address written into SDP. */
  readonly mediaPublicIp: string;
  /** PBX_RTP_TIMEOUT_S. */
  readonly rtpTimeoutS: number;
}

/**
 * PBX_MEDIA_PUBLIC_IP defaults to PBX_MEDIA_HOST, except that a wildcard host (all interfaces)
 * is no address a phone can send to: loopback then, which suits the standalone shape on one
 * machine; any deployment reachable by phones sets PBX_MEDIA_PUBLIC_IP.
 */
export function relaySettingsFrom(config: PlatformConfig): RelaySettings {
  const wildcard: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
  return {
    rtpPorts: config.rtpPorts,
    mediaHost: config.mediaHost,
    mediaPublicIp: config.mediaPublicIp ?? wildcard[config.mediaHost] ?? config.mediaHost,
    rtpTimeoutS: config.rtpTimeoutS,
  };
}
