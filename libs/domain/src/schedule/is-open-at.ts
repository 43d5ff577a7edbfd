import type { BusinessHours } from './business-hours';
import { intervalContains } from './time-interval';
import type { TimeZone } from './time-zone';
import { wallClockAt } from './wall-clock';

/**
 * Whether the business is open at an instant, reading the schedule in the group's time zone. A
 * holiday closes its whole date, or only its intervals when it has them.
 */
export function isOpenAt(schedule: BusinessHours, timeZone: TimeZone, instant: Date): boolean {
  const clock = wallClockAt(timeZone, instant);
  const holiday = schedule.holidays.find((candidate) => candidate.date === clock.date);
  if (holiday !== undefined) {
    if (holiday.intervals === undefined) return false;
    if (holiday.intervals.some((interval) => intervalContains(interval, clock.secondOfDay))) {
      return false;
    }
  }
  return schedule.days[clock.weekday].some((interval) =>
    intervalContains(interval, clock.secondOfDay),
  );
}
