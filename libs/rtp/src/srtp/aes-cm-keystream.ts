import { type Cipher, createCipheriv } from 'node:crypto';

/** Enough counter blocks for the largest UDP payload the media path handles. */
const MAX_BLOCKS = 96;

/**
 * AES in counter mode as SRTP uses it (RFC 3711 §4.1.1), applied in place. One ECB cipher per
 * session key is kept and fed the counter blocks of each packet, instead of creating a CTR
 * cipher per packet: the per-packet cost is one native call and an XOR loop.
 */
export class AesCmKeystream {
  readonly #ecb: Cipher;
  readonly #salt: Buffer;
  readonly #counters = Buffer.alloc(16 * MAX_BLOCKS);

  constructor(key: Buffer, salt: Buffer) {
    this.#ecb = createCipheriv('aes-128-ecb', key, null);
    this.#ecb.setAutoPadding(false);
    this.#salt = salt;
  }

  /**
   * XORs `data[start, end)` with the keystream whose IV is (salt·2¹⁶) XOR (ssrc·2⁶⁴) XOR
   * (index·2¹⁶), `index` being the 48-bit packet index (RTP) or the 31-bit SRTCP index.
   */
  apply(
    data: Uint8Array,
    start: number,
    end: number,
    ssrc: number,
    indexHigh: number,
    indexLow: number,
  ): void {
    const length = end - start;
    if (length <= 0) return;
    const blocks = Math.ceil(length / 16);
    if (blocks > MAX_BLOCKS)
      throw new RangeError(`${length} octets is too long for one SRTP packet`);
    const counters = this.#counters;
    const salt = this.#salt;
    // Block 0: bytes 0-13 hold the salt XOR ssrc (bytes 4-7) XOR index (bytes 8-13).
    for (let i = 0; i < 14; i++) counters[i] = salt[i];
    counters[4] ^= ssrc >>> 24;
    counters[5] ^= (ssrc >>> 16) & 0xff;
    counters[6] ^= (ssrc >>> 8) & 0xff;
    counters[7] ^= ssrc & 0xff;
    // indexHigh: the upper 32 bits of the 48-bit index (the ROC for RTP), indexLow the lower 16.
    counters[8] ^= indexHigh >>> 24;
    counters[9] ^= (indexHigh >>> 16) & 0xff;
    counters[10] ^= (indexHigh >>> 8) & 0xff;
    counters[11] ^= indexHigh & 0xff;
    counters[12] ^= (indexLow >>> 8) & 0xff;
    counters[13] ^= indexLow & 0xff;
    counters[14] = 0;
    counters[15] = 0;
    for (let b = 1; b < blocks; b++) {
      const at = b * 16;
      counters.copy(counters, at, 0, 14);
      counters[at + 14] = b >>> 8;
      counters[at + 15] = b & 0xff;
    }
    const stream = this.#ecb.update(counters.subarray(0, blocks * 16));
    for (let i = 0; i < length; i++) data[start + i] ^= stream[i];
  }
}
