import { MediaError, MediaErrorCode } from '@pbx/telephony';
import { type AudioNegotiation, PCMA_PAYLOAD_TYPE, PCMU_PAYLOAD_TYPE } from './audio-media';
import { AUDIO_PROTO, parseSections, remoteMediaOf, renderRelayedStream } from './audio-section';
import { badSdp, parseSdp } from './sdp-document';
import { parseAttribute, rtpmapEncoding } from './sdp-fields';
import type { NegotiatedAudio } from './rewrite-audio-offer';

/**
 * Negotiates an answer for the offerer (RFC 3264 §6): it must have the offer's m= lines; on the
 * relayed audio stream it keeps only formats the offer held with the same encoding, and must
 * keep PCMU or PCMA; the other streams stay refused. Throws MediaError BadSdp or NoCommonCodec.
 */
export function negotiateAudioAnswer(sdp: string, offered: AudioNegotiation): NegotiatedAudio {
  const document = parseSdp(sdp);
  const sections = parseSections(document);
  if (sections.length !== offered.mediaCount) {
    throw badSdp(
      `the answer has ${sections.length} m= lines, the offer ${offered.mediaCount} (RFC 3264 §6)`,
    );
  }
  const audio = sections[offered.audioIndex];
  if (audio.mediaLine.media !== 'audio' || audio.mediaLine.proto.toUpperCase() !== AUDIO_PROTO) {
    throw badSdp(`the answer's m= line ${offered.audioIndex + 1} is not RTP/AVP audio`);
  }
  if (audio.mediaLine.port === 0) {
    throw new MediaError(MediaErrorCode.NoCommonCodec, 'the answer refuses the audio stream');
  }
  const rtpmaps = new Map<string, string | undefined>();
  for (const line of audio.section.lines) {
    const attribute = line.type === 'a' ? parseAttribute(line.value) : undefined;
    if (attribute?.name === 'rtpmap') {
      rtpmaps.set(attribute.value?.split(' ', 1)[0] ?? '', rtpmapEncoding(attribute));
    }
  }
  const payloadTypes: number[] = [];
  for (const format of audio.mediaLine.formats) {
    const payloadType = /^\d{1,3}$/.test(format) ? Number(format) : -1;
    const encoding = offered.codecs.get(payloadType);
    if (encoding === undefined || payloadTypes.includes(payloadType)) continue;
    // Payload types are relayed untranslated, so a format must mean the same on both sides.
    if ((rtpmaps.get(format) ?? encoding) !== encoding) continue;
    payloadTypes.push(payloadType);
  }
  if (!payloadTypes.includes(PCMU_PAYLOAD_TYPE) && !payloadTypes.includes(PCMA_PAYLOAD_TYPE)) {
    throw new MediaError(
      MediaErrorCode.NoCommonCodec,
      `the answer's audio formats ${audio.mediaLine.formats.join(' ')} hold no offered G.711 format`,
    );
  }
  const remote = remoteMediaOf(document, audio, payloadTypes);
  const stream = {
    document,
    audio,
    audioIndex: offered.audioIndex,
    payloadTypes,
    direction: remote.direction,
    mediaLines: offered.mediaLines,
  };
  return {
    remote,
    negotiation: offered,
    render: (local) => renderRelayedStream(stream, local),
  };
}
