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

/**
 * A pure function of strings and numbers, remembered by its arguments: a cycle asks for the same few
 * hundred days again and again (every chase loop, every item of a phase), and luxon takes tens of
 * microseconds to parse, move and format one (a phase of 16 items cost 50 ms to open). Forgotten all
 * at once past `max` entries, so it stays small.
 */
function remembered<A extends (string | number)[], R>(f: (...a: A) => R, max = 512): (...a: A) => R {
  const known = new Map<string, R>();
  return (...a: A) => {
    const key = a.join('|');
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    if (known.size >= max) known.clear();
    const r = f(...a);
    known.set(key, r);
    return r;
  };
}

/** "By D" means the end of day D in the cycle's zone. */
export const endOfDay: (date: LocalDate, zone: string) => string = remembered((date, zone) => iso(parseLocalDate(date, zone).endOf('day')));

export const startOfDay: (date: LocalDate, zone: string) => string = remembered((date, zone) => iso(parseLocalDate(date, zone)));

const atHourSeconds = remembered((date: LocalDate, hour: number, zone: string, seconds: number) =>
  iso(parseLocalDate(date, zone).set({ hour }).plus({ seconds })));

/** `date` at `hour`:00 in `zone`, and `seconds` after that. */
export function atHour(date: LocalDate, hour: number, zone: string, seconds = 0): string {
  return atHourSeconds(date, hour, zone, seconds);
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

const localDateOfIso = remembered((at: string, zone: string) => DateTime.fromISO(at).setZone(zone).toISODate() ?? '');

export function localDateOf(at: Date | string, zone: string): LocalDate {
  if (typeof at === 'string') return localDateOfIso(at, zone);
  return DateTime.fromJSDate(at).setZone(zone).toISODate() ?? '';
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function addDays(date: LocalDate, days: number): LocalDate {
  // Calendar days are whole UTC days: plain arithmetic, no zone (luxon only for what this does not read).
  const m = DAY.exec(date);
  if (m && Number(m[1]) >= 1000 && Number.isInteger(days)) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
    // A day that does not exist (2019-02-30) would roll over here; luxon says it is invalid.
    const exists = new Date(Date.UTC(y, mo, d)).toISOString().slice(0, 10) === date;
    const out = new Date(Date.UTC(y, mo, d + days)).toISOString();
    if (exists && /^\d{4}-/.test(out)) return out.slice(0, 10);
  }
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';
}

/** An instant with its offset, as this module writes them: the engine's own parser reads it exactly. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function millisUntil(target: string, now: Date): number {
  const at = INSTANT.test(target) ? Date.parse(target) : DateTime.fromISO(target).toMillis();
  return at - now.getTime();
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
