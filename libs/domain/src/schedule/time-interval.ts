import { err, ok, quoteInput, type Result } from '../result';

/** Minutes in a day; `24:00` is this many minutes and only allowed as an end. */
export const MINUTES_PER_DAY = 1440;

/**
 * A part of a local day, `[start, end)` in minutes after midnight: 0 <= start < end <= 1440.
 * `08:00-12:00` and `12:00-17:00` touch but do not overlap.
 */
export interface TimeInterval {
  readonly start: number;
  readonly end: number;
}

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Reads `HH:MM-HH:MM`; `24:00` is allowed as the end of the day. */
export function parseTimeInterval(text: string): Result<TimeInterval, string> {
  const match = INTERVAL.exec(text.trim());
  if (match === null) return err(`expected HH:MM-HH:MM, got ${quoteInput(text)}`);
  const [, startHours, startMinutes, endHours, endMinutes] = match;
  const start = minuteOfDay(startHours, startMinutes);
  const end = minuteOfDay(endHours, endMinutes);
  if (start === undefined || start === MINUTES_PER_DAY) {
    return err(`${startHours}:${startMinutes} is not a start time (00:00-23:59)`);
  }
  if (end === undefined) return err(`${endHours}:${endMinutes} is not an end time (00:01-24:00)`);
  if (start >= end) {
    return err(`start ${formatMinute(start)} is not before end ${formatMinute(end)}`);
  }
  return ok({ start, end });
}

/** `08:00-12:00`. */
export function formatTimeInterval(interval: TimeInterval): string {
  return `${formatMinute(interval.start)}-${formatMinute(interval.end)}`;
}

export function intervalsOverlap(a: TimeInterval, b: TimeInterval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether a second of the local day (0-86399) lies in the interval. */
export function intervalContains(interval: TimeInterval, secondOfDay: number): boolean {
  return interval.start * 60 <= secondOfDay && secondOfDay < interval.end * 60;
}

function minuteOfDay(hours: string, minutes: string): number | undefined {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return undefined;
  return h * 60 + m;
}

function formatMinute(minute: number): string {
  const hours = String(Math.floor(minute / 60)).padStart(2, '0');
  const minutes = String(minute % 60).padStart(2, '0');
  return `${hours}:${minutes}`;
}
