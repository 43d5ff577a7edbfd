import type { LocalMedia, RemoteMedia, TransportAddress } from './audio-media';
import { type SdpDocument, type SdpLine, type SdpMediaSection, badSdp } from './sdp-document';
import {
  type MediaDirection,
  type SdpMediaLine,
  MEDIA_DIRECTIONS,
  attributeFormat,
  directionOf,
  formatConnection,
  formatMediaLine,
  parseAttribute,
  parseConnection,
  parseMediaLine,
  parseRtcpAttribute,
} from './sdp-fields';

/**
 * Attributes that do not apply to a plain RTP/AVP stream anchored in the platform: ICE
 * (RFC 8839), DTLS-SRTP (RFC 5763), SDES (RFC 4568), AVPF feedback (RFC 4585) and RTP/RTCP
 * multiplexing. The platform does not offer rtcp-mux (RFC 5761) on plain legs: it keeps RTCP on
 * the odd port of each pair on both sides, so RTCP is relayed the same way whatever each phone
 * supports. Direction and a=rtcp are rewritten rather than passed through.
 */
const DROPPED_ATTRIBUTES = new Set([
  'candidate',
  'end-of-candidates',
  'remote-candidates',
  'ice-ufrag',
  'ice-pwd',
  'ice-options',
  'ice-lite',
  'ice-mismatch',
  'ice-pacing',
  'crypto',
  'fingerprint',
  'setup',
  'tls-id',
  'rtcp-mux',
  'rtcp-mux-only',
  'rtcp-rsize',
  'rtcp-fb',
  'rtcp',
  'group',
  'msid-semantic',
  'extmap-allow-mixed',
  ...MEDIA_DIRECTIONS,
]);

/** Lines that may come before `c=` at session level (RFC 4566 §5 order). */
const BEFORE_CONNECTION = new Set(['v', 'o', 's', 'i', 'u', 'e', 'p']);

/** The one media type and profile the relay anchors. */
export const AUDIO_PROTO = 'RTP/AVP';

export interface ParsedSection {
  readonly mediaLine: SdpMediaLine;
  readonly section: SdpMediaSection;
}

export function parseSections(document: SdpDocument): ParsedSection[] {
  return document.media.map((section) => ({
    mediaLine: parseMediaLine(section.lines[0].value),
    section,
  }));
}

/** The side's direction for a stream: media level, else session level, else sendrecv (RFC 3264 §5.1). */
export function effectiveDirection(
  document: SdpDocument,
  section: SdpMediaSection,
): MediaDirection {
  return directionOf(section.lines) ?? directionOf(document.session) ?? 'sendrecv';
}

/** Reads where the side wants to receive the stream. Throws MediaError BadSdp. */
export function remoteMediaOf(
  document: SdpDocument,
  parsed: ParsedSection,
  payloadTypes: readonly number[],
): RemoteMedia {
  const connectionLine =
    parsed.section.lines.find((line) => line.type === 'c') ??
    document.session.find((line) => line.type === 'c');
  if (connectionLine === undefined) {
    throw badSdp('the audio stream has no c= line, at media or session level (RFC 4566 §5.7)');
  }
  const connection = parseConnection(connectionLine.value);
  let direction = effectiveDirection(document, parsed.section);
  const onHold = connection.address === '0.0.0.0' || connection.address === '::';
  if (onHold) {
    // RFC 2543 hold: the side receives nothing, whatever else it says it does.
    if (direction === 'sendrecv') direction = 'sendonly';
    else if (direction === 'recvonly') direction = 'inactive';
  }
  const rtp: TransportAddress | null = onHold
    ? null
    : { address: connection.address, port: parsed.mediaLine.port };
  let rtcp: TransportAddress | null = rtp === null ? null : { ...rtp, port: rtp.port + 1 };
  const rtcpLine = parsed.section.lines.find(
    (line) => line.type === 'a' && parseAttribute(line.value).name === 'rtcp',
  );
  if (rtp !== null && rtcpLine !== undefined) {
    const attribute = parseRtcpAttribute(parseAttribute(rtcpLine.value).value ?? '');
    rtcp = { address: attribute.connection?.address ?? rtp.address, port: attribute.port };
  }
  if (rtp !== null && rtp.port + 1 > 65535 && rtcpLine === undefined) {
    throw badSdp('RTP port 65535 leaves no room for RTCP');
  }
  return { rtp, rtcp, direction, payloadTypes };
}

