import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import { isIPv6 } from 'node:net';
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
  /**
   * ICE host candidate addresses of WebRTC legs, best first; the SDP address alone when unset.
   * From PBX_MEDIA_PUBLIC_IP and the host's addresses (see webrtcCandidateAddresses).
   */
  readonly webrtcCandidates?: readonly string[];
}

/**
 * PBX_MEDIA_PUBLIC_IP defaults to PBX_MEDIA_HOST, except that a wildcard host (all interfaces)
 * is no address a phone can send to: loopback then, which suits the standalone shape on one
 * machine; any deployment reachable by phones sets PBX_MEDIA_PUBLIC_IP.
 */
export function relaySettingsFrom(
  config: PlatformConfig,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): RelaySettings {
  const wildcard: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
  const mediaPublicIp = config.mediaPublicIp ?? wildcard[config.mediaHost] ?? config.mediaHost;
  return {
    rtpPorts: config.rtpPorts,
    mediaHost: config.mediaHost,
    mediaPublicIp,
    rtpTimeoutS: config.rtpTimeoutS,
    webrtcCandidates: webrtcCandidateAddresses(config, mediaPublicIp, interfaces),
  };
}

/**
 * Where a browser may reach a WebRTC leg (its ICE host candidates): PBX_MEDIA_PUBLIC_IP first
 * when set (the address a NAT forwards, or the node's public one), then, when the sockets bind
 * all interfaces, every non-loopback address of the host's family (a browser on the same LAN
 * reaches those directly), else the bound address itself. Loopback is offered only when the
 * media host is loopback: browsers ignore loopback candidates unless told otherwise.
 */
export function webrtcCandidateAddresses(
  config: Pick<PlatformConfig, 'mediaHost' | 'mediaPublicIp'>,
  sdpAddress: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): string[] {
  const addresses: string[] = [];
  if (config.mediaPublicIp !== undefined) addresses.push(config.mediaPublicIp);
  const v6 = isIPv6(config.mediaHost);
  if (config.mediaHost === '0.0.0.0' || config.mediaHost === '::') {
    for (const list of Object.values(interfaces)) {
      for (const info of list ?? []) {
        if (info.internal || (info.family === 'IPv6') !== v6) continue;
        // Link-local IPv6 needs a scope id that SDP cannot carry.
        if (v6 && info.address.toLowerCase().startsWith('fe80:')) continue;
        if (!addresses.includes(info.address)) addresses.push(info.address);
      }
    }
  } else if (!addresses.includes(config.mediaHost)) {
    addresses.push(config.mediaHost);
  }
  if (addresses.length === 0) addresses.push(sdpAddress);
  return addresses;
}
