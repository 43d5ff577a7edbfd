/** How the caller asked for their identity on this one call (U2 access codes). */
export type PresentationRequest = 'default' | 'restrict' | 'present';

export type DialedNumber =
  | { readonly ok: true; readonly digits: string; readonly presentation: PresentationRequest }
  | { readonly ok: false; readonly reason: 'empty' | 'invalid' };

/** Visual separators a phone or a user may put in a dialed string (RFC 3966 section 5.1.1). */
const SEPARATORS = /[\s\-.()/]/g;
const DIALABLE = /^\+?[0-9]{1,32}$/;
const MAX_DIALED = 64;

/**
 * Reads what a caller dialed: visual separators are dropped, then a per-call presentation prefix
 * is taken off. `*31*<number>` and its common alias `#31#<number>` withhold the caller id for this
 * call (the GSM MMI code for "CLIR for this call" is `#31#`, many PBXs use `*31*`); `*31#<number>`
 * presents it for this call even if the user withholds it by default (GSM's "suppress CLIR").
 * What remains must be digits with an optional leading `+`.
 */
export function parseDialed(text: string): DialedNumber {
  if (text.length > MAX_DIALED) return { ok: false, reason: 'invalid' };
  let digits = text.replace(SEPARATORS, '');
  let presentation: PresentationRequest = 'default';
  const prefix = digits.slice(0, 4);
  if (prefix === '*31*' || prefix === '#31#') {
    presentation = 'restrict';
    digits = digits.slice(4);
  } else if (prefix === '*31#') {
    presentation = 'present';
    digits = digits.slice(4);
  }
  if (digits.length === 0 || digits === '+') return { ok: false, reason: 'empty' };
  if (!DIALABLE.test(digits)) return { ok: false, reason: 'invalid' };
  return { ok: true, digits, presentation };
}

/** What kind of destination a dialed string is, before any lookup. */
export type DialedKind =
  /** `+31...` */
  | 'international'
  /** `00...`: the international access code, to be read as `+`. */
  | 'international-access'
  /** `0...`: a national number in the caller's country. */
  | 'national'
  /** Anything else: an extension of the caller's group. */
  | 'extension';

export function dialedKind(digits: string): DialedKind {
  if (digits.startsWith('+')) return 'international';
  if (digits.startsWith('00')) return 'international-access';
  if (digits.startsWith('0')) return 'national';
  return 'extension';
}