/** Session level with the platform's c= and without attributes that do not apply. */
export function rewriteSession(session: readonly SdpLine[], local: LocalMedia): SdpLine[] {
  const connection: SdpLine = { type: 'c', value: formatConnection(local.address) };
  const out: SdpLine[] = [];
  let wroteConnection = false;
  for (const line of session) {
    if (line.type === 'c') {
      if (!wroteConnection) out.push(connection);
      wroteConnection = true;
      continue;
    }
    if (!wroteConnection && !BEFORE_CONNECTION.has(line.type)) {
      out.push(connection);
      wroteConnection = true;
    }
    if (line.type === 'a' && DROPPED_ATTRIBUTES.has(parseAttribute(line.value).name)) continue;
    if (line.type === 'k') continue;
    out.push(line);
  }
  if (!wroteConnection) out.push(connection);
  return out;
}

/**
 * The relayed audio stream as the platform describes it: its port, its c=, the kept payload
 * types with their rtpmap/fmtp, a=rtcp pointing at the platform when the side used it, and an
 * explicit direction (RFC 3264 §5.1).
 */
export function rewriteAudioSection(
  parsed: ParsedSection,
  keep: readonly number[],
  local: LocalMedia,
  direction: MediaDirection,
): SdpMediaSection {
  const kept = new Set(keep.map(String));
  const lines: SdpLine[] = [
    {
      type: 'm',
      value: formatMediaLine({
        media: 'audio',
        port: local.rtpPort,
        portCount: undefined,
        proto: AUDIO_PROTO,
        formats: keep.map(String),
      }),
    },
  ];
  const attributes: SdpLine[] = [];
  for (const line of parsed.section.lines.slice(1)) {
    if (line.type === 'i' || line.type === 'b') lines.push(line);
    if (line.type !== 'a') continue;
    const attribute = parseAttribute(line.value);
    if (attribute.name === 'rtcp') {
      const rtcp = parseRtcpAttribute(attribute.value ?? '');
      const suffix = rtcp.connection === undefined ? '' : ` ${formatConnection(local.address)}`;
      attributes.push({ type: 'a', value: `rtcp:${local.rtcpPort}${suffix}` });
      continue;
    }
    if (DROPPED_ATTRIBUTES.has(attribute.name)) continue;
    if (
      (attribute.name === 'rtpmap' || attribute.name === 'fmtp') &&
      !kept.has(attributeFormat(attribute) ?? '')
    ) {
      continue;
    }
    attributes.push(line);
  }
  const insertAt = lines.findIndex((line) => line.type === 'b');
  const connection: SdpLine = { type: 'c', value: formatConnection(local.address) };
  if (insertAt < 0) lines.push(connection);
  else lines.splice(insertAt, 0, connection);
  lines.push(...attributes, { type: 'a', value: direction });
  return { lines };
}

/** One side's SDP as the relay keeps it between reading it and writing it for the other side. */
export interface RelayedStream {
  readonly document: SdpDocument;
  readonly audio: ParsedSection;
  readonly audioIndex: number;
  /** The formats kept on the relayed audio stream, in the side's order. */
  readonly payloadTypes: readonly number[];
  readonly direction: MediaDirection;
  /** One per m= line; every stream but the audio one is refused with its line. */
  readonly mediaLines: readonly SdpMediaLine[];
}

/** The side's SDP as the platform sends it on: the audio stream through `local`, the rest refused. */
export function renderRelayedStream(stream: RelayedStream, local: LocalMedia): SdpDocument {
  return {
    session: rewriteSession(stream.document.session, local),
    media: stream.mediaLines.map((mediaLine, index) =>
      index === stream.audioIndex
        ? rewriteAudioSection(stream.audio, stream.payloadTypes, local, stream.direction)
        : disabledSection(mediaLine),
    ),
  };
}

/** A stream the platform does not relay, refused with port 0 (RFC 3264 §6 and §8.2). */
export function disabledSection(mediaLine: SdpMediaLine): SdpMediaSection {
  return {
    lines: [{ type: 'm', value: formatMediaLine({ ...mediaLine, port: 0, portCount: undefined }) }],
  };
}
