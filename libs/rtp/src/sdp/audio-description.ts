import { MediaError, MediaErrorCode, type MediaLegKind } from '@pbx/telephony';
import type { RemoteMedia } from './audio-media';
import {
  AUDIO_CODECS,
  type AudioFormat,
  isTelephoneEvent,
  OPUS_ENCODING,
  TELEPHONE_EVENT_48K_ENCODING,
} from './audio-format';
import { effectiveDirection, parseSections, remoteMediaOf } from './audio-section';
import { type IceCandidate, parseIceCandidate } from './ice-candidate';
import { type SdpLine, badSdp, parseSdp } from './sdp-document';
import { type SdpMediaLine, attributeFormat, parseAttribute } from './sdp-fields';

/** The profile of WebRTC media (RFC 8827 §6.5, JSEP RFC 8829 §5.1.2). */
export const WEBRTC_PROTO = 'UDP/TLS/RTP/SAVPF';

export type DtlsSetup = 'actpass' | 'active' | 'passive' | 'holdconn';

export interface DtlsFingerprint {
  /** Hash function name in lower case, e.g. `sha-256`. */
  readonly algorithm: string;
  /** Upper-case hex octets separated by colons. */
  readonly value: string;
}

/** A WebRTC side's ICE and DTLS parameters (RFC 8839, RFC 8842). */
export interface SecureTransport {
  readonly iceUfrag: string;
  readonly icePwd: string;
  readonly iceLite: boolean;
  readonly candidates: readonly IceCandidate[];
  readonly fingerprints: readonly DtlsFingerprint[];
  readonly setup: DtlsSetup;
}

/** One side's audio stream as the bridge between kinds of leg needs it. */
export interface AudioDescription {
  readonly kind: MediaLegKind;
  /** Every m= line, so that an answer can mirror them (RFC 3264 §6). */
  readonly mediaLines: readonly SdpMediaLine[];
  /** a=mid of each m= line (RFC 5888), for the answer's BUNDLE group and mids. */
  readonly mids: readonly (string | undefined)[];
  readonly audioIndex: number;
  /** Formats the media service carries, in the side's order of preference. */
  readonly formats: readonly AudioFormat[];
  /** Where a plain RTP side receives, and the stream's direction. */
  readonly remote: RemoteMedia;
  /** A WebRTC side's ICE and DTLS parameters. */
  readonly transport?: SecureTransport;
  readonly ptime?: number;
  /** The side bundles (RFC 9143): its answer must group the audio mid too. */
  readonly bundled: boolean;
}

const MAX_DYNAMIC_PAYLOAD_TYPE = 127;

function isAudioProto(proto: string): boolean {
  const upper = proto.toUpperCase();
  return upper === 'RTP/AVP' || upper === WEBRTC_PROTO || upper === 'UDP/TLS/RTP/SAVP';
}

/**
 * Reads the first audio stream with a port of an SDP body of either kind: plain RTP/AVP or
 * DTLS-SRTP (UDP/TLS/RTP/SAVP[F]) with ICE and rtcp-mux. SDES-keyed RTP/SAVP is not carried.
 * Throws MediaError BadSdp, or NoCommonCodec when no carried codec is offered.
 */
export function parseAudioDescription(sdp: string): AudioDescription {
  const document = parseSdp(sdp);
  const sections = parseSections(document);
  const audioIndex = sections.findIndex(
    (s) =>
      s.mediaLine.media === 'audio' && s.mediaLine.port !== 0 && isAudioProto(s.mediaLine.proto),
  );
  if (audioIndex < 0) {
    const savp = sections.some((s) => s.mediaLine.proto.toUpperCase() === 'RTP/SAVP');
    throw badSdp(
      savp
        ? 'SDES-keyed RTP/SAVP is not carried: phones use RTP/AVP, browsers DTLS-SRTP'
        : 'no RTP/AVP or UDP/TLS/RTP/SAVPF audio stream with a port',
    );
  }
  const audio = sections[audioIndex];
  const kind: MediaLegKind = audio.mediaLine.proto.toUpperCase() === 'RTP/AVP' ? 'rtp' : 'webrtc';
  const mediaAttributes = attributesOf(audio.section.lines);
  const sessionAttributes = attributesOf(document.session);
  const formats = carriedFormats(audio.mediaLine, mediaAttributes);
  if (!formats.some((f) => AUDIO_CODECS.includes(f.encoding))) {
    throw new MediaError(
      MediaErrorCode.NoCommonCodec,
      `the audio formats ${audio.mediaLine.formats.join(' ')} hold none of PCMU, PCMA, Opus`,
    );
  }
  const ptimeValue = Number(mediaAttributes.get('ptime')?.[0]);
  const transport =
    kind === 'webrtc' ? secureTransportOf(mediaAttributes, sessionAttributes) : undefined;
  const remote =
    kind === 'rtp'
      ? remoteMediaOf(
          document,
          audio,
          formats.map((f) => f.payloadType),
        )
      : {
          rtp: null,
          rtcp: null,
          direction: effectiveDirection(document, audio.section),
          payloadTypes: formats.map((f) => f.payloadType),
        };
  const mids = sections.map((s) => attributesOf(s.section.lines).get('mid')?.[0]);
  const groups = sessionAttributes.get('group') ?? [];
  const audioMid = mids[audioIndex];
  const bundled =
    audioMid !== undefined &&
    groups.some((g) => g.startsWith('BUNDLE ') && g.split(' ').slice(1).includes(audioMid));
  return {
    kind,
    mediaLines: sections.map((s) => s.mediaLine),
    mids,
    audioIndex,
    formats,
    remote,
    transport,
    ptime: Number.isInteger(ptimeValue) && ptimeValue > 0 ? ptimeValue : undefined,
    bundled,
  };
}

