import type { PhoneNumber } from './phone-number';

/**
 * How the numbers service classifies a Dutch number (original section 8; N1-N3): geographic
 * (regional) numbers, the national 085 and 088 ranges, mobile numbers, service numbers, and
 * everything else.
 */
export type DutchNumberKind =
  'regional' | 'national-085' | 'national-088' | 'mobile' | 'service' | 'other';

const NETHERLANDS_CALLING_CODE = '31';

/**
 * Classifies a number by the Dutch numbering plan. Prefixes decide where the plan is settled by
 * prefix: libphonenumber reports 085 as VOIP and 088 as UAN, and 0800/090x by tariff. Geographic
 * numbers are the area codes 01-05 and 07 that the metadata knows as fixed lines, so 014x
 * municipal numbers (UAN) are not regional.
 */
export function dutchNumberKind(number: PhoneNumber): DutchNumberKind {
  if (number.callingCode !== NETHERLANDS_CALLING_CODE) return 'other';
  const national = number.nationalNumber;
  if (national.startsWith('85')) return 'national-085';
  if (national.startsWith('88')) return 'national-088';
  // 066 is a pager range inside 06: the type tells it apart.
  if (national.startsWith('6')) return number.type === 'MOBILE' ? 'mobile' : 'other';
  if (/^(800|90[069])/.test(national)) return 'service';
  if (/^[1-57]/.test(national) && number.type === 'FIXED_LINE') return 'regional';
  return 'other';
}
