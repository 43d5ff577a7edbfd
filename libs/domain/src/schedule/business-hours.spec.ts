import {
  formatBusinessHours,
  formatScheduleProblem,
  parseBusinessHours,
  parseIsoDate,
  type BusinessHours,
} from './business-hours';

function problemsOf(input: unknown): string[] {
  const result = parseBusinessHours(input);
  return result.ok ? [] : result.error.map(formatScheduleProblem);
}

describe(parseBusinessHours.name, () => {
  it('reads weekly intervals, sorted, with missing days closed', () => {
    const result = parseBusinessHours({ days: { mon: ['13:00-17:00', '08:00-12:00'] } });
    expect(result.ok).toBe(true);
    const hours = (result as { value: BusinessHours }).value;
    expect(hours.days.mon).toEqual([
      { start: 480, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(hours.days.sun).toEqual([]);
    expect(hours.holidays).toEqual([]);
  });

  it('accepts intervals that touch', () => {
    expect(problemsOf({ days: { tue: ['08:00-12:00', '12:00-17:00'] } })).toEqual([]);
  });

  it('reads holidays as dates or objects with a name and partial-day intervals', () => {
    const result = parseBusinessHours({
      holidays: [
        { date: '2025-12-24', name: ' Christmas Eve ', intervals: ['13:00-24:00'] },
        '2025-12-25',
      ],
    });
    expect(result.ok && result.value.holidays).toEqual([
      { date: '2025-12-24', name: 'Christmas Eve', intervals: [{ start: 780, end: 1440 }] },
      { date: '2025-12-25' },
    ]);
  });

  it('reports every problem with its path', () => {
    expect(
      problemsOf({
        days: {
          mon: ['08:00-12:00', '11:00-13:00'],
          tue: ['17:00-08:00', 9],
          monday: [],
          wed: '08:00-17:00',
        },
        holidays: [
          { date: '2025-02-30' },
          { date: '2025-12-25', intervals: ['13:00-24:00', '12:00-14:00'], colour: 'red' },
          '2025-12-25',
          { name: '' },
        ],
        timezone: 'Europe/Amsterdam',
      }),
    ).toEqual([
      'timezone: unknown field; expected days, holidays',
      'days.mon[1]: overlaps 08:00-12:00',
      'days.tue[0]: start 17:00 is not before end 08:00',
      'days.tue[1]: expected an interval such as "08:00-17:00"',
      'days.monday: unknown weekday; expected one of mon, tue, wed, thu, fri, sat, sun',
      'days.wed: expected a list of intervals such as "08:00-17:00"',
      'holidays[0].date: 2025-02-30 is not a calendar date',
      'holidays[1].colour: unknown field; expected date, name, intervals',
      'holidays[1].intervals[1]: overlaps 13:00-24:00',
      'holidays[3].date: expected a date "YYYY-MM-DD"',
      'holidays[3].name: expected a non-empty text of at most 100 characters',
    ]);
  });

  it('reports a date given twice', () => {
    expect(problemsOf({ holidays: ['2025-12-25', { date: '2025-12-25', name: 'Kerst' }] })).toEqual(
      ['holidays[1].date: 2025-12-25 is already holidays[0]'],
    );
  });

  it('refuses what is not an object', () => {
    expect(problemsOf(null)).toEqual(['expected an object with days and holidays']);
    expect(problemsOf([])).toEqual(['expected an object with days and holidays']);
  });

  it('bounds the number of intervals a day', () => {
    const many = Array.from(
      { length: 49 },
      (_, index) => `00:${String(index).padStart(2, '0')}-00:59`,
    );
    expect(problemsOf({ days: { fri: many } })).toEqual(['days.fri: at most 48 intervals, got 49']);
  });

  it('formats back to what it reads', () => {
    const input = {
      days: { mon: ['08:00-12:00', '13:00-17:00'], sat: ['10:00-24:00'] },
      holidays: [
        { date: '2025-04-27', name: 'Koningsdag' },
        { date: '2025-12-24', intervals: ['13:00-24:00'] },
      ],
    };
    const parsed = parseBusinessHours(input);
    expect(parsed.ok && formatBusinessHours(parsed.value)).toEqual(input);
  });
});

describe(parseIsoDate.name, () => {
  it('accepts leap days only in leap years', () => {
    expect(parseIsoDate('2024-02-29').ok).toBe(true);
    expect(parseIsoDate('2025-02-29').ok).toBe(false);
  });

  it('refuses other date forms', () => {
    expect(parseIsoDate('25-12-2025')).toEqual({
      ok: false,
      error: 'expected a date "YYYY-MM-DD", got "25-12-2025"',
    });
  });
});
