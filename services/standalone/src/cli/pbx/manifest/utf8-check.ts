/**
 * The offset of the first byte that starts an ill-formed UTF-8 sequence (Unicode 15, table 3-7:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or -1 when all of `bytes` is
 * well-formed. Agrees with `new TextDecoder('utf-8', { fatal: true })`, which says only that the
 * input is bad, not where.
 */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index];
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0 || index + length > bytes.length) return index;
    // The second byte's range depends on the lead byte; that is what excludes overlong forms,
    // surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..).
    const [low, high] = secondByteRange(lead);
    if (bytes[index + 1] < low || bytes[index + 1] > high) return index;
    for (let next = index + 2; next < index + length; next += 1) {
      if (!isContinuation(bytes[next])) return index;
    }
    index += length;
  }
  return -1;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function secondByteRange(lead: number): readonly [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function isContinuation(byte: number): boolean {
  return byte >= 0x80 && byte <= 0xbf;
}

/** The 1-based line of a byte offset: one more than the line feeds before it. */
export function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < bytes.length; index += 1) {
    if (bytes[index] === 0x0a) line += 1;
  }
  return line;
}
