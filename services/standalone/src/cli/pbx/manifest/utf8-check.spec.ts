import fc from 'fast-check';
import { findInvalidUtf8, lineOfOffset } from './utf8-check';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

function decodes(input: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(input);
    return true;
  } catch {
    return false;
  }
}

describe(findInvalidUtf8.name, () => {
  it('accepts ASCII and well-formed multi-byte text', () => {
    expect(findInvalidUtf8(Buffer.from('name: Jansen, café, 日本, 😀'))).toBe(-1);
    expect(findInvalidUtf8(bytes())).toBe(-1);
  });

  it.each([
    ['a Latin-1 é', bytes(0x61, 0xe9, 0x73), 1],
    ['a stray continuation byte', bytes(0x61, 0x62, 0x80), 2],
    ['an overlong slash', bytes(0xc0, 0xaf), 0],
    ['an overlong three-byte form', bytes(0xe0, 0x80, 0xaf), 0],
    ['a UTF-16 surrogate', bytes(0x41, 0xed, 0xa0, 0x80), 1],
    ['a code point above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ['a sequence cut short by the end', bytes(0x41, 0xe2, 0x82), 1],
    ['a sequence cut short by ASCII', bytes(0xe2, 0x41, 0x41), 0],
    ['a UTF-16 byte order mark', bytes(0xff, 0xfe, 0x61, 0x00), 0],
  ])('finds %s at the start of the bad sequence', (_name, input, offset) => {
    expect(findInvalidUtf8(input)).toBe(offset);
  });

  it('agrees with the fatal TextDecoder on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        expect(findInvalidUtf8(input) === -1).toBe(decodes(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the first bad byte after any well-formed prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (text) => {
        const prefix = Buffer.from(text, 'utf8');
        expect(findInvalidUtf8(Buffer.concat([prefix, bytes(0xff)]))).toBe(prefix.length);
      }),
    );
  });
});

describe(lineOfOffset.name, () => {
  it('counts the line feeds before the offset', () => {
    const input = Buffer.from('a\nb\nc');
    expect(lineOfOffset(input, 0)).toBe(1);
    expect(lineOfOffset(input, 1)).toBe(1);
    expect(lineOfOffset(input, 2)).toBe(2);
    expect(lineOfOffset(input, 4)).toBe(3);
  });
});
