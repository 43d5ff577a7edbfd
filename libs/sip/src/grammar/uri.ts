import { CharClass, isClass, isDigit, isHexDigit, parseDigits } from './char-classes';
import { unescapePercent } from './escapes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';
import type { GenericParam } from './parameters';

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  /** Unescaped user part (RFC 4475 esc01: "sips%3Auser%40example.com" → "sips:user@example.com"). */
  readonly user: string | null;
  readonly password: string | null;
  /** Host as written; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly port: number | null;
  /** uri-parameters, names lower-cased and both sides unescaped. */
  readonly params: GenericParam[];
  /** `?name=value&...` headers, unescaped. */
  readonly headers: { readonly name: string; readonly value: string }[];
}

export interface TelUri {
  readonly scheme: 'tel';
  readonly number: string;
  readonly params: GenericParam[];
}

/** Any other absolute URI: kept opaque so that the caller can answer 416 (RFC 3261 8.2.2.1). */
export interface OtherUri {
  readonly scheme: string;
  readonly opaque: string;
}

export type Uri = SipUri | TelUri | OtherUri;

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Parses an absolute URI in s[start, end) (the whole range, no surrounding whitespace). */
export function parseUri(s: string, start = 0, end = s.length): GrammarResult<Uri> {
  if (start >= end) return fail(GrammarErrorCode.Empty, 'empty URI', start);
  if (!isAlpha(s.charCodeAt(start)))
    return fail(GrammarErrorCode.BadUri, 'URI must start with a scheme', start);
  let i = start + 1;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (isAlpha(c) || isDigit(c) || c === 43 || c === 45 || c === 46) i++;
    else break;
  }
  if (i >= end || s.charCodeAt(i) !== 58)
    return fail(GrammarErrorCode.BadUri, 'missing ":" after scheme', i);
  const scheme = s.slice(start, i).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUriBody(s, i + 1, end, scheme);
  if (scheme === 'tel') return parseTelUriBody(s, i + 1, end);
  for (let j = i + 1; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) {
      return fail(GrammarErrorCode.BadUri, 'invalid character in URI', j);
    }
  }
  if (i + 1 >= end) return fail(GrammarErrorCode.BadUri, 'empty URI body', i + 1);
  return ok({ scheme, opaque: s.slice(i + 1, end) });
}

function checkRun(s: string, start: number, end: number, flags: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 37 && !isClass(c, flags)) return i;
  }
  return -1;
}

/** Parses host [":" port] in s[start, end); returns [host, port, offset after]. */
export function parseHostPort(
  s: string,
  start: number,
  end: number,
): GrammarResult<{ host: string; port: number | null; end: number }> {
  let i = start;
  if (i < end && s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close === -1 || close >= end || close === i + 1) {
      return fail(GrammarErrorCode.BadHost, 'bad IPv6 reference', i);
    }
    for (let j = i + 1; j < close; j++) {
      const c = s.charCodeAt(j);
      if (!isHexDigit(c) && c !== 58 && c !== 46)
        return fail(GrammarErrorCode.BadHost, 'bad IPv6 reference', j);
    }
    i = close + 1;
  } else {
    while (i < end && isClass(s.charCodeAt(i), CharClass.HOST)) i++;
    if (i === start) return fail(GrammarErrorCode.BadHost, 'empty host', i);
  }
  const host = s.slice(start, i);
  let port: number | null = null;
  if (i < end && s.charCodeAt(i) === 58) {
    let j = i + 1;
    while (j < end && isDigit(s.charCodeAt(j))) j++;
    port = parseDigits(s, i + 1, j, 5);
    if (port < 0 || port > 65535) return fail(GrammarErrorCode.BadPort, 'bad port', i + 1);
    i = j;
  }
  return ok({ host, port, end: i });
}

function parseUriParams(
  s: string,
  i: number,
  end: number,
  params: GenericParam[],
): GrammarResult<number> {
  while (i < end && s.charCodeAt(i) === 59) {
    const nameStart = i + 1;
    let j = nameStart;
    let eq = -1;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === 59 || c === 63) break;
      if (c === 61 && eq === -1) eq = j;
      else if (c !== 37 && !isClass(c, CharClass.PARAM)) {
        return fail(GrammarErrorCode.BadParameter, 'invalid character in URI parameter', j);
      }
      j++;
    }
    const nameEnd = eq === -1 ? j : eq;
    if (nameEnd === nameStart)
      return fail(GrammarErrorCode.BadParameter, 'empty URI parameter name', nameStart);
    const name = unescapePercent(s, nameStart, nameEnd);
    const value = eq === -1 ? null : unescapePercent(s, eq + 1, j);
    if (name === null || (eq !== -1 && (value === null || eq + 1 === j))) {
      return fail(GrammarErrorCode.BadParameter, 'bad URI parameter', nameStart);
    }
    params.push({ name: name.toLowerCase(), value });
    i = j;
  }
  return ok(i);
}

