import { err, ok, quoteInput, type Result } from '../result';
import {
  formatTimeInterval,
  intervalsOverlap,
  parseTimeInterval,
  type TimeInterval,
} from './time-interval';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** A calendar date `YYYY-MM-DD` that exists (no 30 February). */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/**
 * A day (or part of a day) on which the business is closed whatever the weekly hours say. With
 * intervals, the holiday covers only those intervals (closed from 13:00 on Christmas Eve) and the
 * weekly hours hold for the rest of the day.
 */
export interface Holiday {
  readonly date: IsoDate;
  readonly name?: string;
  readonly intervals?: readonly TimeInterval[];
}

/**
 * Business hours: when a group is open, as weekly intervals of local time, and holidays. Used for
 * night forwarding (G5), auto attendant menus (G1) and reachability schedules (M5). Intervals of
 * a day are sorted and do not overlap; a day without intervals is closed.
 */
export interface BusinessHours {
  readonly days: { readonly [D in Weekday]: readonly TimeInterval[] };
  readonly holidays: readonly Holiday[];
}

/** The written form that `parseBusinessHours` reads and `formatBusinessHours` writes. */
export interface BusinessHoursInput {
  readonly days?: { readonly [D in Weekday]?: readonly string[] };
  readonly holidays?: readonly (
    | string
    | { readonly date: string; readonly name?: string; readonly intervals?: readonly string[] }
  )[];
}

/** One thing wrong with a schedule, at a path such as `days.mon[1]`. */
export interface ScheduleProblem {
  readonly path: string;
  readonly message: string;
}

