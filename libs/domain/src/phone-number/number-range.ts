import { err, ok, quoteInput, type Result } from '../result';
import { parsePhoneNumber, type E164, type PhoneNumber } from './phone-number';

/** Sizes of number blocks (N1-N3: single numbers and blocks of 10 up to 10,000). */
export const BLOCK_SIZES = [1, 10, 100, 1000, 10000] as const;

export type BlockSize = (typeof BLOCK_SIZES)[number];

/**
 * A block of consecutive numbers. Invariant (checked by `numberRange`): the block is aligned on
 * its size, so a block of 100 starts at a number ending in `00`, and its last number is valid
 * with the same type as the first.
 */
export interface NumberRange {
  readonly first: PhoneNumber;
  readonly size: BlockSize;
}

const MAX_RANGE_INPUT = 60;

/** Makes a block, checking its size, its alignment and its last number. */
export function numberRange(first: PhoneNumber, size: number): Result<NumberRange, string> {
  if (!isBlockSize(size)) {
    return err(`block size must be one of ${BLOCK_SIZES.join(', ')}, got ${size}`);
  }
  const zeros = digitsOf(size);
  if (first.nationalNumber.length <= zeros || !first.nationalNumber.endsWith('0'.repeat(zeros))) {
    return err(
      `a block of ${size} must start at a number ending in ${'0'.repeat(zeros)}, got ${first.e164}`,
    );
  }
  const range: NumberRange = Object.freeze({ first, size });
  const last = memberAt(range, size - 1);
  const checked = parsePhoneNumber(last.e164);
  if (!checked.ok) {
    return err(`the block ${formatRange(range)} ends at ${last.e164}, not a valid phone number`);
  }
  if (checked.value.type !== first.type || checked.value.countryCode !== first.countryCode) {
    return err(
      `the block ${formatRange(range)} ends at ${last.e164}, of another type or country than its first number`,
    );
  }
  return ok(range);
}

/** Reads `+31201234500/100`; a number without `/size` is a block of 1. */
export function parseRange(text: string): Result<NumberRange, string> {
  if (text.length > MAX_RANGE_INPUT) {
    return err(
      `number range input is too long (${text.length} characters, at most ${MAX_RANGE_INPUT})`,
    );
  }
  const [numberText, sizeText, ...rest] = text.split('/');
  if (rest.length > 0)
    return err(`${quoteInput(text)} is not a number range: expected <number>/<size>`);
  const first = parsePhoneNumber(numberText);
  if (!first.ok) return first;
  if (sizeText === undefined) return numberRange(first.value, 1);
  if (!/^\s*\d{1,5}\s*$/.test(sizeText)) {
    return err(
      `${quoteInput(text)} is not a number range: the size must be one of ${BLOCK_SIZES.join(', ')}`,
    );
  }
  return numberRange(first.value, Number(sizeText));
}

/** `+31201234500/100`; `parseRange` reads it back. */
export function formatRange(range: NumberRange): string {
  return `${range.first.e164}/${range.size}`;
}

/** The numbers of a block in order, made one at a time (a block may hold 10,000). */
export function* numbersIn(range: NumberRange): Generator<PhoneNumber, void, undefined> {
  for (let offset = 0; offset < range.size; offset++) yield memberAt(range, offset);
}

export function lastNumberOf(range: NumberRange): PhoneNumber {
  return memberAt(range, range.size - 1);
}

export function rangeContains(range: NumberRange, number: PhoneNumber): boolean {
  const first = range.first.e164;
  const prefixLength = first.length - digitsOf(range.size);
  return (
    number.e164.length === first.length && number.e164.startsWith(first.slice(0, prefixLength))
  );
}

/**
 * Splits a block into `parts` equal aligned blocks (N4: into ten new blocks or a multiple of
 * ten). Because block sizes are powers of ten, the parts must be too: 10, 100... up to the size.
 */
export function splitRange(
  range: NumberRange,
  parts: number,
): Result<readonly NumberRange[], string> {
  const allowed = BLOCK_SIZES.filter((candidate) => candidate >= 10 && candidate <= range.size);
  if (allowed.length === 0) return err(`a block of ${range.size} cannot be split`);
  if (!(allowed as readonly number[]).includes(parts)) {
    return err(
      `cannot split a block of ${range.size} into ${parts} parts: parts must be ${allowed.join(' or ')}`,
    );
  }
  const size = (range.size / parts) as BlockSize;
  const blocks: NumberRange[] = [];
  for (let part = 0; part < parts; part++) {
    blocks.push(Object.freeze({ first: memberAt(range, part * size), size }));
  }
  return ok(blocks);
}

function isBlockSize(size: number): size is BlockSize {
  return (BLOCK_SIZES as readonly number[]).includes(size);
}

function digitsOf(size: BlockSize): number {
  return String(size).length - 1;
}

/**
 * The number at an offset in a block. It shares the first number's country and type: numbering
 * plans assign types to prefixes far shorter than a national number less four digits, and
 * `numberRange` has checked the last number against the metadata.
 */
function memberAt(range: NumberRange, offset: number): PhoneNumber {
  const { first } = range;
  if (offset === 0) return first;
  const width = digitsOf(range.size);
  const suffix = String(offset).padStart(width, '0');
  const nationalNumber =
    first.nationalNumber.slice(0, first.nationalNumber.length - width) + suffix;
  return Object.freeze({
    ...first,
    e164: `+${first.callingCode}${nationalNumber}` as E164,
    nationalNumber,
  });
}
