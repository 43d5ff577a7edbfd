import { SourceRateLimit } from './source-rate-limit';

describe(SourceRateLimit.name, () => {
  it('allows the limit per window and key, then refuses until the window turns', () => {
    let now = 0;
    const limit = new SourceRateLimit({ limit: 2, windowMs: 1_000, now: () => now });
    expect([limit.take('a'), limit.take('a'), limit.take('a'), limit.take('b')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    now = 999;
    expect(limit.take('a')).toBe(false);
    now = 1_000;
    expect(limit.take('a')).toBe(true);
  });

  it('forgets the least recently seen key when full', () => {
    const limit = new SourceRateLimit({ limit: 1, windowMs: 1_000, maxTracked: 2, now: () => 0 });
    limit.take('a');
    limit.take('b');
    limit.take('c');
    expect(limit.take('a')).toBe(true);
    expect(limit.take('c')).toBe(false);
  });

  it('refuses settings that cannot work', () => {
    expect(() => new SourceRateLimit({ limit: 0, windowMs: 1 })).toThrow(RangeError);
    expect(() => new SourceRateLimit({ limit: 1, windowMs: 0.5 })).toThrow(RangeError);
  });
});
