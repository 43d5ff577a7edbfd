import { OpusEncoder } from '@discordjs/opus';
import type { AudioCodec } from './audio-codec';

/** libopus CTLs (opus_defines.h) the encoder is tuned with. */
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_SIGNAL = 4024;
const OPUS_SIGNAL_VOICE = 3001;

/**
 * Opus (RFC 6716, RTP clock 48 kHz by RFC 7587) between a browser and an 8 kHz G.711 side. The
 * encoder takes 20 ms of 8 kHz mono; libopus codes it as narrowband speech, all G.711 carries
 * anyway. Complexity 5 halves the encoder's cost against the default 10 with no audible loss
 * at this band. The decoder outputs 8 kHz mono whatever the browser encoded (libopus
 * downmixes and resamples).
 */
export class OpusCodec implements AudioCodec {
  readonly clockRate = 48000;
  readonly frameSamples = 160;
  readonly #codec = new OpusEncoder(8000, 1);

  constructor() {
    this.#codec.applyEncoderCTL(OPUS_SET_COMPLEXITY, 5);
    this.#codec.applyEncoderCTL(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE);
    this.#codec.setBitrate(24000);
  }

  decode(payload: Uint8Array): Int16Array {
    try {
      const pcm = this.#codec.decode(
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
      );
      // An Int16Array view needs an even offset; copy in the rare case the buffer has none.
      const aligned = pcm.byteOffset % 2 === 0 ? pcm : Buffer.from(pcm);
      return new Int16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 1);
    } catch {
      // A corrupt frame: nothing to play (the next good one decodes on).
      return new Int16Array(0);
    }
  }

  encode(pcm: Int16Array): Buffer {
    return this.#codec.encode(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength));
  }
}
