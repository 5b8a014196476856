// The State Council's holiday schedule (from the chinese-days package), resolved once when a cycle starts.
// The result travels in the workflow input, so a later update of the data cannot change a running cycle.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { LocalDate } from './time.js';
import { isWeekend, type WorkCalendar } from './workdays.js';

const official = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };

export const OFFICIAL_DATA_UNTIL = Math.max(...Object.keys(official.holidays).map((d) => Number(d.slice(0, 4))));

/** The calendar for [from, to], official data merged with the cycle's own additions (which win). */
export function buildWorkCalendar(
  from: LocalDate,
  to: LocalDate,
  extra: { off?: LocalDate[]; on?: LocalDate[] } = {},
): WorkCalendar {
  const inRange = (d: string) => d >= from && d <= to;
  const extraOff = new Set(extra.off ?? []);
  const extraOn = new Set(extra.on ?? []);
  const off = new Set(Object.keys(official.holidays).filter((d) => inRange(d) && !isWeekend(d)));
  const on = new Set(Object.keys(official.workdays).filter((d) => inRange(d) && isWeekend(d)));
  for (const d of extraOff) { on.delete(d); if (!isWeekend(d)) off.add(d); }
  for (const d of extraOn) { off.delete(d); if (isWeekend(d)) on.add(d); }
  return { off: [...off].sort(), on: [...on].sort(), officialDataUntil: OFFICIAL_DATA_UNTIL };
}

