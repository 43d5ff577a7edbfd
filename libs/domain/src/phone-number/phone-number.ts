import {
  parsePhoneNumberWithError,
  ParseError,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber as LibPhoneNumber,
  type PhoneNumberType,
} from 'libphonenumber-js/max';
import { ok, quoteInput, type Err, type Ok } from '../result';

export type { CountryCode, PhoneNumberType };

/** A phone number in E.164 form: `+` and at most 15 digits (`+31201234500`). */
export type E164 = string & { readonly __brand: 'E164' };

/**
 * A valid phone number, normalised to E.164. Validity and type come from libphonenumber's full
 * ("max") metadata, which knows the number ranges in use, not only their lengths.
 */
export interface PhoneNumber {
  readonly e164: E164;
  /** ISO 3166-1 alpha-2 (`NL`); undefined for non-geographic numbers such as `+800`. */
  readonly countryCode: CountryCode | undefined;
  /** The country calling code without `+` (`31`). */
  readonly callingCode: string;
  /** The significant national number, without trunk prefix (`201234500`). */
  readonly nationalNumber: string;
  /** FIXED_LINE, MOBILE, VOIP, TOLL_FREE...; undefined if the metadata does not say. */
  readonly type: PhoneNumberType | undefined;
}

export type PhoneNumberErrorReason =
  | 'INPUT_TOO_LONG'
  | 'NOT_A_NUMBER'
  | 'NO_COUNTRY_CODE'
  | 'INVALID_COUNTRY'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'INVALID_LENGTH'
  | 'HAS_EXTENSION'
  | 'NOT_IN_NUMBERING_PLAN';

/** A failed parse: a message for people and a reason for code. */
export interface PhoneNumberError extends Err<string> {
  readonly reason: PhoneNumberErrorReason;
}

export type PhoneNumberResult = Ok<PhoneNumber> | PhoneNumberError;

/** Longest input looked at; anything longer is refused before parsing. */
export const MAX_PHONE_NUMBER_INPUT = 50;

/** E.164 allows at most 15 digits after the `+`. */
const MAX_E164_DIGITS = 15;

/**
 * Reads a phone number written internationally (`+31 20-123 4500`) or, with a default country,
 * nationally (`020 123 4500`). Spaces, dashes, dots and brackets are tolerated; any other text
 * around the number is not.
 */
export function parsePhoneNumber(text: string, defaultCountry?: CountryCode): PhoneNumberResult {
  if (text.length > MAX_PHONE_NUMBER_INPUT) {
    return failure(
      'INPUT_TOO_LONG',
      `phone number input is too long (${text.length} characters, at most ${MAX_PHONE_NUMBER_INPUT})`,
    );
  }
  let parsed: LibPhoneNumber;
  try {
    parsed = parsePhoneNumberWithError(text, { defaultCountry, extract: false });
  } catch (error: unknown) {
    if (!(error instanceof ParseError)) throw error;
    return invalid(text, reasonOfParseError(text, error, defaultCountry));
  }
  if (parsed.ext !== undefined) return invalid(text, 'HAS_EXTENSION');
  if (!parsed.isValid()) return invalid(text, reasonOfInvalid(parsed));
  return ok(fromLibrary(parsed));
}

/** Two numbers are the same number when their E.164 forms are equal. */
export function samePhoneNumber(a: PhoneNumber, b: PhoneNumber): boolean {
  return a.e164 === b.e164;
}

function fromLibrary(parsed: LibPhoneNumber): PhoneNumber {
  return Object.freeze({
    e164: parsed.number as E164,
    countryCode: parsed.country,
    callingCode: parsed.countryCallingCode,
    nationalNumber: parsed.nationalNumber,
    type: parsed.getType(),
  });
}

const REASON_TEXT: { readonly [R in PhoneNumberErrorReason]: string } = {
  INPUT_TOO_LONG: 'input too long',
  NOT_A_NUMBER: 'not a number',
  NO_COUNTRY_CODE: 'no country calling code (write it as +<country code><number>)',
  INVALID_COUNTRY: 'invalid country calling code',
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'invalid length',
  HAS_EXTENSION: 'extensions are not part of an E.164 number',
  NOT_IN_NUMBERING_PLAN: 'not a number in use in its numbering plan',
};

function invalid(text: string, reason: PhoneNumberErrorReason): PhoneNumberError {
  return failure(reason, `${quoteInput(text)} is not a valid phone number: ${REASON_TEXT[reason]}`);
}

function failure(reason: PhoneNumberErrorReason, error: string): PhoneNumberError {
  return { ok: false, error, reason };
}

function reasonOfParseError(
  text: string,
  error: ParseError,
  defaultCountry: CountryCode | undefined,
): PhoneNumberErrorReason {
  switch (error.message) {
    case 'INVALID_COUNTRY':
      // Without a leading + and without a default country, the country is missing, not wrong.
      return defaultCountry === undefined && !text.trimStart().startsWith('+')
        ? 'NO_COUNTRY_CODE'
        : 'INVALID_COUNTRY';
    case 'TOO_SHORT':
      return 'TOO_SHORT';
    case 'TOO_LONG':
      return 'TOO_LONG';
    case 'INVALID_LENGTH':
      return 'INVALID_LENGTH';
    default:
      return 'NOT_A_NUMBER';
  }
}

/**
 * Why a well-formed number is not valid. The metadata's possible lengths are per country, not per
 * range (NL allows 5 digits for 14xxx numbers), so a truncated `+3120123` passes the length check;
 * it is reported too short when padding it with digits reaches a valid number, too long when
 * cutting digits does.
 */
function reasonOfInvalid(parsed: LibPhoneNumber): PhoneNumberErrorReason {
  const byLength = validatePhoneNumberLength(parsed.number);
  if (byLength === 'TOO_SHORT' || byLength === 'TOO_LONG' || byLength === 'INVALID_LENGTH') {
    return byLength;
  }
  const digits = parsed.number.slice(1);
  for (let length = digits.length + 1; length <= MAX_E164_DIGITS; length++) {
    if (isValidE164(`+${digits.padEnd(length, '0')}`)) return 'TOO_SHORT';
  }
  for (let length = digits.length - 1; length > parsed.countryCallingCode.length; length--) {
    if (isValidE164(`+${digits.slice(0, length)}`)) return 'TOO_LONG';
  }
  return 'NOT_IN_NUMBERING_PLAN';
}

function isValidE164(candidate: string): boolean {
  try {
    return parsePhoneNumberWithError(candidate, { extract: false }).isValid();
  } catch {
    return false;
  }
}