function parseSipUriBody(
  s: string,
  start: number,
  end: number,
  scheme: 'sip' | 'sips',
): GrammarResult<Uri> {
  let user: string | null = null;
  let password: string | null = null;
  let i = start;
  // No character allowed after the host (params, headers) is "@", so the first "@" ends the
  // userinfo even when the user contains ";" or "?" (RFC 4475 semiuri, intmeth).
  const at = s.indexOf('@', start);
  if (at !== -1 && at < end) {
    let colon = s.indexOf(':', start);
    if (colon === -1 || colon > at) colon = at;
    const badUser = checkRun(s, start, colon, CharClass.USER);
    if (badUser !== -1 || colon === start)
      return fail(GrammarErrorCode.BadUri, 'invalid user', badUser === -1 ? start : badUser);
    user = unescapePercent(s, start, colon);
    if (user === null) return fail(GrammarErrorCode.BadEscape, 'bad escape in user', start);
    if (colon < at) {
      const badPw = checkRun(s, colon + 1, at, CharClass.PASSWORD);
      if (badPw !== -1) return fail(GrammarErrorCode.BadUri, 'invalid password', badPw);
      password = unescapePercent(s, colon + 1, at);
      if (password === null)
        return fail(GrammarErrorCode.BadEscape, 'bad escape in password', colon + 1);
    }
    i = at + 1;
  }
  const hp = parseHostPort(s, i, end);
  if (!hp.ok) return hp;
  i = hp.value.end;
  const params: GenericParam[] = [];
  const pr = parseUriParams(s, i, end, params);
  if (!pr.ok) return pr;
  i = pr.value;
  const headers: { name: string; value: string }[] = [];
  if (i < end && s.charCodeAt(i) === 63) {
    i++;
    while (true) {
      let j = i;
      let eq = -1;
      while (j < end && s.charCodeAt(j) !== 38) {
        const c = s.charCodeAt(j);
        if (c === 61 && eq === -1) eq = j;
        else if (c !== 37 && !isClass(c, CharClass.HVALUE)) {
          return fail(GrammarErrorCode.BadUri, 'invalid character in URI header', j);
        }
        j++;
      }
      if (eq === -1 || eq === i)
        return fail(GrammarErrorCode.BadUri, 'URI header needs name=value', i);
      const name = unescapePercent(s, i, eq);
      const value = unescapePercent(s, eq + 1, j);
      if (name === null || value === null)
        return fail(GrammarErrorCode.BadEscape, 'bad escape in URI header', i);
      headers.push({ name, value });
      if (j >= end) break;
      i = j + 1;
    }
    i = end;
  }
  if (i !== end)
    return fail(GrammarErrorCode.TrailingCharacters, 'unexpected character in SIP URI', i);
  return ok({ scheme, user, password, host: hp.value.host, port: hp.value.port, params, headers });
}

function isPhoneChar(c: number): boolean {
  // RFC 3966 global/local numbers with visual separators and DTMF digits.
  return (
    isHexDigit(c) ||
    c === 42 ||
    c === 35 ||
    c === 43 ||
    c === 45 ||
    c === 46 ||
    c === 40 ||
    c === 41 ||
    c === 112 ||
    c === 119 ||
    c === 80 ||
    c === 87
  );
}

function parseTelUriBody(s: string, start: number, end: number): GrammarResult<Uri> {
  let i = start;
  while (i < end && isPhoneChar(s.charCodeAt(i))) i++;
  if (i === start) return fail(GrammarErrorCode.BadUri, 'empty telephone number', start);
  const number = s.slice(start, i);
  const params: GenericParam[] = [];
  const pr = parseUriParams(s, i, end, params);
  if (!pr.ok) return pr;
  if (pr.value !== end)
    return fail(GrammarErrorCode.TrailingCharacters, 'unexpected character in tel URI', pr.value);
  return ok({ scheme: 'tel', number, params });
}
