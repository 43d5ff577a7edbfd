import { isIPv4, isIPv6 } from 'node:net';
import { type SdpLine, badSdp } from './sdp-document';

/** An `m=` line (RFC 4566 §5.14). */
export interface SdpMediaLine {
  readonly media: string;
  readonly port: number;
  /** The `/<number of ports>` suffix, when present. */
  readonly portCount: number | undefined;
  readonly proto: string;
  readonly formats: readonly string[];
}

/** A `c=` line (RFC 4566 §5.7), unicast: the TTL and address count of multicast are dropped. */
export interface SdpConnection {
  readonly addressType: 'IP4' | 'IP6';
  readonly address: string;
}

/** An `a=` line split at its first colon (RFC 4566 §5.13). */
export interface SdpAttribute {
  readonly name: string;
  readonly value: string | undefined;
}

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
export const MEDIA_DIRECTIONS: readonly MediaDirection[] = [
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
];

export function parseMediaLine(value: string): SdpMediaLine {
  const fields = value.split(' ');
  const match = /^(\d+)(?:\/(\d+))?$/.exec(fields[1] ?? '');
  if (fields.length < 4 || fields.some((field) => field === '') || match === null) {
    throw badSdp(`m=${value} is not "<media> <port> <proto> <fmt> ..." (RFC 4566 §5.14)`);
  }
  const port = Number(match[1]);
  if (port > 65535) throw badSdp(`m= port ${port} is above 65535`);
  return {
    media: fields[0],
    port,
    portCount: match[2] === undefined ? undefined : Number(match[2]),
    proto: fields[2],
    formats: fields.slice(3),
  };
}

export function formatMediaLine(line: SdpMediaLine): string {
  const port = line.portCount === undefined ? `${line.port}` : `${line.port}/${line.portCount}`;
  return [line.media, port, line.proto, ...line.formats].join(' ');
}

export function parseConnection(value: string): SdpConnection {
  const fields = value.split(' ');
  if (fields.length !== 3 || fields[0] !== 'IN') {
    throw badSdp(`c=${value} is not "IN <addrtype> <address>" (RFC 4566 §5.7)`);
  }
  const address = fields[2].split('/')[0];
  if (fields[1] === 'IP4' && isIPv4(address)) return { addressType: 'IP4', address };
  if (fields[1] === 'IP6' && isIPv6(address)) return { addressType: 'IP6', address };
  throw badSdp(`c=${value} has no ${fields[1]} literal address (host names are not resolved)`);
}

export function formatConnection(address: string): string {
  return `IN ${isIPv6(address) ? 'IP6' : 'IP4'} ${address}`;
}

export function parseAttribute(value: string): SdpAttribute {
  const colon = value.indexOf(':');
  return colon < 0
    ? { name: value, value: undefined }
    : { name: value.slice(0, colon), value: value.slice(colon + 1) };
}

/** The payload type an rtpmap/fmtp/rtcp-fb attribute value starts with (`96 opus/48000/2`). */
export function attributeFormat(attribute: SdpAttribute): string | undefined {
  return attribute.value?.split(' ', 1)[0];
}

/** `a=rtpmap:<pt> <encoding>/<clock rate>[/<channels>]` → `pcmu/8000` (lower case, no channels). */
export function rtpmapEncoding(attribute: SdpAttribute): string | undefined {
  const match = /^\d+ ([^/\s]+)\/(\d+)(?:\/\d+)?$/.exec(attribute.value ?? '');
  return match === null ? undefined : `${match[1].toLowerCase()}/${match[2]}`;
}

/** `a=rtcp:<port> [IN IP4 <address>]` (RFC 3605 §2.1). */
export function parseRtcpAttribute(value: string): { port: number; connection?: SdpConnection } {
  const match = /^(\d+)(?: (.+))?$/.exec(value);
  const port = match === null ? NaN : Number(match[1]);
  if (match === null || port < 1 || port > 65535) {
    throw badSdp(`a=rtcp:${value} is not "<port> [IN <addrtype> <address>]" (RFC 3605)`);
  }
  return match[2] === undefined ? { port } : { port, connection: parseConnection(match[2]) };
}

export function directionOf(lines: readonly SdpLine[]): MediaDirection | undefined {
  let found: MediaDirection | undefined;
  for (const line of lines) {
    if (line.type === 'a' && (MEDIA_DIRECTIONS as readonly string[]).includes(line.value)) {
      found = line.value as MediaDirection;
    }
  }
  return found;
}
