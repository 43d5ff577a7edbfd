import { MediaError, MediaErrorCode, type MediaLegKind } from '@pbx/telephony';
import {
  AUDIO_CODECS,
  type AudioFormat,
  clockRateOf,
  DEFAULT_PAYLOAD_TYPES,
  isTelephoneEvent,
  OPUS_ENCODING,
  TELEPHONE_EVENT_48K_ENCODING,
} from './audio-format';

const G711 = ['pcmu/8000', 'pcma/8000'];
const OPUS_FMTP = 'minptime=10;useinbandfec=1';

/** Payload types for `encodings`, keeping the source's number where it had one. */
function withPayloadTypes(
  encodings: readonly string[],
  source: readonly AudioFormat[],
): AudioFormat[] {
  const used = new Set<number>();
  const out: AudioFormat[] = [];
  for (const encoding of encodings) {
    const own = source.find((f) => f.encoding === encoding);
    let payloadType = own?.payloadType ?? DEFAULT_PAYLOAD_TYPES[encoding];
    if (used.has(payloadType)) {
      payloadType = 96;
      while (used.has(payloadType)) payloadType++;
    }
    used.add(payloadType);
    out.push({
      payloadType,
      encoding,
      channels: encoding === OPUS_ENCODING ? 2 : undefined,
      fmtp:
        own?.fmtp ??
        (encoding === OPUS_ENCODING ? OPUS_FMTP : isTelephoneEvent(encoding) ? '0-16' : undefined),
    });
  }
  return out;
}

/**
 * What the platform offers a leg of kind `to` for an offer carrying `source`: the source's G.711
 * formats (passed through untouched, which is what scales), or both laws when it has none (a
 * browser offering only Opus: transcoded); to a WebRTC leg also Opus, last, for a client without
 * G.711. Telephone-events (RFC 4733) when the source sends them, at 8 kHz, and for a WebRTC leg
 * also at 48 kHz, the clock browsers pair with Opus.
 */
export function formatsForOffer(source: readonly AudioFormat[], to: MediaLegKind): AudioFormat[] {
  const g711 = source.filter((f) => G711.includes(f.encoding)).map((f) => f.encoding);
  const encodings = g711.length > 0 ? g711 : [...G711];
  if (to === 'webrtc') encodings.push(OPUS_ENCODING);
  if (source.some((f) => isTelephoneEvent(f.encoding))) {
    encodings.push('telephone-event/8000');
    if (to === 'webrtc') encodings.push(TELEPHONE_EVENT_48K_ENCODING);
  }
  return withPayloadTypes(encodings, source);
}

/**
 * The answerer's formats among those offered to it, with the payload types it answered (it
 * receives them so). Throws MediaError NoCommonCodec when it kept no audio codec.
 */
export function acceptedFormats(
  offered: readonly AudioFormat[],
  answered: readonly AudioFormat[],
): AudioFormat[] {
  const offeredEncodings = new Set(offered.map((f) => f.encoding));
  const accepted = answered.filter((f) => offeredEncodings.has(f.encoding));
  if (!accepted.some((f) => AUDIO_CODECS.includes(f.encoding))) {
    throw new MediaError(
      MediaErrorCode.NoCommonCodec,
      `the answer's formats ${answered.map((f) => f.payloadType).join(' ')} hold no offered codec`,
    );
  }
  return accepted;
}

/**
 * What the platform answers the offerer, given the formats the other side accepted: the
 * offerer's codecs the other side also speaks (passed through), else the offerer's first
 * carried codec (transcoded); its telephone-events when the other side took some.
 */
export function formatsForAnswer(
  offerer: readonly AudioFormat[],
  peer: readonly AudioFormat[],
): AudioFormat[] {
  const peerCodecs = new Set(
    peer.filter((f) => AUDIO_CODECS.includes(f.encoding)).map((f) => f.encoding),
  );
  const codecs = offerer.filter((f) => AUDIO_CODECS.includes(f.encoding));
  const common = codecs.filter((f) => peerCodecs.has(f.encoding));
  const chosen = common.length > 0 ? common : codecs.slice(0, 1);
  const events = peer.some((f) => isTelephoneEvent(f.encoding))
    ? offerer.filter((f) => isTelephoneEvent(f.encoding))
    : [];
  return [...chosen, ...events];
}

/** The telephone-event format of `formats` at `clockRate`, if any. */
export function telephoneEventAt(
  formats: readonly AudioFormat[],
  clockRate: number,
): AudioFormat | undefined {
  return formats.find((f) => isTelephoneEvent(f.encoding) && clockRateOf(f.encoding) === clockRate);
}
