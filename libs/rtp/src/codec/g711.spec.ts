import { convertG711, decodeG711, encodeG711 } from './g711';

function roundTrip(law: 'pcmu' | 'pcma', sample: number): number {
  const out = new Int16Array(1);
  const code = new Uint8Array(1);
  encodeG711(law, Int16Array.of(sample), code);
  decodeG711(law, code, out);
  return out[0];
}

describe('G.711', () => {
  it.each([
    // ITU-T G.711 reference points: digital silence and full scale of each law.
    ['pcmu', 0, 0xff],
    ['pcmu', 32767, 0x80],
    ['pcmu', -32768, 0x00],
    ['pcma', 0, 0xd5],
    ['pcma', 32767, 0xaa],
    ['pcma', -32768, 0x2a],
  ] as const)('encodes %s sample %d as code %d', (law, sample, code) => {
    const out = new Uint8Array(1);
    encodeG711(law, Int16Array.of(sample), out);
    expect(out[0]).toBe(code);
  });

  it.each(['pcmu', 'pcma'] as const)(
    '%s keeps every sample within its quantisation step',
    (law) => {
      for (let sample = -32000; sample <= 32000; sample += 97) {
        const error = Math.abs(roundTrip(law, sample) - sample);
        // The step grows with the magnitude: 1/16 of it plus a small floor bounds the error.
        expect(error).toBeLessThanOrEqual(Math.abs(sample) / 16 + 16);
      }
    },
  );

  it.each(['pcmu', 'pcma'] as const)('%s decode then encode gives every code back', (law) => {
    const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const pcm = new Int16Array(256);
    decodeG711(law, codes, pcm);
    const again = new Uint8Array(256);
    encodeG711(law, pcm, again);
    for (let code = 0; code < 256; code++) {
      // µ-law has two codes for zero (0x7f and 0xff); both decode to 0, which encodes as 0xff.
      const expected = law === 'pcmu' && code === 0x7f ? 0xff : code;
      expect(again[code]).toBe(expected);
    }
  });

  it('converts µ-law to A-law and back, keeping the level', () => {
    const pcm = Int16Array.from({ length: 160 }, (_, i) =>
      Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)),
    );
    const codes = new Uint8Array(160);
    encodeG711('pcmu', pcm, codes);
    convertG711('pcmu', 'pcma', codes);
    const back = new Int16Array(160);
    decodeG711('pcma', codes, back);
    for (let i = 0; i < 160; i++) expect(Math.abs(back[i] - pcm[i])).toBeLessThan(600);
  });
});
