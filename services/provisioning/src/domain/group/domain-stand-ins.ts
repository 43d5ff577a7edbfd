// replace with @pbx/domain: libs/domain (profiles, parsePhoneNumber, parseTimeZone) was being
// written in parallel and exported nothing yet; these are the minimum the group aggregate needs.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** Licensed user profiles (T5): three fixed, two fixed-mobile (a mobile subscription plus a module). */
export type UserProfile =
  'base' | 'business' | 'premium' | 'fixed-mobile-business' | 'fixed-mobile-premium';

export const USER_PROFILES: readonly UserProfile[] = [
  'base',
  'business',
  'premium',
  'fixed-mobile-business',
  'fixed-mobile-premium',
];

/** T6: a PBX is licensed with at least this many user profiles. */
export const MINIMUM_USER_PROFILES = 2;

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Whether `value` is already in E.164 form (`+` and digits, nothing else) and a number that can
 * exist in its country's plan. Only the E.164 form is accepted so that one number has one spelling
 * and uniqueness checks compare strings.
 */
export function isE164Form(value: string): boolean {
  return E164.test(value);
}

export function isValidPhoneNumber(value: string): boolean {
  if (!E164.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.isValid() && parsed.number === value;
}

// Area/Location names and the bare UTC family; fixed offsets such as +01:00 are not zones (they
// ignore daylight saving time, which is exactly what business hours need).
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The IANA time zone named by `value` as the runtime's ICU knows it, with its case corrected, or
 * undefined. Aliases (Europe/Kiev) are kept as written: canonicalising them would depend on the
 * ICU version and make re-applying the same file report a change.
 */
export function parseTimeZone(value: string): string | undefined {
  if (!IANA_NAME.test(value)) return undefined;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === value.toLowerCase() ? resolved : value;
  } catch {
    return undefined;
  }
}
