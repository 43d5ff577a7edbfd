import { isClass, CharClass, isToken, skipLws, scanToken } from './char-classes';
import { readQuotedString } from './escapes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';

/** A generic-param (RFC 3261 section 25.1): the name lower-cased, the value unquoted. */
export interface GenericParam {
  readonly name: string;
  /** null for a parameter without "=value" (`;lr`, `;rport`). */
  readonly value: string | null;
}

export interface ParamsParsed {
  readonly params: GenericParam[];
  /** Offset of the first character after the last parameter (a "," or the end). */
  readonly end: number;
}

/** Finds a parameter by (case-insensitive, already lower-cased) name. */
export function findParam(params: readonly GenericParam[], name: string): GenericParam | undefined {
  for (let i = 0; i < params.length; i++) if (params[i].name === name) return params[i];
  return undefined;
}

/** The value of a parameter; undefined when absent, null when present without a value. */
export function paramValue(
  params: readonly GenericParam[],
  name: string,
): string | null | undefined {
  const p = findParam(params, name);
  return p === undefined ? undefined : p.value;
}

/**
 * Parses `*( SEMI generic-param )` from s[pos, end), with SWS around ";" and "=" (RFC 4475 wsinv
 * folds inside them). gen-value = token / host / quoted-string. Stops before a "," or at end;
 * anything else is an error.
 */
export function parseParams(s: string, pos: number, end: number): GrammarResult<ParamsParsed> {
  const params: GenericParam[] = [];
  let i = skipLws(s, pos, end);
  while (i < end && s.charCodeAt(i) === 59) {
    i = skipLws(s, i + 1, end);
    const nameEnd = scanToken(s, i, end);
    if (nameEnd === i) {
      return fail(GrammarErrorCode.BadParameter, 'empty parameter name', i);
    }
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipLws(s, nameEnd, end);
    let value: string | null = null;
    if (i < end && s.charCodeAt(i) === 61) {
      i = skipLws(s, i + 1, end);
      const c = s.charCodeAt(i);
      if (c === 34) {
        const q = readQuotedString(s, i, end);
        if (q === null)
          return fail(GrammarErrorCode.BadQuotedString, 'unterminated quoted parameter', i);
        value = q.value;
        i = q.end;
      } else if (c === 91) {
        const close = s.indexOf(']', i);
        if (close === -1 || close >= end) {
          return fail(GrammarErrorCode.BadParameter, 'unterminated IPv6 reference', i);
        }
        value = s.slice(i, close + 1);
        i = close + 1;
      } else {
        const vEnd = scanToken(s, i, end);
        if (vEnd === i) return fail(GrammarErrorCode.BadParameter, `empty value for "${name}"`, i);
        value = s.slice(i, vEnd);
        i = vEnd;
      }
      i = skipLws(s, i, end);
    }
    params.push({ name, value });
  }
  if (i < end && s.charCodeAt(i) !== 44) {
    return fail(GrammarErrorCode.TrailingCharacters, 'unexpected character after parameters', i);
  }
  return ok({ params, end: i });
}

/**
 * Parses a whole string of parameters like `;tag=1;expires=60` (the generic parameter parser of
 * the public API). Trailing commas are refused here.
 */
export function parseParameterList(s: string): GrammarResult<GenericParam[]> {
  const r = parseParams(s, 0, s.length);
  if (!r.ok) return r;
  if (r.value.end !== s.length) {
    return fail(
      GrammarErrorCode.TrailingCharacters,
      'unexpected "," after parameters',
      r.value.end,
    );
  }
  return ok(r.value.params);
}

/** True when s is a valid uri-parameter character run (paramchar = unreserved / escaped / ...). */
export function isParamChar(code: number): boolean {
  return code === 37 || isClass(code, CharClass.PARAM);
}

export { isToken };
