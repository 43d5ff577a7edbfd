import { isToken, isLws, skipLws, scanToken } from './char-classes';
import { readQuotedString } from './escapes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';
import { parseParams, type GenericParam } from './parameters';
import { parseUri, type Uri } from './uri';

/** name-addr or addr-spec with header parameters (From, To, Contact, Route, Refer-To...). */
export interface NameAddr {
  /** Unquoted display name; null when absent. */
  readonly displayName: string | null;
  readonly uri: Uri;
  /** Header parameters (after the URI), names lower-cased. */
  readonly params: GenericParam[];
}

export interface NameAddrParsed {
  readonly value: NameAddr;
  /** Offset of the "," ending this element, or end. */
  readonly end: number;
}

/**
 * Parses one `( name-addr / addr-spec ) *( SEMI param )` element from s[pos, end).
 * In the addr-spec form the URI ends at the first ";", "," or whitespace, and a "?" in it is
 * refused: RFC 3261 20.10 requires "<>" whenever the URI contains ",", "?" or ";" (RFC 4475
 * regbadct).
 */
export function parseNameAddrAt(
  s: string,
  pos: number,
  end: number,
): GrammarResult<NameAddrParsed> {
  let i = skipLws(s, pos, end);
  if (i >= end) return fail(GrammarErrorCode.Empty, 'empty address', i);
  let displayName: string | null = null;
  let c = s.charCodeAt(i);
  let angle = false;
  if (c === 34) {
    const q = readQuotedString(s, i, end);
    if (q === null) return fail(GrammarErrorCode.BadQuotedString, 'unterminated display name', i);
    displayName = q.value;
    i = skipLws(s, q.end, end);
    if (i >= end || s.charCodeAt(i) !== 60)
      return fail(GrammarErrorCode.BadNameAddr, 'expected "<" after display name', i);
    angle = true;
  } else if (c === 60) {
    angle = true;
  } else {
    // Either a token display name ("caller<sip:...>", RFC 4475 lwsdisp) or an addr-spec.
    const first = scanToken(s, i, end);
    if (first === i) return fail(GrammarErrorCode.BadNameAddr, 'invalid address', i);
    if (first < end && s.charCodeAt(first) === 58) {
      angle = false;
    } else {
      let j = first;
      let last = first;
      while (true) {
        j = skipLws(s, j, end);
        if (j < end && s.charCodeAt(j) === 60) break;
        const t = scanToken(s, j, end);
        if (t === j || j === last) {
          // RFC 4475 baddn: "Bell, Alexander <...>" is not a token display name.
          return fail(GrammarErrorCode.BadNameAddr, 'invalid display name', j);
        }
        last = t;
        j = t;
      }
      displayName = s.slice(i, last);
      i = j;
      angle = true;
    }
  }
  let uri: Uri;
  if (angle) {
    // LAQUOT = SWS "<" and RAQUOT = ">" SWS: no whitespace inside the brackets (RFC 4475 badaspec).
    const close = s.indexOf('>', i);
    if (close === -1 || close >= end) return fail(GrammarErrorCode.BadNameAddr, 'missing ">"', i);
    const u = parseUri(s, i + 1, close);
    if (!u.ok) return u;
    uri = u.value;
    i = close + 1;
  } else {
    let j = i;
    while (j < end) {
      c = s.charCodeAt(j);
      if (c === 59 || c === 44 || isLws(c)) break;
      if (c === 63)
        return fail(GrammarErrorCode.BadNameAddr, 'a URI with "?" must be enclosed in "<>"', j);
      j++;
    }
    const u = parseUri(s, i, j);
    if (!u.ok) return u;
    uri = u.value;
    i = j;
  }
  const p = parseParams(s, i, end);
  if (!p.ok) return p;
  return ok({ value: { displayName, uri, params: p.value.params }, end: p.value.end });
}

/** Parses a header value holding exactly one address (From, To, Refer-To...). */
export function parseNameAddr(s: string): GrammarResult<NameAddr> {
  const r = parseNameAddrAt(s, 0, s.length);
  if (!r.ok) return r;
  if (r.value.end !== s.length)
    return fail(GrammarErrorCode.TrailingCharacters, 'more than one address', r.value.end);
  return ok(r.value.value);
}

/** Parses a comma-separated list of addresses (Route, Record-Route, Path...). */
export function parseNameAddrList(s: string): GrammarResult<NameAddr[]> {
  const out: NameAddr[] = [];
  let i = 0;
  const end = s.length;
  while (true) {
    const r = parseNameAddrAt(s, i, end);
    if (!r.ok) return r;
    out.push(r.value.value);
    i = r.value.end;
    if (i >= end) return ok(out);
    i++; // the ","
  }
}

export { isToken };

/** The `tag` parameter of a From or To address (RFC 3261 19.3); undefined when absent. */
export function tagOf(address: Pick<NameAddr, 'params'>): string | undefined {
  for (const p of address.params) if (p.name === 'tag' && p.value !== null) return p.value;
  return undefined;
}