/** a= attributes by name, values in order (a flag's value is the empty string). */
function attributesOf(lines: readonly SdpLine[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of lines) {
    if (line.type !== 'a') continue;
    const attribute = parseAttribute(line.value);
    const list = map.get(attribute.name) ?? [];
    list.push(attribute.value ?? '');
    map.set(attribute.name, list);
  }
  return map;
}

function carriedFormats(mediaLine: SdpMediaLine, attributes: Map<string, string[]>): AudioFormat[] {
  const rtpmaps = new Map<string, { encoding: string; channels?: number }>();
  for (const value of attributes.get('rtpmap') ?? []) {
    const match = /^(\d{1,3}) ([^/\s]+)\/(\d+)(?:\/(\d+))?$/.exec(value);
    if (match === null) continue;
    rtpmaps.set(match[1], {
      encoding: `${match[2].toLowerCase()}/${match[3]}`,
      channels: match[4] === undefined ? undefined : Number(match[4]),
    });
  }
  const fmtps = new Map<string, string>();
  for (const value of attributes.get('fmtp') ?? []) {
    const format = attributeFormat({ name: 'fmtp', value });
    if (format !== undefined) fmtps.set(format, value.slice(format.length + 1));
  }
  const formats: AudioFormat[] = [];
  for (const format of mediaLine.formats) {
    if (!/^\d{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    if (payloadType > MAX_DYNAMIC_PAYLOAD_TYPE) continue;
    const mapped = rtpmaps.get(format);
    // RFC 3551 static types need no rtpmap; a dynamic one (96-127) does.
    const encoding =
      mapped?.encoding ??
      (payloadType === 0 ? 'pcmu/8000' : payloadType === 8 ? 'pcma/8000' : undefined);
    if (encoding === undefined) continue;
    if (payloadType === 0 && encoding !== 'pcmu/8000') continue;
    if (payloadType === 8 && encoding !== 'pcma/8000') continue;
    const carried =
      AUDIO_CODECS.includes(encoding) ||
      encoding === 'telephone-event/8000' ||
      encoding === TELEPHONE_EVENT_48K_ENCODING;
    if (!carried) continue;
    if ((encoding === OPUS_ENCODING || isTelephoneEvent(encoding)) && payloadType < 96) continue;
    if (formats.some((f) => f.payloadType === payloadType)) continue;
    formats.push({ payloadType, encoding, channels: mapped?.channels, fmtp: fmtps.get(format) });
  }
  return formats;
}

function secureTransportOf(
  media: Map<string, string[]>,
  session: Map<string, string[]>,
): SecureTransport {
  const one = (name: string): string | undefined => media.get(name)?.[0] ?? session.get(name)?.[0];
  const iceUfrag = one('ice-ufrag');
  const icePwd = one('ice-pwd');
  if (iceUfrag === undefined || icePwd === undefined) {
    throw badSdp('a DTLS-SRTP audio stream without a=ice-ufrag and a=ice-pwd (RFC 8839)');
  }
  // RFC 8839 §5.4: ufrag 4-256 and pwd 22-256 ice-chars; shorter ones are refused.
  if (!/^[A-Za-z0-9+/]{4,256}$/.test(iceUfrag) || !/^[A-Za-z0-9+/]{22,256}$/.test(icePwd)) {
    throw badSdp('a=ice-ufrag or a=ice-pwd is not 4 resp. 22 to 256 ice-chars (RFC 8839 §5.4)');
  }
  const fingerprints = [...(media.get('fingerprint') ?? []), ...(session.get('fingerprint') ?? [])]
    .map((value) => /^(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/.exec(value))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ algorithm: m[1].toLowerCase(), value: m[2].toUpperCase() }));
  if (!fingerprints.some((f) => f.algorithm === 'sha-256')) {
    throw badSdp('a DTLS-SRTP audio stream without a sha-256 a=fingerprint (RFC 8122)');
  }
  if (!media.has('rtcp-mux')) {
    throw badSdp(
      'a DTLS-SRTP audio stream without a=rtcp-mux: WebRTC legs multiplex RTCP (RFC 8858)',
    );
  }
  const setupValue = one('setup') ?? 'active';
  if (!['actpass', 'active', 'passive', 'holdconn'].includes(setupValue)) {
    throw badSdp(`a=setup:${setupValue} is not actpass, active, passive or holdconn (RFC 4145)`);
  }
  return {
    iceUfrag,
    icePwd,
    iceLite: session.has('ice-lite'),
    candidates: (media.get('candidate') ?? [])
      .map(parseIceCandidate)
      .filter((c): c is IceCandidate => c !== undefined && c.component === 1),
    fingerprints,
    setup: setupValue as DtlsSetup,
  };
}
