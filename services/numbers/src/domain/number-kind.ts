import { parsePhoneNumberFromString, type PhoneNumberType } from 'libphonenumber-js/max';
import { countryCapabilities } from './country-table';
import { NumbersError, NumbersErrorCode } from './numbers.error';

/**
 * The kinds of number the platform sells (section 8):
 * - `nl-regional`: Dutch geographic numbers (010, 020, 0AB...), N1;
 * - `nl-085`, `nl-088`: Dutch national (non-geographic) numbers, N2 and N3;
 * - `international-geographic`, `international-national`: numbers of the countries in the
 *   coverage table, N5. Geographic means a fixed-line number with an area code; national means a
 *   nationwide non-geographic number (VoIP, UAN, personal numbers such as Austria's 0720), or a
 *   fixed-line number in a plan without area codes (Denmark, see the country table).
 * Mobile, toll-free, premium-rate and other service numbers are not sold.
 */
export type NumberKind =
  'nl-regional' | 'nl-085' | 'nl-088' | 'international-geographic' | 'international-national';

export const NUMBER_KINDS: readonly NumberKind[] = [
  'nl-regional',
  'nl-085',
  'nl-088',
  'international-geographic',
  'international-national',
];

/**
 * Sizes a block can be ordered in. N1-N3 from the original; the original gives no sizes for
 * international numbers, so this assumes single numbers and blocks of 10 and 100 there.
 * Blocks made by splitting (N4) may have other sizes (a block of 1,000 split into 20 gives 50s).
 */
export const ORDERABLE_BLOCK_SIZES: Readonly<Record<NumberKind, readonly number[]>> = {
  'nl-regional': [1, 10, 100, 1000],
  'nl-085': [1, 10, 100],
  'nl-088': [100, 1000, 10000],
  'international-geographic': [1, 10, 100],
  'international-national': [1, 10, 100],
};

export const NUMBER_KIND_LABEL: Readonly<Record<NumberKind, string>> = {
  'nl-regional': 'Dutch regional numbers',
  'nl-085': '085 numbers',
  'nl-088': '088 numbers',
  'international-geographic': 'international geographic numbers',
  'international-national': 'international national numbers',
};

const TYPE_LABEL: Readonly<Record<PhoneNumberType, string>> = {
  PREMIUM_RATE: 'a premium-rate number',
  TOLL_FREE: 'a toll-free number',
  SHARED_COST: 'a shared-cost number',
  VOIP: 'a VoIP number',
  PERSONAL_NUMBER: 'a personal number',
  PAGER: 'a pager number',
  UAN: 'a universal access number',
  VOICEMAIL: 'a voicemail access number',
  FIXED_LINE_OR_MOBILE: 'a fixed-line or mobile number',
  FIXED_LINE: 'a fixed-line number',
  MOBILE: 'a mobile number',
};

/** What libphonenumber knows about a valid number, and the kind we sell it as (if any). */
export interface ClassifiedNumber {
  readonly e164: string;
  /** ISO 3166-1 alpha-2; undefined for non-geographic entities such as +800. */
  readonly country: string | undefined;
  readonly type: PhoneNumberType | undefined;
  /** Undefined when the platform does not sell this type of number. */
  readonly kind: NumberKind | undefined;
}

function kindOf(
  country: string | undefined,
  nationalNumber: string,
  type: PhoneNumberType | undefined,
): NumberKind | undefined {
  if (country === 'NL') {
    if (type === 'FIXED_LINE') return 'nl-regional';
    if (type === 'VOIP' && nationalNumber.startsWith('85')) return 'nl-085';
    if (type === 'UAN' && nationalNumber.startsWith('88')) return 'nl-088';
    return undefined;
  }
  if (type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE') {
    const closedPlan = country !== undefined && countryCapabilities(country)?.fixedLineIsNational;
    return closedPlan ? 'international-national' : 'international-geographic';
  }
  if (type === 'VOIP' || type === 'UAN' || type === 'PERSONAL_NUMBER') {
    return 'international-national';
  }
  return undefined;
}

/** Classifies a number; undefined when it is not a valid number in any plan. */
export function classifyNumber(e164: string): ClassifiedNumber | undefined {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !parsed.isValid() || parsed.number !== e164) return undefined;
  const type = parsed.getType();
  return {
    e164,
    country: parsed.country,
    type,
    kind: kindOf(parsed.country, parsed.nationalNumber, type),
  };
}

/**
 * Normalises an operator's input ("+31 20 123 4500") to E.164 ("+31201234500"). Only the
 * international form is accepted: a national "020..." is ambiguous across countries, and digits
 * that a parser would drop (a trunk "(0)", a carrier selection code) are refused rather than
 * silently changing the number.
 */
export function parseE164(input: string): string {
  const trimmed = input.trim();
  const compact = trimmed.replace(/[\s().-]/g, '');
  const parsed = /^\+[1-9][0-9]{1,14}$/.test(compact)
    ? parsePhoneNumberFromString(compact)
    : undefined;
  if (!parsed || !parsed.isPossible() || parsed.number !== compact) {
    throw new NumbersError(
      NumbersErrorCode.InvalidNumber,
      `"${trimmed.slice(0, 40)}" is not a phone number in E.164 form; write it as +31201234500 (country code, then the number without its leading 0)`,
    );
  }
  return compact;
}

/** "a mobile number", for messages that explain why a number is not sold. */
export function describeType(type: PhoneNumberType | undefined): string {
  return type === undefined ? 'a number of an unknown type' : TYPE_LABEL[type];
}
