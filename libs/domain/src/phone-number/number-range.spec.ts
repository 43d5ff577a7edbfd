import {
  formatRange,
  lastNumberOf,
  numberRange,
  numbersIn,
  parseRange,
  rangeContains,
  splitRange,
  type NumberRange,
} from './number-range';
import { parsePhoneNumber, type PhoneNumber } from './phone-number';

function phone(text: string): PhoneNumber {
  const parsed = parsePhoneNumber(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

function block(text: string): NumberRange {
  const parsed = parseRange(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe(parseRange.name, () => {
  it('reads a block and formats it back', () => {
    const range = block('+31201234500/100');
    expect(range.size).toBe(100);
    expect(range.first.e164).toBe('+31201234500');
    expect(formatRange(range)).toBe('+31201234500/100');
  });

  it('reads a number without a size as a block of one', () => {
    expect(formatRange(block('+31 20 123 4567'))).toBe('+31201234567/1');
  });

  it('refuses a block that does not start on its size', () => {
    expect(parseRange('+31201234550/100')).toEqual({
      ok: false,
      error: 'a block of 100 must start at a number ending in 00, got +31201234550',
    });
  });

  it('refuses sizes other than 1, 10, 100, 1000 and 10000', () => {
    expect(parseRange('+31201234500/20')).toEqual({
      ok: false,
      error: 'block size must be one of 1, 10, 100, 1000, 10000, got 20',
    });
    expect(parseRange('+31201234500/abc').ok).toBe(false);
    expect(parseRange('+31201234500/10/10').ok).toBe(false);
  });

  it('passes on the phone number error', () => {
    expect(parseRange('+3120123/10')).toMatchObject({
      ok: false,
      error: '"+3120123" is not a valid phone number: too short',
    });
  });

  it('refuses a block whose last number is not valid', () => {
    expect(parseRange('+494960000/10000')).toEqual({
      ok: false,
      error: 'the block +494960000/10000 ends at +494969999, not a valid phone number',
    });
  });

  it('refuses long input before parsing it', () => {
    expect(parseRange(`+31201234500/${'0'.repeat(60)}`).ok).toBe(false);
  });
});

describe(numberRange.name, () => {
  it('accepts an aligned block of 10000 on an 088 number', () => {
    const range = numberRange(phone('+31881230000'), 10000);
    expect(range.ok).toBe(true);
  });
});

describe(numbersIn.name, () => {
  it('yields every number of the block in order', () => {
    const numbers = [...numbersIn(block('+31201234500/10'))].map((number) => number.e164);
    expect(numbers).toEqual([
      '+31201234500',
      '+31201234501',
      '+31201234502',
      '+31201234503',
      '+31201234504',
      '+31201234505',
      '+31201234506',
      '+31201234507',
      '+31201234508',
      '+31201234509',
    ]);
  });

  it('makes numbers one at a time', () => {
    const iterator = numbersIn(block('+31881230000/10000'));
    expect(iterator.next().value).toMatchObject({ e164: '+31881230000' });
    expect(iterator.next().value).toMatchObject({
      e164: '+31881230001',
      nationalNumber: '881230001',
      countryCode: 'NL',
    });
  });

  it('yields as many numbers as the size, each one valid', () => {
    const numbers = [...numbersIn(block('+31201234000/1000'))];
    expect(numbers).toHaveLength(1000);
    expect(numbers[999]).toEqual(phone('+31201234999'));
    expect(lastNumberOf(block('+31201234000/1000'))).toEqual(phone('+31201234999'));
  });
});

describe(rangeContains.name, () => {
  const range = block('+31201234500/100');

  it('holds the numbers from the first to the last', () => {
    expect(rangeContains(range, phone('+31201234500'))).toBe(true);
    expect(rangeContains(range, phone('+31201234599'))).toBe(true);
  });

  it('does not hold numbers just outside', () => {
    expect(rangeContains(range, phone('+31201234499'))).toBe(false);
    expect(rangeContains(range, phone('+31201234600'))).toBe(false);
  });

  it('holds only its own number when the size is 1', () => {
    const single = block('+31201234567/1');
    expect(rangeContains(single, phone('+31201234567'))).toBe(true);
    expect(rangeContains(single, phone('+31201234568'))).toBe(false);
  });
});

describe(splitRange.name, () => {
  it('splits a block of 100 into ten blocks of 10', () => {
    const split = splitRange(block('+31201234500/100'), 10);
    expect(split.ok && split.value.map(formatRange)).toEqual(
      Array.from({ length: 10 }, (_, index) => `+312012345${index}0/10`),
    );
  });

  it('splits a block of 1000 into a hundred blocks of 10', () => {
    const split = splitRange(block('+31201234000/1000'), 100);
    expect(split.ok && split.value.length).toBe(100);
    expect(split.ok && formatRange(split.value[42])).toBe('+31201234420/10');
  });

  it('splits a block of 10 into single numbers', () => {
    const split = splitRange(block('+31201234500/10'), 10);
    expect(split.ok && split.value.map(formatRange)[9]).toBe('+31201234509/1');
  });

  it('refuses a number of parts that gives no aligned block size', () => {
    expect(splitRange(block('+31201234500/100'), 20)).toEqual({
      ok: false,
      error: 'cannot split a block of 100 into 20 parts: parts must be 10 or 100',
    });
    expect(splitRange(block('+31201234500/100'), 1000).ok).toBe(false);
  });

  it('refuses to split a single number', () => {
    expect(splitRange(block('+31201234500/1'), 10)).toEqual({
      ok: false,
      error: 'a block of 1 cannot be split',
    });
  });
});
