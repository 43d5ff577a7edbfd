import type { IsoDate, Weekday } from './business-hours';
import type { TimeZone } from './time-zone';

/** What a clock on the wall in a time zone shows at an instant. */
export interface WallClock {
  readonly date: IsoDate;
  readonly weekday: Weekday;
  /** Seconds after local midnight, 0-86399. */
  readonly secondOfDay: number;
}

const WEEKDAY_BY_SHORT_NAME: Readonly<Record<string, Weekday>> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

const formatters = new Map<TimeZone, Intl.DateTimeFormat>();

/**
 * The local date, weekday and time of an instant in a zone. Intl applies the zone's offset for
 * that instant, so daylight saving changes need no arithmetic here: at 01:30 UTC on the last
 * Sunday of March, Europe/Amsterdam reads 03:30.
 */
export function wallClockAt(timeZone: TimeZone, instant: Date): WallClock {
  if (Number.isNaN(instant.getTime())) throw new RangeError('wallClockAt needs a valid Date');
  const parts = new Map<string, string>();
  for (const part of formatterFor(timeZone).formatToParts(instant))
    parts.set(part.type, part.value);
  const field = (type: Intl.DateTimeFormatPartTypes): string => parts.get(type) ?? '';
  return {
    date: `${field('year').padStart(4, '0')}-${field('month')}-${field('day')}` as IsoDate,
    weekday: WEEKDAY_BY_SHORT_NAME[field('weekday')],
    secondOfDay:
      Number(field('hour')) * 3600 + Number(field('minute')) * 60 + Number(field('second')),
  };
}

function formatterFor(timeZone: TimeZone): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, not the locale default: some ICU versions write midnight as 24:00 under h24.
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
