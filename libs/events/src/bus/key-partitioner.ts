const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * The partition a key lands in for the in-process bus: FNV-1a over the key's UTF-8 bytes.
 * Stable across runs, so a stream's events always share one partition and keep their order.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(key)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash % partitionCount;
}
