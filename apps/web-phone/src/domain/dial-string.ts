export type DialParse =
  { readonly ok: true; readonly digits: string } | { readonly ok: false; readonly message: string };

/** Longest dial string accepted: E.164 is 15 digits; feature codes add a few around a number. */
export const MAX_DIAL_LENGTH = 32;

// Visual separators people paste with numbers: "020 - 123 45 00", "+31 (20) 123.4500".
const SEPARATORS = /[\s\-.()/\u00a0]/g;

/**
 * Normalises what the user typed or pasted into what the platform's dial plan takes: digits,
 * `*` and `#` (feature codes such as `*31*`), and `+` only in front. "+31 (0)20 ..." loses its
 * "(0)": that trunk prefix is written for humans and is never dialled after a country code.
 */
export function parseDialString(text: string): DialParse {
  let value = text.trim();
  if (value.startsWith('+')) value = value.replace(/^\+(\d{1,3})\s*\(0\)/, '+$1');
  value = value.replace(SEPARATORS, '');
  if (value === '') return { ok: false, message: 'Enter a number or an extension.' };
  const bad = /[^0-9*#+]/.exec(value);
  if (bad) {
    return {
      ok: false,
      message: `"${bad[0]}" cannot be dialled: use digits, and * or # for feature codes.`,
    };
  }
  if (value.lastIndexOf('+') > 0) {
    return { ok: false, message: 'A "+" belongs only in front of an international number.' };
  }
  if (value === '+') return { ok: false, message: 'Enter the number after the "+".' };
  if (value.length > MAX_DIAL_LENGTH) {
    return { ok: false, message: `A number has at most ${MAX_DIAL_LENGTH} characters.` };
  }
  return { ok: true, digits: value };
}

/**
 * The request URI for a dial string in the caller's own domain: the platform's dial plan reads
 * the user part. `#` is escaped because RFC 3261 does not allow it bare in a user part.
 */
export function dialUri(digits: string, domain: string): string {
  return `sip:${digits.replace(/#/g, '%23')}@${domain}`;
}

const TONE = /^[0-9*#A-D]$/;

/** Whether `key` is a DTMF tone (RFC 4733 events 0-15). */
export function isDtmfTone(key: string): boolean {
  return TONE.test(key);
}
