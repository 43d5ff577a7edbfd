/**
 * Arithmetic on ranges of E.164 numbers ("+31201234500", 100 numbers). All numbers of a range have
 * the length of its first number; ranges of blocks are aligned on their size, so counting up never
 * carries past the digits that vary.
 */
export interface NumberRange {
  /** E.164, "+" and digits. */
  readonly firstNumber: string;
  readonly size: number;
}

const E164 = /^\+[1-9][0-9]{1,14}$/;

function value(e164: string): bigint {
  if (!E164.test(e164)) throw new TypeError(`not an E.164 number: "${e164}"`);
  return BigInt(e164.slice(1));
}

function format(n: bigint, length: number): string {
  return `+${n.toString().padStart(length, '0')}`;
}

/** The number at `index` (0-based) of a range. */
export function numberAt(range: NumberRange, index: number): string {
  return format(value(range.firstNumber) + BigInt(index), range.firstNumber.length - 1);
}

export function lastNumber(range: NumberRange): string {
  return numberAt(range, range.size - 1);
}

/** Every number of a range, in order. */
export function numbersOf(range: NumberRange): string[] {
  const first = value(range.firstNumber);
  const length = range.firstNumber.length - 1;
  return Array.from({ length: range.size }, (_, i) => format(first + BigInt(i), length));
}

/** A range is aligned when its first number is a multiple of its size (100 starts at ...00). */
export function isAligned(range: NumberRange): boolean {
  return range.size > 0 && value(range.firstNumber) % BigInt(range.size) === 0n;
}

export function containsNumber(range: NumberRange, e164: string): boolean {
  if (!E164.test(e164) || e164.length !== range.firstNumber.length) return false;
  const n = value(e164);
  const first = value(range.firstNumber);
  return n >= first && n < first + BigInt(range.size);
}

/**
 * Whether two ranges share a number. One aggregate (one block's stream) cannot see the others, so
 * the application layer must check a new block against the inventory of existing blocks with this
 * before it appends the order; inside the aggregate only the block's own rules are enforced.
 */
export function overlaps(a: NumberRange, b: NumberRange): boolean {
  if (a.firstNumber.length !== b.firstNumber.length) return false;
  const aFirst = value(a.firstNumber);
  const bFirst = value(b.firstNumber);
  return aFirst < bFirst + BigInt(b.size) && bFirst < aFirst + BigInt(a.size);
}

/**
 * What is left of `range` without the numbers of `removed`: none, one or two ranges (not
 * necessarily aligned). Ranges of other lengths share no number, so `range` is returned whole.
 */
export function subtractRange(range: NumberRange, removed: NumberRange): NumberRange[] {
  if (!overlaps(range, removed)) return [range];
  const length = range.firstNumber.length - 1;
  const first = value(range.firstNumber);
  const end = first + BigInt(range.size);
  const cutFirst = value(removed.firstNumber);
  const cutEnd = cutFirst + BigInt(removed.size);
  const left: NumberRange[] =
    cutFirst > first ? [{ firstNumber: range.firstNumber, size: Number(cutFirst - first) }] : [];
  const right: NumberRange[] =
    cutEnd < end ? [{ firstNumber: format(cutEnd, length), size: Number(end - cutEnd) }] : [];
  return [...left, ...right];
}

/** "+31201234500 to +31201234599", or the single number. */
export function describeRange(range: NumberRange): string {
  return range.size === 1 ? range.firstNumber : `${range.firstNumber} to ${lastNumber(range)}`;
}
