// China's working days: weekends are off unless made make-up workdays (调休), official holidays are off.
// Pure arithmetic over a resolved calendar, safe to run inside workflows.
import { addDays, type LocalDate } from './time.js';

export interface WorkCalendar {
  /** Weekdays that are off (official holidays and the cycle's own list). */
  off: LocalDate[];
  /** Weekend days that are worked (make-up workdays). */
  on: LocalDate[];
  /** Last year the official schedule covers; later years fall back to weekends plus the cycle's list. */
  officialDataUntil: number;
}

export function isWeekend(date: LocalDate): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

export function isWorkday(date: LocalDate, cal: WorkCalendar): boolean {
  if (cal.on.includes(date)) return true;
  if (cal.off.includes(date)) return false;
  return !isWeekend(date);
}

/** Each calendar's answers by date and n: a cycle asks the same ones again and again (domain/time.ts). */
const known = new WeakMap<WorkCalendar, Map<string, LocalDate>>();

/** The n-th working day after `date` (n ≥ 1); `date` itself does not count. */
export function addWorkdays(date: LocalDate, n: number, cal: WorkCalendar): LocalDate {
  let answers = known.get(cal);
  if (!answers) known.set(cal, (answers = new Map()));
  const key = `${date}|${n}`;
  const hit = answers.get(key);
  if (hit !== undefined) return hit;
  if (answers.size >= 512) answers.clear();
  const d = countWorkdays(date, n, cal);
  answers.set(key, d);
  return d;
}

function countWorkdays(date: LocalDate, n: number, cal: WorkCalendar): LocalDate {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkday(d, cal)) left -= 1;
  }
  return d;
}
