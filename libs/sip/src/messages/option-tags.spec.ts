import { listsOptionTag, unsupportedOptionTags } from './option-tags';

describe('option tags (RFC 3261 19.2)', () => {
  it('finds a tag whatever its case and spacing', () => {
    expect(listsOptionTag(['100rel', ' Timer '], 'timer')).toBe(true);
    expect(listsOptionTag(['100rel', 'timers'], 'timer')).toBe(false);
    expect(listsOptionTag([], 'outbound')).toBe(false);
  });

  it('names the tags not understood as the client wrote them, skipping empty ones', () => {
    expect(
      unsupportedOptionTags([' Timer', 'GRUU', '', 'path'], new Set(['timer', 'path'])),
    ).toEqual(['GRUU']);
    expect(unsupportedOptionTags(['outbound'], new Set(['outbound']))).toEqual([]);
  });
});
