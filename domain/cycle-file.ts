// The cycle file a coordinator writes (JSON or YAML): who is who, the calendar, the reminder policy.
// Every error names the field path, e.g. `departments.2.owner: 未知人员 unknown person "li"`.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { isValidZone, DEFAULT_ZONE } from './time.js';
import { scoringSchemas } from './scoring.js';
import { lazy } from './lazy.js';

/** Progress-report defaults: a report every month, due on the 25th. */
export const TRACKING_DEFAULTS = { progressDay: 25, everyMonths: 1 } as const;

export const cycleFileSchemas = lazy(() => {
  /** A directory id: also an actor, so never ':' (an operator's prefix). */
  const idSchema = z.string().max(LIMITS.id).regex(/^[a-z0-9][a-z0-9_-]*$/, '只能用小写字母、数字、- 和 _ / lowercase letters, digits, - and _ only');
  const id = idSchema;
  const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD')
    .refine((d) => DateTime.fromISO(d).isValid, '不存在的日期 / no such date');

  const personSchema = z.object({
    id,
    name: z.string().min(1).max(LIMITS.name),
    email: z.string().max(254).email('邮箱格式错误 / invalid e-mail address'),
    lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
  });

  const departmentSchema = z.object({
    id,
    name: z.string().min(1).max(LIMITS.name),
    owner: id.describe('主要负责人 department head'),
    leader: id.describe('责任领导 responsible leader'),
  });

  const reminderPolicySchema = z.object({
    daysBefore: z.array(z.number().int().min(0).max(60)).default([7, 3, 1, 0]),
    hour: z.number().int().min(0).max(23).default(9),
    /**
     * Minutes after `hour` over which the chase of many cycles is spread: each cycle mails at its own
     * second of them, the same every day (domain/chase.ts). Absent or 0: at `hour`:00 sharp.
     */
    spreadMinutes: z.number().int().min(0).max(59).optional(),
    leaderAfterDays: z.number().int().min(1).max(30).default(1),
    directorAfterWorkdays: z.number().int().min(1).max(30).default(3),
    repeatEveryWorkdays: z.number().int().min(1).max(60).default(5),
    /** How long notices falling due together are gathered before their one mail goes out. */
    digestGraceSeconds: z.number().int().min(0).max(3600).default(60),
    /** After a mail's round of tries fails, the wait before the next round (doubled each round). */
    mailRetrySeconds: z.number().int().min(5).max(1800).default(60),
    /** Absent: keep chasing until delivered. */
    maxRepeats: z.number().int().min(0).max(1000).optional(),
    resubmitWorkdays: z.number().int().min(1).max(60).default(5),
    reviewWorkdays: z.number().int().min(1).max(60).default(5),
  });

  const calendarSchema = z.object({
    planSubmission: date.optional(),
    planApproval: date.optional(),
    summary: date.optional(),
    reviewWindow: z.object({ start: date, end: date }).optional(),
    scoring: date.optional(),
    publication: date.optional(),
    rectification: date.optional(),
  });

  /** Progress reports on the targets (目标进展): every `everyMonths` months, due on `progressDay`. */
  const trackingSchema = z.object({
    // 28 at most: every month has that day
    progressDay: z.number().int().min(1).max(28).default(TRACKING_DEFAULTS.progressDay),
    everyMonths: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(6)]).default(TRACKING_DEFAULTS.everyMonths),
  });

  /** The city's figures for the annual performance bonus (差异化奖励): not in the source document. */
  const bonusSchema = z.object({
    baseAmount: z.number().min(0),
    coefficients: z.object({ excellent: z.number().min(0), good: z.number().min(0), fair: z.number().min(0) }),
    /** Next year's share of staff rated excellent for a unit not graded excellent (一般不超过 15%). */
    defaultExcellentShare: z.number().min(0).max(1).optional(),
  });

  const cycleFileSchema = z.object({
    unit: z.object({ id, name: z.string().min(1).max(LIMITS.title) }),
    year: z.number().int().min(2000).max(2100),
    timeZone: z.string().default(DEFAULT_ZONE).refine(isValidZone, '未知时区 / unknown time zone'),
    people: z.array(personSchema).min(1),
    roles: z.object({
      coordinator: id,
      director: id,
      hrReviewer: id,
      approver: id,
      efficiencyOffice: id,
      /** 考评组: who marks the targets in the review window. */
      reviewTeam: z.array(id).optional(),
    }),
    departments: z.array(departmentSchema).min(1),
    calendar: calendarSchema.default({}),
    reminders: reminderPolicySchema.default(reminderPolicySchema.parse({})),
    holidays: z.object({ off: z.array(date).default([]), workdays: z.array(date).default([]) }).default({ off: [], workdays: [] }),
    // Optional with their defaults applied in resolveCycle, so a file without them reads as before.
    scoring: scoringSchemas().scoringSchemeSchema.optional(),
    tracking: trackingSchema.optional(),
    bonus: bonusSchema.optional(),
  }).superRefine((file, ctx) => {
    const known = new Set<string>();
    file.people.forEach((p, i) => {
      if (known.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `人员编号重复 / duplicate person id "${p.id}"` });
      known.add(p.id);
    });
    const ref = (value: string, path: (string | number)[]) => {
      if (!known.has(value)) ctx.addIssue({ code: 'custom', path, message: `未知人员 / unknown person "${value}" (not in people)` });
    };
    for (const [role, who] of Object.entries(file.roles)) {
      if (Array.isArray(who)) who.forEach((w, i) => ref(w, ['roles', role, i]));
      else ref(who, ['roles', role]);
    }
    const depts = new Set<string>();
    file.departments.forEach((d, i) => {
      if (depts.has(d.id)) ctx.addIssue({ code: 'custom', path: ['departments', i, 'id'], message: `科室编号重复 / duplicate department id "${d.id}"` });
      depts.add(d.id);
      ref(d.owner, ['departments', i, 'owner']);
      ref(d.leader, ['departments', i, 'leader']);
    });
    const w = file.calendar.reviewWindow;
    if (w && w.end < w.start) ctx.addIssue({ code: 'custom', path: ['calendar', 'reviewWindow', 'end'], message: '结束日期早于开始日期 / ends before it starts' });
  });
  return { idSchema, personSchema, departmentSchema, reminderPolicySchema, calendarSchema, trackingSchema, bonusSchema, cycleFileSchema };
});
type Schemas = ReturnType<typeof cycleFileSchemas>;

export type CycleFile = z.infer<Schemas['cycleFileSchema']>;
export type Person = z.infer<Schemas['personSchema']>;
export type Department = z.infer<Schemas['departmentSchema']>;
export type ReminderPolicy = z.infer<Schemas['reminderPolicySchema']>;
export type Tracking = z.output<Schemas['trackingSchema']>;
export type BonusSettings = z.output<Schemas['bonusSchema']>;

export class CycleFileError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`周期文件有误 / invalid cycle file:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'CycleFileError';
  }
}

export function parseCycleFile(data: unknown): CycleFile {
  const result = cycleFileSchemas().cycleFileSchema.safeParse(data);
  if (result.success) return result.data;
  throw new CycleFileError(result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
}
