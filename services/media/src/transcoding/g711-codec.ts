import { type G711Law, decodeG711, encodeG711 } from '@pbx/rtp';
import type { AudioCodec } from './audio-codec';

export class G711Codec implements AudioCodec {
  readonly clockRate = 8000;
  readonly frameSamples = 0;

  constructor(private readonly law: G711Law) {}

  decode(payload: Uint8Array): Int16Array {
    const pcm = new Int16Array(payload.length);
    decodeG711(this.law, payload, pcm);
    return pcm;
  }

  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe(pcm.length);
    encodeG711(this.law, pcm, out);
    return out;
  }
}
