/**
 * Character classes of RFC 3261 section 25.1 as bit flags over ASCII, so that each check is one
 * array load instead of a regular expression (the parsers run once per header per message).
 */
const TOKEN = 1;
const UNRESERVED = 2;
const USER_EXTRA = 4;
const PASSWORD_EXTRA = 8;
const PARAM_EXTRA = 16;
const HEADER_EXTRA = 32;
const WORD = 64;
const HOST = 128;

const table = new Uint8Array(128);

function mark(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] |= flag;
}

const ALPHANUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
mark(ALPHANUM, TOKEN | UNRESERVED | WORD | HOST);
mark("-.!%*_+`'~", TOKEN | WORD);
mark("-_.!~*'()", UNRESERVED);
mark('&=+$,;?/', USER_EXTRA);
mark('&=+$,', PASSWORD_EXTRA);
mark('[]/:&+$', PARAM_EXTRA);
mark('[]/?:+$', HEADER_EXTRA);
mark('()<>:\\"/[]?{}', WORD);
mark('-.', HOST);

const USER = UNRESERVED | USER_EXTRA;
const PASSWORD = UNRESERVED | PASSWORD_EXTRA;
const PARAM = UNRESERVED | PARAM_EXTRA;
const HVALUE = UNRESERVED | HEADER_EXTRA;

export const CharClass = { TOKEN, WORD, HOST, USER, PASSWORD, PARAM, HVALUE } as const;

export function isClass(code: number, flags: number): boolean {
  return code < 128 && (table[code] & flags) !== 0;
}

export function isToken(code: number): boolean {
  return code < 128 && (table[code] & TOKEN) !== 0;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isHexDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

export function isLws(code: number): boolean {
  return code === 32 || code === 9 || code === 13 || code === 10;
}

/** Skips SP/HTAB (and CR LF, which only survive in unfolded header values by mistake). */
export function skipLws(s: string, pos: number, end: number): number {
  while (pos < end && isLws(s.charCodeAt(pos))) pos++;
  return pos;
}

/** Reads a run of token characters; returns the end offset (== pos when none). */
export function scanToken(s: string, pos: number, end: number): number {
  while (pos < end && isToken(s.charCodeAt(pos))) pos++;
  return pos;
}

/** True when every character of s[start, end) is a token character and the run is not empty. */
export function isTokenString(s: string, start = 0, end = s.length): boolean {
  if (start >= end) return false;
  return scanToken(s, start, end) === end;
}

/**
 * Parses a decimal number of at most maxDigits digits from s[start, end) (whole range).
 * Returns -1 for an empty, non-numeric or too long input, so that huge values never reach
 * floating point.
 */
export function parseDigits(s: string, start: number, end: number, maxDigits: number): number {
  // Leading zeros ("0068" in RFC 4475 wsinv) do not count against the bound.
  while (start < end - 1 && s.charCodeAt(start) === 48) start++;
  if (start >= end || end - start > maxDigits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}
