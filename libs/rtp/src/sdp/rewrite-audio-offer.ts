import { MediaError, MediaErrorCode } from '@pbx/telephony';
import {
  type AudioNegotiation,
  type LocalMedia,
  type RemoteMedia,
  PCMA_ENCODING,
  PCMA_PAYLOAD_TYPE,
  PCMU_ENCODING,
  PCMU_PAYLOAD_TYPE,
  TELEPHONE_EVENT_ENCODING,
} from './audio-media';
import {
  AUDIO_PROTO,
  type ParsedSection,
  parseSections,
  remoteMediaOf,
  renderRelayedStream,
} from './audio-section';
import { type SdpDocument, badSdp, parseSdp } from './sdp-document';
import { parseAttribute, rtpmapEncoding } from './sdp-fields';

/**
 * One side's SDP read and checked by the relay, and what it learnt from it. It is negotiated
 * without the platform's ports, so that a bad SDP is refused before a port pair is taken, and
 * rendered once the leg that faces the other side has its ports.
 */
export interface NegotiatedAudio {
  /** Where the sending side wants to receive. */
  readonly remote: RemoteMedia;
  readonly negotiation: AudioNegotiation;
  /** The body to send on through `local`; its o= line is stamped by SdpOriginator. */
  render(local: LocalMedia): SdpDocument;
}

/**
 * Negotiates an offer for the other side (RFC 3264 §5): the first plain RTP/AVP audio stream with
 * a port is relayed, keeping only PCMU, PCMA and 8 kHz telephone-event; every other stream is
 * refused with port 0, so that the answer keeps the same m= lines.
 * Throws MediaError BadSdp or NoCommonCodec.
 */
export function negotiateAudioOffer(sdp: string): NegotiatedAudio {
  const document = parseSdp(sdp);
  const sections = parseSections(document);
  const audioIndex = sections.findIndex(
    (s) =>
      s.mediaLine.media === 'audio' &&
      s.mediaLine.proto.toUpperCase() === AUDIO_PROTO &&
      s.mediaLine.port !== 0,
  );
  if (audioIndex < 0) {
    throw badSdp('no RTP/AVP audio stream with a port (SRTP and WebRTC legs are not relayed)');
  }
  const audio = sections[audioIndex];
  const codecs = relayedCodecs(audio);
  if (!codecs.has(PCMU_PAYLOAD_TYPE) && !codecs.has(PCMA_PAYLOAD_TYPE)) {
    throw new MediaError(
      MediaErrorCode.NoCommonCodec,
      `the offer's audio formats ${audio.mediaLine.formats.join(' ')} hold neither PCMU (0) nor PCMA (8)`,
    );
  }
  const payloadTypes = [...codecs.keys()];
  const remote = remoteMediaOf(document, audio, payloadTypes);
  const mediaLines = sections.map((section) => section.mediaLine);
  const stream = {
    document,
    audio,
    audioIndex,
    payloadTypes,
    direction: remote.direction,
    mediaLines,
  };
  return {
    remote,
    negotiation: { mediaCount: sections.length, audioIndex, codecs, mediaLines },
    render: (local) => renderRelayedStream(stream, local),
  };
}

/** The offered formats the relay passes, in the offer's order, with their encodings. */
function relayedCodecs(audio: ParsedSection): Map<number, string> {
  const rtpmaps = new Map<string, string | undefined>();
  for (const line of audio.section.lines) {
    if (line.type !== 'a') continue;
    const attribute = parseAttribute(line.value);
    if (attribute.name !== 'rtpmap') continue;
    const format = attribute.value?.split(' ', 1)[0] ?? '';
    rtpmaps.set(format, rtpmapEncoding(attribute) ?? 'unparsable');
  }
  const codecs = new Map<number, string>();
  for (const format of audio.mediaLine.formats) {
    if (!/^\d{1,3}$/.test(format)) continue;
    const payloadType = Number(format);
    const encoding = rtpmaps.get(format);
    if (payloadType === PCMU_PAYLOAD_TYPE && (encoding ?? PCMU_ENCODING) === PCMU_ENCODING) {
      codecs.set(payloadType, PCMU_ENCODING);
    } else if (payloadType === PCMA_PAYLOAD_TYPE && (encoding ?? PCMA_ENCODING) === PCMA_ENCODING) {
      codecs.set(payloadType, PCMA_ENCODING);
    } else if (payloadType >= 96 && payloadType <= 127 && encoding === TELEPHONE_EVENT_ENCODING) {
      // RFC 3551 §3: dynamic payload types are 96-127 and need an rtpmap.
      codecs.set(payloadType, TELEPHONE_EVENT_ENCODING);
    }
  }
  return codecs;
}
