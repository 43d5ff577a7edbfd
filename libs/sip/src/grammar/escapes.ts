import { isHexDigit } from './char-classes';

function hexValue(c: number): number {
  if (c <= 57) return c - 48;
  if (c <= 70) return c - 55;
  return c - 87;
}

/**
 * Decodes RFC 3986 "%xx" escapes in s[start, end). Returns null when an escape is malformed.
 * Decoded octets are read as UTF-8, and as Latin-1 where they are not valid UTF-8, so that
 * "%00" (RFC 4475 escnull) survives as U+0000.
 */
export function unescapePercent(s: string, start: number, end: number): string | null {
  const pct = s.indexOf('%', start);
  if (pct === -1 || pct >= end) return s.slice(start, end);
  const bytes: number[] = [];
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 >= end) return null;
      const h = s.charCodeAt(i + 1);
      const l = s.charCodeAt(i + 2);
      if (!isHexDigit(h) || !isHexDigit(l)) return null;
      bytes.push(hexValue(h) * 16 + hexValue(l));
      i += 2;
    } else if (c < 128) {
      bytes.push(c);
    } else {
      return null;
    }
  }
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  return text.includes('\ufffd') ? buf.toString('latin1') : text;
}

/**
 * Reads a quoted-string starting at the DQUOTE at s[pos]. Returns the unescaped content and the
 * offset after the closing DQUOTE, or null when it is unterminated (RFC 4475 quotbal).
 */
export function readQuotedString(
  s: string,
  pos: number,
  end: number,
): { value: string; end: number } | null {
  let i = pos + 1;
  let out = '';
  let runStart = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34) {
      out += s.slice(runStart, i);
      return { value: out, end: i + 1 };
    }
    if (c === 92) {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (i + 1 >= end) return null;
      const n = s.charCodeAt(i + 1);
      if (n === 10 || n === 13 || n > 127) return null;
      out += s.slice(runStart, i) + s[i + 1];
      i += 2;
      runStart = i;
      continue;
    }
    if (c === 10 || c === 13) return null;
    i++;
  }
  return null;
}

/** RFC 3261 25.1 quoted-string: `"` and backslash escaped as quoted-pairs; the caller checks for CTLs. */
export function writeQuotedString(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
