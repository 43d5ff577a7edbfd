import { parseBusinessHours, type BusinessHours, type BusinessHoursInput } from './business-hours';
import { isOpenAt } from './is-open-at';
import { parseTimeZone, type TimeZone } from './time-zone';
import { wallClockAt } from './wall-clock';

function schedule(input: BusinessHoursInput): BusinessHours {
  const parsed = parseBusinessHours(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return parsed.value;
}

function zone(name: string): TimeZone {
  const parsed = parseTimeZone(name);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const AMSTERDAM = zone('Europe/Amsterdam');
const at = (iso: string): Date => new Date(iso);

// Office hours every day, so that the DST Sundays have hours too.
const OFFICE = schedule({
  days: {
    mon: ['08:00-12:00', '13:00-17:00'],
    tue: ['08:00-17:00'],
    wed: ['08:00-17:00'],
    thu: ['08:00-17:00'],
    fri: ['08:00-17:00'],
    sat: ['08:00-17:00'],
    sun: ['08:00-17:00', '20:00-24:00'],
  },
  holidays: [
    { date: '2025-12-25', name: 'Kerstmis' },
    { date: '2025-12-24', name: 'Kerstavond', intervals: ['13:00-24:00'] },
  ],
});

describe(isOpenAt.name, () => {
  it('reads the schedule in local time, not UTC (winter, UTC+1)', () => {
    // Monday 2025-01-06 07:30 UTC is 08:30 in Amsterdam.
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-06T07:30:00Z'))).toBe(true);
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-06T06:59:59Z'))).toBe(false);
    expect(isOpenAt(OFFICE, zone('UTC'), at('2025-01-06T07:30:00Z'))).toBe(false);
  });

  it('closes between intervals and at the end of an interval', () => {
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-06T11:30:00Z'))).toBe(false); // 12:30
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-06T15:59:59Z'))).toBe(true); // 16:59:59
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-06T16:00:00Z'))).toBe(false); // 17:00
  });

  describe('on the last Sunday of March (2025-03-30, 02:00 CET becomes 03:00 CEST)', () => {
    it('sees the clock jump an hour at 01:00 UTC', () => {
      expect(wallClockAt(AMSTERDAM, at('2025-03-30T00:59:59Z'))).toMatchObject({
        date: '2025-03-30',
        weekday: 'sun',
        secondOfDay: 1 * 3600 + 59 * 60 + 59,
      });
      expect(wallClockAt(AMSTERDAM, at('2025-03-30T01:00:00Z')).secondOfDay).toBe(3 * 3600);
    });

    it('opens at 08:00 local, which is 06:00 UTC after the change', () => {
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-03-30T05:59:59Z'))).toBe(false);
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-03-30T06:00:00Z'))).toBe(true);
      // The Saturday before still opened at 07:00 UTC.
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-03-29T06:30:00Z'))).toBe(false);
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-03-29T07:00:00Z'))).toBe(true);
    });
  });

  describe('on the last Sunday of October (2025-10-26, 03:00 CEST becomes 02:00 CET)', () => {
    it('reads 02:30 twice, an hour apart', () => {
      expect(wallClockAt(AMSTERDAM, at('2025-10-26T00:30:00Z')).secondOfDay).toBe(2.5 * 3600);
      expect(wallClockAt(AMSTERDAM, at('2025-10-26T01:30:00Z')).secondOfDay).toBe(2.5 * 3600);
    });

    it('opens at 08:00 local, which is 07:00 UTC after the change', () => {
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-10-26T06:30:00Z'))).toBe(false);
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-10-26T07:00:00Z'))).toBe(true);
      expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-10-25T06:00:00Z'))).toBe(true);
    });
  });

  it('stays open until midnight for an interval ending at 24:00', () => {
    // Sunday 2025-01-05 23:59:59 in Amsterdam is 22:59:59 UTC.
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-05T22:59:59Z'))).toBe(true);
    // Midnight belongs to Monday, which opens at 08:00.
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-01-05T23:00:00Z'))).toBe(false);
  });

  it('closes the whole day of a holiday', () => {
    // Thursday 2025-12-25 10:00 local.
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-12-25T09:00:00Z'))).toBe(false);
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-12-18T09:00:00Z'))).toBe(true);
  });

  it('closes only the intervals of a partial-day holiday', () => {
    // Wednesday 2025-12-24: open in the morning, closed from 13:00 local.
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-12-24T09:00:00Z'))).toBe(true);
    expect(isOpenAt(OFFICE, AMSTERDAM, at('2025-12-24T12:00:00Z'))).toBe(false);
  });

  it('matches the holiday by the local date, not the UTC date', () => {
    // 2025-12-24T23:30Z is already 00:30 on Christmas Day in Amsterdam; 2025-12-25T23:30Z is not.
    const nightly = schedule({
      days: { wed: ['00:00-24:00'], thu: ['00:00-24:00'], fri: ['00:00-24:00'] },
      holidays: ['2025-12-25'],
    });
    expect(isOpenAt(nightly, AMSTERDAM, at('2025-12-24T23:30:00Z'))).toBe(false);
    expect(isOpenAt(nightly, AMSTERDAM, at('2025-12-25T23:30:00Z'))).toBe(true);
  });

  it('refuses an invalid instant', () => {
    expect(() => isOpenAt(OFFICE, AMSTERDAM, new Date(Number.NaN))).toThrow(RangeError);
  });
});