/** `days.mon[1]: overlaps 08:00-12:00`. */
export function formatScheduleProblem(problem: ScheduleProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** Limits that keep a schedule (from an HTTP body or a YAML file) small. */
const MAX_INTERVALS_PER_DAY = 48;
const MAX_HOLIDAYS = 1000;
const MAX_HOLIDAY_NAME = 100;

/**
 * Reads business hours from untrusted data (parsed JSON or YAML), reporting every problem with
 * its path rather than stopping at the first.
 */
export function parseBusinessHours(
  input: unknown,
): Result<BusinessHours, readonly ScheduleProblem[]> {
  const problems: ScheduleProblem[] = [];
  const report = (path: string, message: string): void => {
    problems.push({ path, message });
  };
  if (!isRecord(input)) {
    report('', 'expected an object with days and holidays');
    return err(problems);
  }
  reportUnknownFields(input, ['days', 'holidays'], '', report);
  const days = parseDays(input.days, report);
  const holidays = parseHolidays(input.holidays, report);
  return problems.length === 0 ? ok({ days, holidays }) : err(problems);
}

/** The written form of business hours; `parseBusinessHours` reads it back. */
export function formatBusinessHours(hours: BusinessHours): BusinessHoursInput {
  const days: { [D in Weekday]?: readonly string[] } = {};
  for (const day of WEEKDAYS) {
    if (hours.days[day].length > 0) days[day] = hours.days[day].map(formatTimeInterval);
  }
  const holidays = hours.holidays.map((holiday) => ({
    date: holiday.date,
    ...(holiday.name === undefined ? {} : { name: holiday.name }),
    ...(holiday.intervals === undefined
      ? {}
      : { intervals: holiday.intervals.map(formatTimeInterval) }),
  }));
  return { days, holidays };
}

type Report = (path: string, message: string) => void;

function parseDays(input: unknown, report: Report): BusinessHours['days'] {
  const days: { [D in Weekday]: readonly TimeInterval[] } = {
    mon: [],
    tue: [],
    wed: [],
    thu: [],
    fri: [],
    sat: [],
    sun: [],
  };
  if (input === undefined) return days;
  if (!isRecord(input)) {
    report('days', `expected an object with weekdays ${WEEKDAYS.join(', ')}`);
    return days;
  }
  for (const [key, value] of Object.entries(input)) {
    if (!isWeekday(key)) {
      report(`days.${key}`, `unknown weekday; expected one of ${WEEKDAYS.join(', ')}`);
      continue;
    }
    days[key] = parseIntervals(value, `days.${key}`, report);
  }
  return days;
}

function parseIntervals(input: unknown, path: string, report: Report): readonly TimeInterval[] {
  if (!Array.isArray(input)) {
    report(path, 'expected a list of intervals such as "08:00-17:00"');
    return [];
  }
  if (input.length > MAX_INTERVALS_PER_DAY) {
    report(path, `at most ${MAX_INTERVALS_PER_DAY} intervals, got ${input.length}`);
    return [];
  }
  const accepted: TimeInterval[] = [];
  input.forEach((item: unknown, index) => {
    const itemPath = `${path}[${index}]`;
    if (typeof item !== 'string') {
      report(itemPath, 'expected an interval such as "08:00-17:00"');
      return;
    }
    const interval = parseTimeInterval(item);
    if (!interval.ok) {
      report(itemPath, interval.error);
      return;
    }
    const clash = accepted.find((other) => intervalsOverlap(other, interval.value));
    if (clash !== undefined) {
      report(itemPath, `overlaps ${formatTimeInterval(clash)}`);
      return;
    }
    accepted.push(interval.value);
  });
  return accepted.sort((a, b) => a.start - b.start);
}

function parseHolidays(input: unknown, report: Report): readonly Holiday[] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    report('holidays', 'expected a list of holidays');
    return [];
  }
  if (input.length > MAX_HOLIDAYS) {
    report('holidays', `at most ${MAX_HOLIDAYS} holidays, got ${input.length}`);
    return [];
  }
  const holidays: Holiday[] = [];
  const firstIndexByDate = new Map<string, number>();
  input.forEach((item: unknown, index) => {
    const path = `holidays[${index}]`;
    const holiday = parseHoliday(item, path, report);
    if (holiday === undefined) return;
    const earlier = firstIndexByDate.get(holiday.date);
    if (earlier !== undefined) {
      report(`${path}.date`, `${holiday.date} is already holidays[${earlier}]`);
      return;
    }
    firstIndexByDate.set(holiday.date, index);
    holidays.push(holiday);
  });
  return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function parseHoliday(input: unknown, path: string, report: Report): Holiday | undefined {
  if (typeof input === 'string') {
    const date = parseIsoDate(input);
    if (!date.ok) report(path, date.error);
    return date.ok ? { date: date.value } : undefined;
  }
  if (!isRecord(input)) {
    report(path, 'expected a date "YYYY-MM-DD" or an object with date, name and intervals');
    return undefined;
  }
  reportUnknownFields(input, ['date', 'name', 'intervals'], path, report);
  // A holiday with any problem is left out; its problems are all reported.
  let valid = true;
  const fail: Report = (at, message) => {
    valid = false;
    report(at, message);
  };
  const date = typeof input.date === 'string' ? parseIsoDate(input.date) : undefined;
  if (date === undefined) fail(`${path}.date`, 'expected a date "YYYY-MM-DD"');
  else if (!date.ok) fail(`${path}.date`, date.error);
  const name = input.name;
  if (
    name !== undefined &&
    (typeof name !== 'string' || name.trim() === '' || name.length > MAX_HOLIDAY_NAME)
  ) {
    fail(`${path}.name`, `expected a non-empty text of at most ${MAX_HOLIDAY_NAME} characters`);
  }
  let intervals: readonly TimeInterval[] | undefined;
  if (input.intervals !== undefined) {
    intervals = parseIntervals(input.intervals, `${path}.intervals`, fail);
    if (valid && intervals.length === 0) {
      fail(`${path}.intervals`, 'leave intervals out to close the whole day');
    }
  }
  if (!valid || date === undefined || !date.ok) return undefined;
  return {
    date: date.value,
    ...(typeof name === 'string' ? { name: name.trim() } : {}),
    ...(intervals === undefined ? {} : { intervals }),
  };
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Reads `YYYY-MM-DD`, rejecting dates that do not exist. */
export function parseIsoDate(text: string): Result<IsoDate, string> {
  const match = ISO_DATE.exec(text);
  if (match === null) return err(`expected a date "YYYY-MM-DD", got ${quoteInput(text)}`);
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return err(`${text} is not a calendar date`);
  }
  return ok(text as IsoDate);
}

function reportUnknownFields(
  input: Readonly<Record<string, unknown>>,
  known: readonly string[],
  path: string,
  report: Report,
): void {
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      report(path === '' ? key : `${path}.${key}`, `unknown field; expected ${known.join(', ')}`);
    }
  }
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isWeekday(value: string): value is Weekday {
  return (WEEKDAYS as readonly string[]).includes(value);
}
