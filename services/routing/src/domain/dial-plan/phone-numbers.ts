import { parsePhoneNumber, type CountryCode } from '@pbx/domain';
import { dialedKind } from './dialed-number';

export type E164Result =
  | { readonly ok: true; readonly e164: string }
  | { readonly ok: false; readonly incomplete: boolean; readonly message: string };

const E164_SHAPE = /^\+[1-9][0-9]{5,14}$/;

/**
 * A dialed number (`+31...`, `0031...`, `020...`) as E.164, validated against the numbering plan.
 * A national number needs the caller's country; `incomplete` says the number is too short (SIP
 * answers 484 Address Incomplete, RFC 3261 section 21.4.22).
 */
export function toE164(digits: string, country: CountryCode | undefined): E164Result {
  const kind = dialedKind(digits);
  let international: string;
  if (kind === 'international') international = digits;
  else if (kind === 'international-access') international = `+${digits.slice(2)}`;
  else if (kind === 'national') {
    if (!country) {
      return {
        ok: false,
        incomplete: false,
        message: `${digits} is a national number and the caller's group has no country (no main number)`,
      };
    }
    const parsed = parsePhoneNumber(digits, country);
    return parsed.ok
      ? { ok: true, e164: parsed.value.e164 }
      : { ok: false, incomplete: parsed.reason === 'TOO_SHORT', message: parsed.error };
  } else {
    return { ok: false, incomplete: false, message: `${digits} is not a phone number` };
  }
  const parsed = parsePhoneNumber(international);
  return parsed.ok
    ? { ok: true, e164: parsed.value.e164 }
    : { ok: false, incomplete: parsed.reason === 'TOO_SHORT', message: parsed.error };
}

/**
 * The E.164 form of a number a carrier sent (a DID in the Request-URI or the caller in From):
 * `+31...`, `0031...`, national `020...` (with the trunk's country), or international without
 * `+` (`31201234567`), which carriers often send. Not validated against the numbering plan: a
 * DID is only looked up, a caller's number only shown. Undefined when it cannot be one.
 */
export function carrierNumberToE164(
  digits: string,
  country: CountryCode | undefined,
): string | undefined {
  const kind = dialedKind(digits);
  if (kind === 'international') return E164_SHAPE.test(digits) ? digits : undefined;
  if (kind === 'international-access') {
    const candidate = `+${digits.slice(2)}`;
    return E164_SHAPE.test(candidate) ? candidate : undefined;
  }
  if (kind === 'national') {
    if (!country) return undefined;
    const parsed = parsePhoneNumber(digits, country);
    return parsed.ok ? parsed.value.e164 : undefined;
  }
  const candidate = `+${digits}`;
  return E164_SHAPE.test(candidate) ? candidate : undefined;
}

/** Whether `text` looks like an E.164 number (a cheap check before a map lookup). */
export function looksLikeE164(text: string): boolean {
  return E164_SHAPE.test(text);
}
