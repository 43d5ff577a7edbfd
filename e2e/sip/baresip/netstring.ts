/** Netstrings (D. J. Bernstein), the framing of baresip's ctrl_tcp: `<length>:<bytes>,`. */
export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]);
}

/** Splits a byte stream into netstrings; keeps an incomplete tail for the next chunk. */
export class NetstringReader {
  private buffer = Buffer.alloc(0);

  /** The complete payloads `chunk` finishes; throws on bytes that are not a netstring. */
  push(chunk: Buffer): string[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const payloads: string[] = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 10) throw new Error('netstring length prefix too long');
        return payloads;
      }
      const prefix = this.buffer.subarray(0, colon).toString('ascii');
      if (!/^\d{1,9}$/.test(prefix)) throw new Error(`bad netstring length "${prefix}"`);
      const length = Number(prefix);
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return payloads;
      if (this.buffer[end] !== 0x2c) throw new Error('netstring not terminated by ","');
      payloads.push(this.buffer.subarray(colon + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 1);
    }
  }
}
