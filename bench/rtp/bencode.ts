/**
 * Bencode (the BitTorrent encoding) as rtpengine's ng control protocol uses it: byte strings,
 * integers, lists and dictionaries. Strings decode as UTF-8 text, which is all ng replies hold.
 */
export type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

export function bencode(value: Bencoded): Buffer {
  const parts: Buffer[] = [];
  const write = (v: Bencoded): void => {
    if (typeof v === 'string') {
      const bytes = Buffer.from(v, 'utf8');
      parts.push(Buffer.from(`${bytes.length}:`), bytes);
    } else if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new TypeError(`bencode has integers only, not ${v}`);
      parts.push(Buffer.from(`i${v}e`));
    } else if (Array.isArray(v)) {
      parts.push(Buffer.from('l'));
      v.forEach(write);
      parts.push(Buffer.from('e'));
    } else {
      parts.push(Buffer.from('d'));
      for (const key of Object.keys(v).sort()) {
        write(key);
        write(v[key]);
      }
      parts.push(Buffer.from('e'));
    }
  };
  write(value);
  return Buffer.concat(parts);
}

export function bdecode(data: Buffer): Bencoded {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`bencode: ${what} at offset ${at}`);
  };
  const read = (): Bencoded => {
    const c = data[at];
    if (c === undefined) return fail('unexpected end');
    if (c === 0x69 /* i */) {
      const end = data.indexOf(0x65, at);
      if (end < 0) fail('unterminated integer');
      const n = Number(data.toString('latin1', at + 1, end));
      if (!Number.isInteger(n)) fail('bad integer');
      at = end + 1;
      return n;
    }
    if (c === 0x6c /* l */ || c === 0x64 /* d */) {
      at++;
      const list: Bencoded[] = [];
      while (data[at] !== 0x65) list.push(read());
      at++;
      if (c === 0x6c) return list;
      const dict: { [key: string]: Bencoded } = {};
      for (let i = 0; i + 1 < list.length; i += 2) dict[String(list[i])] = list[i + 1];
      return dict;
    }
    const colon = data.indexOf(0x3a, at);
    const length = Number(data.toString('latin1', at, colon));
    if (colon < 0 || !Number.isInteger(length) || length < 0) fail('bad string length');
    const text = data.toString('utf8', colon + 1, colon + 1 + length);
    at = colon + 1 + length;
    if (at > data.length) fail('string past the end');
    return text;
  };
  const value = read();
  if (at !== data.length) fail('trailing bytes');
  return value;
}
