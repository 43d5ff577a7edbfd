import { OPUS_ENCODING } from '@pbx/rtp';
import { G711Codec } from './g711-codec';
import { OpusCodec } from './opus-codec';

/** Transcoding works on 8 kHz mono 16-bit PCM: the band G.711 phones carry. */
export const PCM_RATE = 8000;

/** One direction's decoder or encoder of one codec; stateful (Opus keeps history). */
export interface AudioCodec {
  /** The RTP clock rate of the encoding. */
  readonly clockRate: number;
  /** Samples one encoded frame must hold; 0 when any count will do (G.711). */
  readonly frameSamples: number;
  /** Decodes a payload to 8 kHz PCM; an empty array for a payload it cannot decode. */
  decode(payload: Uint8Array): Int16Array;
  /** Encodes 8 kHz PCM (frameSamples of it, when set) to a payload. */
  encode(pcm: Int16Array): Buffer;
}

/** Codecs the media service transcodes between, by SDP encoding. */
export function createAudioCodec(encoding: string): AudioCodec {
  switch (encoding) {
    case 'pcmu/8000':
      return new G711Codec('pcmu');
    case 'pcma/8000':
      return new G711Codec('pcma');
    case OPUS_ENCODING:
      return new OpusCodec();
    default:
      throw new RangeError(`no transcoder for ${encoding}`);
  }
}
