import { parseTimeZone } from './time-zone';

describe(parseTimeZone.name, () => {
  it('reads an IANA zone', () => {
    expect(parseTimeZone('Europe/Amsterdam')).toEqual({ ok: true, value: 'Europe/Amsterdam' });
  });

  it('returns the canonical spelling whatever the case', () => {
    expect(parseTimeZone(' america/new_york ')).toEqual({ ok: true, value: 'America/New_York' });
  });

  it('reads UTC', () => {
    expect(parseTimeZone('UTC')).toEqual({ ok: true, value: 'UTC' });
  });

  it('refuses unknown zones and offsets', () => {
    expect(parseTimeZone('Mars/Olympus_Mons')).toEqual({
      ok: false,
      error:
        'unknown time zone "Mars/Olympus_Mons"; expected an IANA zone such as Europe/Amsterdam',
    });
    expect(parseTimeZone('+01:00').ok).toBe(false);
    expect(parseTimeZone('').ok).toBe(false);
    expect(parseTimeZone('Europe/Amsterdam'.repeat(10)).ok).toBe(false);
  });
});
