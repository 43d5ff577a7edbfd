import {
  containsNumber,
  isAligned,
  lastNumber,
  numbersOf,
  overlaps,
  subtractRange,
} from './number-range';

const block = (firstNumber: string, size: number) => ({ firstNumber, size });

describe('number ranges', () => {
  it('lists the numbers of a block in order, keeping leading digits', () => {
    expect(numbersOf(block('+31201234560', 10))).toEqual(
      Array.from({ length: 10 }, (_, i) => `+3120123456${i}`),
    );
    expect(lastNumber(block('+31881230000', 10000))).toBe('+31881239999');
  });

  it.each<[string, number, boolean]>([
    ['+31201234500', 100, true],
    ['+31201234000', 100, true],
    ['+31201234510', 100, false],
    ['+31201234050', 50, true],
    ['+31201234567', 1, true],
    ['+31201234560', 10, true],
    ['+31201234565', 10, false],
  ])('%s for a block of %i is aligned: %s', (first, size, aligned) => {
    expect(isAligned(block(first, size))).toBe(aligned);
  });

  it.each<[string, [string, number], [string, number], boolean]>([
    ['the same block', ['+31201234500', 100], ['+31201234500', 100], true],
    ['a block inside another', ['+31201234000', 1000], ['+31201234560', 10], true],
    ['a single number inside a block', ['+31201234500', 100], ['+31201234599', 1], true],
    ['adjacent blocks', ['+31201234500', 100], ['+31201234600', 100], false],
    ['distant blocks', ['+31201234500', 100], ['+31851234500', 100], false],
    ['numbers of other lengths', ['+3120123450', 10], ['+31201234500', 100], false],
  ])('overlaps for %s: %s', (_, [aFirst, aSize], [bFirst, bSize], expected) => {
    expect(overlaps(block(aFirst, aSize), block(bFirst, bSize))).toBe(expected);
    expect(overlaps(block(bFirst, bSize), block(aFirst, aSize))).toBe(expected);
  });

  it('tells whether a block contains a number', () => {
    const b = block('+31201234500', 100);
    expect(containsNumber(b, '+31201234500')).toBe(true);
    expect(containsNumber(b, '+31201234599')).toBe(true);
    expect(containsNumber(b, '+31201234600')).toBe(false);
    expect(containsNumber(b, '+312012345000')).toBe(false);
    expect(containsNumber(b, 'garbage')).toBe(false);
  });

  it.each<[string, [string, number], [string, number], [string, number][]]>([
    [
      'a part in the middle',
      ['+31201234000', 1000],
      ['+31201234500', 100],
      [
        ['+31201234000', 500],
        ['+31201234600', 400],
      ],
    ],
    ['the first part', ['+31201234000', 1000], ['+31201234000', 100], [['+31201234100', 900]]],
    ['the last part', ['+31201234000', 1000], ['+31201234900', 100], [['+31201234000', 900]]],
    ['the whole range', ['+31201234500', 100], ['+31201234500', 100], []],
    ['a larger range', ['+31201234500', 100], ['+31201234000', 1000], []],
    ['a range elsewhere', ['+31201234500', 100], ['+31201234600', 100], [['+31201234500', 100]]],
    [
      'a range of numbers of another length',
      ['+31201234500', 100],
      ['+3120123450', 10],
      [['+31201234500', 100]],
    ],
  ])('subtracts %s', (_, [first, size], [cutFirst, cutSize], expected) => {
    expect(subtractRange(block(first, size), block(cutFirst, cutSize))).toEqual(
      expected.map(([f, s]) => block(f, s)),
    );
  });

  it('keeps leading digits when what is left starts after a cut', () => {
    expect(subtractRange(block('+3100000000', 100), block('+3100000000', 10))).toEqual([
      block('+3100000010', 90),
    ]);
  });
});
