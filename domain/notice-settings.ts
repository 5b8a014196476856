// Where a person's notices go (issue 9): by e-mail, by their department's (or unit's) DingTalk or WeCom
// group robot, or both; and the quiet hours in which no chat message should buzz their phone. The rule
// that picks the channels for one digest lives here, pure, so the activity, the pages and the tests
// share it.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { cycleFileSchemas } from './cycle-file.js';

// Not reached by workflow code: built at import.
const { idSchema } = cycleFileSchemas();

export const NOTICE_CHANNELS = ['email', 'dingtalk', 'wecom'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export type RobotChannel = Exclude<NoticeChannel, 'email'>;
export const ROBOT_CHANNELS: readonly RobotChannel[] = ['dingtalk', 'wecom'];

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, '时间格式应为 HH:mm / time must be HH:mm');

export const quietHoursSchema = z.object({ start: hhmm, end: hhmm })
  .refine((q) => q.start !== q.end, { message: '开始与结束不能相同 / start and end must differ', path: ['end'] });
export type QuietHours = z.infer<typeof quietHoursSchema>;

export const noticePreferenceSchema = z.object({
  channels: z.array(z.enum(NOTICE_CHANNELS)).min(1, '至少选择一个渠道 / choose at least one channel').max(NOTICE_CHANNELS.length)
    .refine((c) => new Set(c).size === c.length, '渠道重复 / a channel is listed twice'),
  quiet: quietHoursSchema.optional(),
});
export type NoticePreference = z.infer<typeof noticePreferenceSchema>;

/** Everyone starts on e-mail: a robot reaches a person only once they ask for it. */
export const DEFAULT_PREFERENCE: NoticePreference = { channels: ['email'] };

/** Loopback may be plain HTTP (a local relay, the tests); anywhere else the token must not travel in clear. */
const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export const robotConfigSchema = z.object({
  unit: idSchema,
  /** Absent: the unit's robot, for people of departments without their own. */
  department: idSchema.optional(),
  channel: z.enum(ROBOT_CHANNELS as [RobotChannel, ...RobotChannel[]]),
  webhook: z.string().trim().max(1000).url('不是有效网址 / not a valid URL'),
  /** DingTalk's 加签 secret (SEC…); WeCom robots have none (the key is in the webhook). */
  secret: z.string().trim().min(1).max(200).optional(),
}).superRefine((r, ctx) => {
  // zod 4 runs this even when a field failed its own check: a webhook that is not an address is said there.
  if (!URL.canParse(r.webhook)) return;
  const url = new URL(r.webhook);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    ctx.addIssue({ code: 'custom', path: ['webhook'], message: '须为 https 地址 / must be an https address' });
  }
  const param = r.channel === 'dingtalk' ? 'access_token' : 'key';
  if (!url.searchParams.get(param)) ctx.addIssue({ code: 'custom', path: ['webhook'], message: `地址缺少 ${param} / the address has no ${param}` });
  if (r.channel === 'wecom' && r.secret) ctx.addIssue({ code: 'custom', path: ['secret'], message: '企业微信机器人没有加签密钥 / a WeCom robot has no secret' });
});
export type RobotConfig = z.infer<typeof robotConfigSchema>;

const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** Whether an instant falls in the quiet hours, read in `zone`; a window may run over midnight (22:00–07:30). */
export function inQuietHours(quiet: QuietHours | undefined, instant: string, zone: string): boolean {
  if (!quiet) return false;
  const t = DateTime.fromISO(instant, { zone });
  if (!t.isValid) return false;
  const m = t.hour * 60 + t.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

export type SkipReason = 'no-robot' | 'quiet-hours';
export interface Route {
  channels: NoticeChannel[];
  /** Chat channels asked for but not used for this digest, and why. */
  skipped: { channel: RobotChannel; reason: SkipReason }[];
}

/**
 * The channels one digest goes by: each chat channel asked for that has a robot for the person and is
 * not in their quiet hours at the digest's slot (the slot, not the clock: a retry chooses as the first
 * attempt did); e-mail when asked for, and whenever nothing else is left, so nobody goes unnotified.
 */
export function routeDigest(pref: NoticePreference, robots: ReadonlySet<RobotChannel>, slot: string, zone: string): Route {
  const quiet = inQuietHours(pref.quiet, slot, zone);
  const channels: NoticeChannel[] = [];
  const skipped: Route['skipped'] = [];
  for (const c of pref.channels) {
    if (c === 'email') channels.push(c);
    else if (!robots.has(c)) skipped.push({ channel: c, reason: 'no-robot' });
    else if (quiet) skipped.push({ channel: c, reason: 'quiet-hours' });
    else channels.push(c);
  }
  if (!channels.length) channels.push('email');
  return { channels, skipped };
}

/**
 * The number a robot mentions (@) a person by: DingTalk and WeCom match a mainland mobile as its 11
 * digits, so "+86 139-0000-1111" becomes 13900001111; a landline or a number from elsewhere mentions
 * nobody (the message still names the person).
 */
export function mentionMobile(phone: string | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  const local = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  return /^1[3-9][0-9]{9}$/.test(local) ? local : undefined;
}
