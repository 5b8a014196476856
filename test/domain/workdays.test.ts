// China's working days: official holidays and make-up workdays (调休) from chinese-days, the cycle's
// own list on top, and weekends only beyond the official data.
import { describe, expect, it } from 'vitest';
import { addWorkdays, isWeekend, isWorkday, type WorkCalendar } from '../../domain/workdays.js';
import { buildWorkCalendar, OFFICIAL_DATA_UNTIL } from '../../domain/official-holidays.js';
import { resolveCycle } from '../../domain/cycle.js';
import { exampleCycle, exampleFile } from '../helpers/cycle.js';

const cal2020 = buildWorkCalendar('2019-01-01', '2021-12-31');
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
};

describe('China’s official calendar (2019/2020)', () => {
  it('knows weekends', () => {
    expect(isWeekend('2020-01-18')).toBe(true); // Saturday
    expect(isWeekend('2020-01-19')).toBe(true); // Sunday
    expect(isWeekend('2020-01-20')).toBe(false); // Monday
  });

  it('treats Sunday 2020-01-19 as a make-up workday', () => {
    expect(cal2020.on).toContain('2020-01-19');
    expect(isWorkday('2020-01-19', cal2020)).toBe(true);
    // The Saturday before it is an ordinary weekend day.
    expect(isWorkday('2020-01-18', cal2020)).toBe(false);
  });

  it('has New Year’s Day and the whole Spring Festival 2020-01-24..2020-02-02 off', () => {
    expect(isWorkday('2020-01-01', cal2020)).toBe(false); // Wednesday, New Year’s Day
    for (const d of days('2020-01-24', '2020-02-02')) expect(isWorkday(d, cal2020), d).toBe(false);
    // Weekday holidays are listed; the weekend days need not be.
    expect(cal2020.off).toEqual(expect.arrayContaining(['2020-01-24', '2020-01-27', '2020-01-28', '2020-01-29', '2020-01-30', '2020-01-31']));
    expect(cal2020.off.some((d) => isWeekend(d))).toBe(false);
    expect(cal2020.on.every((d) => isWeekend(d))).toBe(true);
    // Ordinary days around it.
    expect(isWorkday('2020-01-23', cal2020)).toBe(true);
    expect(isWorkday('2020-02-03', cal2020)).toBe(true);
    expect(isWorkday('2019-12-31', cal2020)).toBe(true);
    expect(isWorkday('2020-01-02', cal2020)).toBe(true);
  });

  it('counts working days across the Spring Festival', () => {
    // The day itself does not count; the next working day after Thursday 23 January is Monday 3 February.
    expect(addWorkdays('2020-01-23', 1, cal2020)).toBe('2020-02-03');
    expect(addWorkdays('2020-01-22', 2, cal2020)).toBe('2020-02-03');
    expect(addWorkdays('2020-01-23', 5, cal2020)).toBe('2020-02-07');
    // Friday 31 January (a holiday) + 3 working days = Wednesday 5 February (the 2019 cycle’s director escalation).
    expect(addWorkdays('2020-01-31', 3, cal2020)).toBe('2020-02-05');
    // The make-up Sunday counts: Friday 17 January + 1 = Sunday 19 January.
    expect(addWorkdays('2020-01-17', 1, cal2020)).toBe('2020-01-19');
    expect(addWorkdays('2020-01-17', 2, cal2020)).toBe('2020-01-20');
    // New Year: Tuesday 31 December + 3 skips 1 January.
    expect(addWorkdays('2019-12-31', 3, cal2020)).toBe('2020-01-06');
  });

  it('is what a resolved 2019 cycle carries in its input', () => {
    const cal = exampleCycle('wd').workCalendar;
    expect(cal.officialDataUntil).toBe(OFFICIAL_DATA_UNTIL);
    expect(isWorkday('2020-01-19', cal)).toBe(true);
    expect(isWorkday('2020-01-28', cal)).toBe(false);
    expect(addWorkdays('2020-01-23', 1, cal)).toBe('2020-02-03');
    // The range runs a year past rectification so late escalations still see holidays (2021 Spring Festival).
    expect(isWorkday('2021-02-11', cal)).toBe(false);
    expect(cal.on).toContain('2021-02-07');
  });
});

describe('the cycle’s own holiday list', () => {
  it('overrides the official data both ways', () => {
    const cal = exampleCycle('wd-own', (f) => {
      f.holidays = {
        off: ['2020-01-02', '2020-01-19'], // an ordinary Thursday off; the make-up Sunday cancelled
        workdays: ['2020-01-28', '2020-01-04'], // a Spring Festival Tuesday worked; a Saturday worked
      };
    }).workCalendar;
    expect(isWorkday('2020-01-02', cal)).toBe(false);
    expect(isWorkday('2020-01-19', cal)).toBe(false);
    expect(isWorkday('2020-01-28', cal)).toBe(true);
    expect(isWorkday('2020-01-04', cal)).toBe(true);
    // Untouched official days keep their meaning.
    expect(isWorkday('2020-01-27', cal)).toBe(false);
    expect(isWorkday('2020-01-03', cal)).toBe(true);
    // And the arithmetic follows: 31 Dec + 3 = 1 Jan off, 2 Jan off, then 3 (Fri), 4 (Sat, worked), 6 (Mon).
    expect(addWorkdays('2019-12-31', 3, cal)).toBe('2020-01-06');
    expect(addWorkdays('2019-12-31', 2, cal)).toBe('2020-01-04');
    expect(addWorkdays('2020-01-23', 1, cal)).toBe('2020-01-28');
  });

  it('is applied by buildWorkCalendar directly', () => {
    const cal = buildWorkCalendar('2020-01-01', '2020-12-31', { off: ['2020-03-02'], on: ['2020-01-25'] });
    expect(isWorkday('2020-03-02', cal)).toBe(false);
    expect(isWorkday('2020-01-25', cal)).toBe(true); // Saturday inside the Spring Festival, worked
  });
});

describe('a year beyond the official data', () => {
  it('the official data ends before 2031', () => {
    expect(OFFICIAL_DATA_UNTIL).toBeGreaterThanOrEqual(2020);
    expect(OFFICIAL_DATA_UNTIL).toBeLessThan(2031);
  });

  const file2031 = (holidays?: { off: string[]; workdays: string[] }) => {
    const f = exampleFile();
    f.year = 2031;
    f.unit = { ...f.unit, id: 'wd-2031' };
    f.calendar = {};
    if (holidays) f.holidays = holidays;
    return resolveCycle(f);
  };

  it('falls back to weekends only', () => {
    const cal: WorkCalendar = file2031().workCalendar;
    expect(cal.off).toEqual([]);
    expect(cal.on).toEqual([]);
    expect(isWorkday('2032-01-01', cal)).toBe(true); // a Thursday: no official data to say otherwise
    expect(isWorkday('2031-10-04', cal)).toBe(false); // Saturday
    expect(addWorkdays('2031-12-31', 3, cal)).toBe('2032-01-05');
  });

  it('plus the file’s own list', () => {
    const cal = file2031({ off: ['2031-10-01', '2032-01-01'], workdays: ['2031-10-11'] }).workCalendar;
    expect(isWorkday('2031-10-01', cal)).toBe(false);
    expect(isWorkday('2032-01-01', cal)).toBe(false);
    expect(isWorkday('2031-10-11', cal)).toBe(true);
    expect(addWorkdays('2031-12-31', 3, cal)).toBe('2032-01-06');
    expect(addWorkdays('2031-10-10', 1, cal)).toBe('2031-10-11');
  });
});
