import { MIN_USER_PROFILES_PER_PBX, parsePhoneNumber, PROFILES, type Profile } from '@pbx/domain';

/** Licensed user profiles (T5), from the platform's feature matrix. */
export type UserProfile = Profile;
export const USER_PROFILES: readonly UserProfile[] = PROFILES;

/** T6: a PBX is licensed with at least this many user profiles. */
export const MINIMUM_USER_PROFILES = MIN_USER_PROFILES_PER_PBX;

const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * Whether `value` is already in E.164 form (`+` and digits, nothing else). Only that form is
 * accepted so that one number has one spelling and uniqueness checks compare strings.
 */
export function isE164Form(value: string): boolean {
  return E164.test(value);
}

/**
 * The ISO 3166-1 alpha-2 country of a valid E.164 number (`NL` for +31...), in which a group's
 * dial plan reads nationally dialled numbers; undefined for non-geographic numbers (+800...).
 */
export function countryOfNumber(e164: string): string | undefined {
  const parsed = parsePhoneNumber(e164);
  return parsed.ok ? parsed.value.countryCode : undefined;
}

export function isValidPhoneNumber(value: string): boolean {
  if (!E164.test(value)) return false;
  const parsed = parsePhoneNumber(value);
  return parsed.ok && parsed.value.e164 === value;
}

// Area/Location names and the bare UTC family; fixed offsets such as +01:00 are not zones (they
// ignore daylight saving time, which is exactly what business hours need).
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/**
 * The IANA time zone named by `value` as the runtime's ICU knows it, with its case corrected, or
 * undefined. Unlike @pbx/domain's parseTimeZone this keeps aliases (Europe/Kiev) as written: a
 * config file must re-apply to no change whatever ICU version canonicalises them to.
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
