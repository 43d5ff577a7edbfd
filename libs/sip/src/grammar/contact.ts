import { skipLws, parseDigits } from './char-classes';
import { fail, GrammarErrorCode, ok, type GrammarResult } from './grammar-result';
import { parseNameAddrAt, type NameAddr } from './name-addr';
import { findParam } from './parameters';
import { MAX_DELTA_SECONDS } from './scalar-headers';

export interface ContactAddress extends NameAddr {
  /** The "expires" contact parameter; null when absent or malformed (RFC 3261 10.3 says to treat
   * a malformed value as the default, which is the registrar's decision). */
  readonly expires: number | null;
  /** The "q" parameter in thousandths (q=0.33 → 330); null when absent. */
  readonly q: number | null;
}

export type ContactValue =
  { readonly wildcard: true } | { readonly wildcard: false; readonly contacts: ContactAddress[] };

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths or -1. */
export function parseQValue(v: string): number {
  if (v.length === 0 || v.length > 5) return -1;
  const whole = v.charCodeAt(0) - 48;
  if (whole !== 0 && whole !== 1) return -1;
  if (v.length === 1) return whole * 1000;
  if (v.charCodeAt(1) !== 46) return -1;
  let frac = 0;
  let scale = 100;
  for (let i = 2; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    frac += c * scale;
    scale /= 10;
  }
  if (whole === 1 && frac !== 0) return -1;
  return whole * 1000 + frac;
}

/** Contact = "*" / contact-param *(COMMA contact-param), values of all Contact fields joined. */
export function parseContact(s: string): GrammarResult<ContactValue> {
  const end = s.length;
  const first = skipLws(s, 0, end);
  if (first < end && s.charCodeAt(first) === 42 && skipLws(s, first + 1, end) === end) {
    return ok({ wildcard: true });
  }
  const contacts: ContactAddress[] = [];
  let i = 0;
  while (true) {
    const r = parseNameAddrAt(s, i, end);
    if (!r.ok) return r;
    const na = r.value.value;
    let q: number | null = null;
    let expires: number | null = null;
    const qp = findParam(na.params, 'q');
    if (qp !== undefined) {
      q = qp.value === null ? -1 : parseQValue(qp.value);
      if (q < 0) return fail(GrammarErrorCode.BadParameter, 'bad q value', i);
    }
    const ep = findParam(na.params, 'expires');
    if (ep !== undefined && ep.value !== null) {
      const v = ep.value;
      let allDigits = v.length > 0;
      for (let k = 0; k < v.length; k++)
        if (v.charCodeAt(k) < 48 || v.charCodeAt(k) > 57) allDigits = false;
      if (allDigits) {
        const n = parseDigits(v, 0, v.length, 10);
        expires = n < 0 || n > MAX_DELTA_SECONDS ? MAX_DELTA_SECONDS : n;
      }
    }
    contacts.push({ displayName: na.displayName, uri: na.uri, params: na.params, expires, q });
    i = r.value.end;
    if (i >= end) return ok({ wildcard: false, contacts });
    i++;
  }
}
