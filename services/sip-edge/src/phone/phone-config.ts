import type { PlatformConfig } from '@pbx/config';

/** An RTCIceServer as the browser takes it. */
export interface IceServerView {
  readonly urls: readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/**
 * What the web phone needs to reach the platform, from GET /api/v1/phone/config. Kept small on
 * purpose. `iceServers` holds only servers without credentials: TURN comes with the session.
 */
export interface PhoneConfigView {
  /** SIP over WebSocket (RFC 7118), when PBX_SIP_WS_PORT is set. */
  readonly wsUrl?: string;
  /** SIP over secure WebSocket, when PBX_SIP_WSS_PORT is set; pages served over HTTPS need it. */
  readonly wssUrl?: string;
  readonly iceServers: readonly IceServerView[];
}

export type PhoneConfigSettings = Pick<
  PlatformConfig,
  'sipPublicHost' | 'sipHost' | 'sipWsPort' | 'sipWssPort'
>;

const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const WILDCARD = new Set(['0.0.0.0', '::', '[::]']);

/** The host part of an HTTP Host header ("example.com:8080", "[::1]:8080"), if well formed. */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const host = value.startsWith('[')
    ? value.slice(0, value.indexOf(']') + 1)
    : value.split(':').length <= 2
      ? value.split(':')[0]
      : undefined;
  if (host === undefined || host === '') return undefined;
  return HOST_NAME.test(host) || BRACKETED_IPV6.test(host) ? host : undefined;
}

/**
 * The WebSocket URLs in the name the browser should use: the configured public SIP host, else
 * the host the browser reached this page on (the page and the edge run on one machine or behind
 * one name in both shapes), else the bound address.
 */
export function phoneConfigView(
  settings: PhoneConfigSettings,
  requestHost: string | undefined,
  iceServers: readonly IceServerView[] = [],
): PhoneConfigView {
  const bound = WILDCARD.has(settings.sipHost) ? '127.0.0.1' : settings.sipHost;
  const raw = settings.sipPublicHost ?? hostOfHeader(requestHost) ?? bound;
  const host = raw.includes(':') && !raw.startsWith('[') ? `[${raw}]` : raw;
  return {
    ...(settings.sipWsPort !== undefined ? { wsUrl: `ws://${host}:${settings.sipWsPort}` } : {}),
    ...(settings.sipWssPort !== undefined
      ? { wssUrl: `wss://${host}:${settings.sipWssPort}` }
      : {}),
    iceServers,
  };
}
