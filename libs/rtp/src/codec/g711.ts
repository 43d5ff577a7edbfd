/**
 * G.711 µ-law and A-law (ITU-T G.711), for transcoding between a browser's Opus and a phone's
 * G.711, and between the two laws. Decoding is a 256-entry table; encoding a 64 Ki-entry table
 * indexed by the 16-bit sample, built once on first use, so that a frame costs one lookup per
 * sample on the media path.
 */

export type G711Law = 'pcmu' | 'pcma';

const BIAS = 0x84;
const CLIP = 32635;

function encodeMuLawSample(sample: number): number {
  let value = sample;
  const sign = value < 0 ? 0x80 : 0;
  if (sign !== 0) value = -value;
  if (value > CLIP) value = CLIP;
  value += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeMuLawSample(code: number): number {
  const value = ~code & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = ((((value & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return (value & 0x80) !== 0 ? -magnitude : magnitude;
}

function encodeALawSample(sample: number): number {
  let value = sample >> 3;
  let mask: number;
  if (value >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    value = -value - 1;
  }
  // Segment end points of the 13-bit A-law magnitude.
  const ends = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
  let segment = 0;
  while (segment < 8 && value > ends[segment]) segment++;
  if (segment >= 8) return 0x7f ^ mask;
  const shift = segment < 2 ? 1 : segment;
  return (((segment << 4) | ((value >> shift) & 0x0f)) ^ mask) & 0xff;
}

function decodeALawSample(code: number): number {
  const value = code ^ 0x55;
  let magnitude = (value & 0x0f) << 4;
  const segment = (value & 0x70) >> 4;
  if (segment === 0) magnitude += 8;
  else if (segment === 1) magnitude += 0x108;
  else magnitude = (magnitude + 0x108) << (segment - 1);
  return (value & 0x80) !== 0 ? magnitude : -magnitude;
}

interface LawTables {
  readonly decode: Int16Array;
  readonly encode: Uint8Array;
}

const tables: Partial<Record<G711Law, LawTables>> = {};

function tablesOf(law: G711Law): LawTables {
  const cached = tables[law];
  if (cached !== undefined) return cached;
  const decodeOne = law === 'pcmu' ? decodeMuLawSample : decodeALawSample;
  const encodeOne = law === 'pcmu' ? encodeMuLawSample : encodeALawSample;
  const decode = new Int16Array(256);
  for (let code = 0; code < 256; code++) decode[code] = decodeOne(code);
  const encode = new Uint8Array(65536);
  for (let sample = -32768; sample < 32768; sample++) encode[sample & 0xffff] = encodeOne(sample);
  const built = { decode, encode };
  tables[law] = built;
  return built;
}

/** Decodes `codes` into `out` (16-bit linear PCM); returns the number of samples written. */
export function decodeG711(
  law: G711Law,
  codes: Uint8Array,
  out: Int16Array,
  outOffset = 0,
): number {
  const table = tablesOf(law).decode;
  const count = Math.min(codes.length, out.length - outOffset);
  for (let i = 0; i < count; i++) out[outOffset + i] = table[codes[i]];
  return count;
}

/** Encodes `count` samples of `pcm` from `offset` into `out`; returns the number of octets. */
export function encodeG711(
  law: G711Law,
  pcm: Int16Array,
  out: Uint8Array,
  offset = 0,
  count = pcm.length - offset,
): number {
  const table = tablesOf(law).encode;
  const n = Math.min(count, out.length);
  for (let i = 0; i < n; i++) out[i] = table[pcm[offset + i] & 0xffff];
  return n;
}

/** Converts µ-law octets to A-law or back in place (G.711 Appendix: through linear PCM). */
export function convertG711(from: G711Law, to: G711Law, codes: Uint8Array): void {
  if (from === to) return;
  const decode = tablesOf(from).decode;
  const encode = tablesOf(to).encode;
  for (let i = 0; i < codes.length; i++) codes[i] = encode[decode[codes[i]] & 0xffff];
}
