import {
  CAPABILITY_LABEL,
  countryCapabilities,
  countryLabel,
  type CountryEntry,
  type OrderCapability,
} from './country-table';
import {
  classifyNumber,
  describeType,
  NUMBER_KIND_LABEL,
  ORDERABLE_BLOCK_SIZES,
  parseE164,
  type NumberKind,
} from './number-kind';
import { describeRange, isAligned, numbersOf } from './number-range';
import { NumbersError, NumbersErrorCode } from './numbers.error';

/** A new number from the platform's stock (or, for 088, activation of the ACM's assignment). */
export type OrderKind = 'new' | 'port-in';
export const ORDER_KINDS: readonly OrderKind[] = ['new', 'port-in'];

export interface BlockOrderRequest {
  readonly orderKind: OrderKind;
  readonly firstNumber: string;
  readonly size: number;
  /** ISO 3166-1 alpha-2 of the numbers ("NL" for regional, 085 and 088). */
  readonly country: string;
  readonly assignmentLetter?: string;
}

export interface CheckedBlockOrder {
  readonly firstNumber: string;
  readonly size: number;
  readonly numberKind: NumberKind;
  readonly country: string;
  /** The ACM's assignment letter reference for 088; empty for every other kind. */
  readonly assignmentLetter: string;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Free text an operator types (references, letters): 1-100 printable characters. */
export function printable(value: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 100 || CONTROL.test(trimmed)) {
    throw new NumbersError(
      NumbersErrorCode.InvalidRequest,
      `${what} must be 1-100 printable characters`,
    );
  }
  return trimmed;
}

function coveredCountry(iso: string): CountryEntry {
  const country = countryCapabilities(iso);
  if (!country) {
    throw new NumbersError(
      NumbersErrorCode.CountryNotOffered,
      `the platform offers no numbers in "${iso.slice(0, 10)}"; see the coverage table of section 8`,
      { country: iso.slice(0, 10) },
    );
  }
  return country;
}

function requiredCapability(orderKind: OrderKind, kind: NumberKind): OrderCapability {
  if (orderKind === 'port-in') return 'porting';
  return kind === 'nl-regional' || kind === 'international-geographic'
    ? 'newGeographic'
    : 'newNational';
}

function checkSize(kind: NumberKind, size: number): void {
  const sizes = ORDERABLE_BLOCK_SIZES[kind];
  if (!sizes.includes(size)) {
    const choices = sizes.map((s) => String(s));
    const last = choices.pop();
    throw new NumbersError(
      NumbersErrorCode.InvalidBlockSize,
      `a block of ${size} is not offered for ${NUMBER_KIND_LABEL[kind]}; choose ${choices.length ? `${choices.join(', ')} or ${last}` : last}`,
      { size, allowed: sizes },
    );
  }
}

function checkAssignmentLetter(kind: NumberKind, letter: string | undefined): string {
  if (kind === 'nl-088') {
    if (letter === undefined || letter.trim() === '') {
      throw new NumbersError(
        NumbersErrorCode.AssignmentLetterRequired,
        '088 blocks need the ACM assignment letter reference',
      );
    }
    return printable(letter, 'the ACM assignment letter reference');
  }
  if (letter !== undefined && letter.trim() !== '') {
    throw new NumbersError(
      NumbersErrorCode.AssignmentLetterNotApplicable,
      `only 088 blocks carry an ACM assignment letter; leave it out for ${NUMBER_KIND_LABEL[kind]}`,
    );
  }
  return '';
}

/**
 * Checks an order of a block against the rules of section 8 (N1-N3, N5): the first number is a
 * number the platform sells in the given country, the country offers the capability the order
 * needs, the size is offered for that kind, the block is aligned on its size and every one of its
 * numbers is a valid number of the same kind. Throws a NumbersError naming the first rule broken.
 */
export function checkBlockOrder(request: BlockOrderRequest): CheckedBlockOrder {
  const firstNumber = parseE164(request.firstNumber);
  const country = coveredCountry(request.country);
  const classified = classifyNumber(firstNumber);
  if (!classified) {
    throw new NumbersError(
      NumbersErrorCode.InvalidNumber,
      `${firstNumber} is not a valid number in any numbering plan; check the digits`,
    );
  }
  if (classified.country !== country.iso) {
    const numberCountry = classified.country ? countryCapabilities(classified.country) : undefined;
    const of = numberCountry ? countryLabel(numberCountry) : (classified.country ?? 'no country');
    throw new NumbersError(
      NumbersErrorCode.CountryMismatch,
      `${firstNumber} is a number of ${of}, not of ${countryLabel(country)}`,
    );
  }
  const kind = classified.kind;
  if (!kind) {
    const sold =
      country.iso === 'NL'
        ? 'the platform sells Dutch regional, 085 and 088 numbers'
        : `in ${countryLabel(country)} the platform sells geographic and national fixed numbers`;
    throw new NumbersError(
      NumbersErrorCode.NumberTypeNotOffered,
      `${firstNumber} is ${describeType(classified.type)}; ${sold}`,
    );
  }
  const capability = requiredCapability(request.orderKind, kind);
  if (!country[capability]) {
    throw new NumbersError(
      NumbersErrorCode.CapabilityNotOffered,
      `${countryLabel(country)} does not offer ${CAPABILITY_LABEL[capability]}`,
      { country: country.iso, capability },
    );
  }
  checkSize(kind, request.size);
  const range = { firstNumber, size: request.size };
  if (!isAligned(range)) {
    const zeros = '0'.repeat(String(request.size).length - 1);
    throw new NumbersError(
      NumbersErrorCode.MisalignedBlock,
      `a block of ${request.size} must start at a number ending in ${zeros}, got ${firstNumber}`,
    );
  }
  const assignmentLetter = checkAssignmentLetter(kind, request.assignmentLetter);
  for (const number of numbersOf(range)) {
    if (classifyNumber(number)?.kind !== kind) {
      throw new NumbersError(
        NumbersErrorCode.NumberOutsidePlan,
        `${number}, in the block ${describeRange(range)}, is not one of the ${NUMBER_KIND_LABEL[kind]} of ${countryLabel(country)}; order smaller blocks that leave it out`,
        { number },
      );
    }
  }
  return {
    firstNumber,
    size: request.size,
    numberKind: kind,
    country: country.iso,
    assignmentLetter,
  };
}
