import { formatTimeInterval, parseTimeInterval } from './time-interval';

describe(parseTimeInterval.name, () => {
  it('reads minutes after midnight', () => {
    expect(parseTimeInterval('08:30-17:00')).toEqual({
      ok: true,
      value: { start: 510, end: 1020 },
    });
  });

  it('allows 24:00 as the end of the day, not as a start', () => {
    expect(parseTimeInterval('20:00-24:00')).toEqual({
      ok: true,
      value: { start: 1200, end: 1440 },
    });
    expect(parseTimeInterval('24:00-24:00')).toEqual({
      ok: false,
      error: '24:00 is not a start time (00:00-23:59)',
    });
  });

  it('requires the start before the end', () => {
    expect(parseTimeInterval('17:00-08:00')).toEqual({
      ok: false,
      error: 'start 17:00 is not before end 08:00',
    });
    expect(parseTimeInterval('08:00-08:00').ok).toBe(false);
  });

  it('refuses malformed times', () => {
    expect(parseTimeInterval('8-17')).toEqual({
      ok: false,
      error: 'expected HH:MM-HH:MM, got "8-17"',
    });
    expect(parseTimeInterval('08:60-09:00').ok).toBe(false);
    expect(parseTimeInterval('08:00-24:30').ok).toBe(false);
    expect(parseTimeInterval('25:00-26:00').ok).toBe(false);
  });

  it('formats back', () => {
    expect(formatTimeInterval({ start: 0, end: 1440 })).toBe('00:00-24:00');
  });
});
