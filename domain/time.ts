// Every instant the product stores or sends is ISO-8601 with the cycle's offset (+08:00 for Asia/Shanghai).
import { DateTime } from 'luxon';

export const DEFAULT_ZONE = 'Asia/Shanghai';

/** A calendar day, `YYYY-MM-DD`, read in the cycle's zone. */
export type LocalDate = string;

export function isValidZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}

/** `YYYY-MM-DD` naming a day that exists: not 2019-02-31, 2019-13-01 or "tomorrow". */
export function isValidLocalDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'UTC' }).isValid;
}

export function parseLocalDate(date: LocalDate, zone: string): DateTime {
  const dt = DateTime.fromISO(date, { zone });
  if (!dt.isValid) throw new Error(`无效日期 / invalid date: ${date}`);
  return dt.startOf('day');
}

/** "By D" means the end of day D in the cycle's zone. */
export function endOfDay(date: LocalDate, zone: string): string {
  return iso(parseLocalDate(date, zone).endOf('day'));
}

export function startOfDay(date: LocalDate, zone: string): string {
  return iso(parseLocalDate(date, zone));
}

/** `date` at `hour`:00 in `zone`, and `seconds` after that. */
export function atHour(date: LocalDate, hour: number, zone: string, seconds = 0): string {
  return iso(parseLocalDate(date, zone).set({ hour }).plus({ seconds }));
}

export function iso(dt: DateTime): string {
  const s = dt.toISO({ suppressMilliseconds: true });
  if (!s) throw new Error('invalid instant');
  return s;
}

/** An instant (Date or ISO string) rendered in the zone with its offset. */
export function toZonedIso(at: Date | string, zone: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return iso(dt.setZone(zone));
}

export function localDateOf(at: Date | string, zone: string): LocalDate {
  const dt = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return dt.setZone(zone).toISODate() ?? '';
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';
}

export function millisUntil(target: string, now: Date): number {
  return DateTime.fromISO(target).toMillis() - now.getTime();
}

/** Whole calendar days an ISO deadline lies behind `now` (0 when not yet due). */
export function overdueDays(due: string, now: Date, zone: string): number {
  const dueDay = DateTime.fromISO(due).setZone(zone).startOf('day');
  const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
  if (DateTime.fromJSDate(now) <= DateTime.fromISO(due)) return 0;
  return Math.max(0, Math.round(today.diff(dueDay, 'days').days));
}

/** Human-readable local time for mails and tables, e.g. 2019-12-31 23:59 (UTC+8). */
export function formatLocal(at: string, zone: string): string {
  const dt = DateTime.fromISO(at).setZone(zone);
  return `${dt.toFormat('yyyy-MM-dd HH:mm')} (${dt.toFormat('ZZZZ')})`;
}

const WEEKDAY_ZH = ['一', '二', '三', '四', '五', '六', '日'];

/**
 * A deadline as people write it: 2020年1月31日（周五）24:00, or in English Fri 31 January 2020, 24:00.
 * The end of a day is 24:00 of that day; a zone other than the default is named by its offset.
 */
export function formatDeadline(at: string, zone: string, lang: 'zh-CN' | 'en'): string {
  const dt = DateTime.fromISO(at).setZone(zone);
  const time = dt.hour === 23 && dt.minute === 59 && dt.second === 59 ? '24:00' : dt.toFormat('HH:mm');
  const offset = zone === DEFAULT_ZONE ? '' : `UTC${dt.toFormat('ZZ')}`;
  if (lang === 'en') return `${dt.setLocale('en').toFormat('ccc d LLLL yyyy')}, ${time}${offset && ` (${offset})`}`;
  return `${dt.year}年${dt.month}月${dt.day}日（周${WEEKDAY_ZH[dt.weekday - 1]}）${time}${offset && `（${offset}）`}`;
}

/** A moment as people write it: 2026年11月25日 10:32, or 25 Nov 2026, 10:32 (the zone's offset when not the default). */
export function formatMoment(at: string, zone: string, lang: 'zh-CN' | 'en'): string {
  const dt = DateTime.fromISO(at).setZone(zone);
  const offset = zone === DEFAULT_ZONE ? '' : ` (UTC${dt.toFormat('ZZ')})`;
  if (lang === 'en') return `${dt.setLocale('en').toFormat('d LLL yyyy, HH:mm')}${offset}`;
  return `${dt.year}年${dt.month}月${dt.day}日 ${dt.toFormat('HH:mm')}${offset}`;
}

/** A calendar day (YYYY-MM-DD, or an instant read in `zone`) as people write it: 2020年1月31日, or 31 Jan 2020. */
export function formatDay(date: string, zone: string, lang: 'zh-CN' | 'en'): string {
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(date) ? DateTime.fromISO(date, { zone }) : DateTime.fromISO(date).setZone(zone);
  return lang === 'en' ? dt.setLocale('en').toFormat('d LLL yyyy') : `${dt.year}年${dt.month}月${dt.day}日`;
}
