// A cycle file resolved into the workflow's input: every deadline an ISO instant, the working-day
// calendar fixed, the people looked up. Everything a running cycle needs travels in this object.
import { addDays, endOfDay, startOfDay, type LocalDate } from './time.js';
import {
  CycleFileError, TRACKING_DEFAULTS, type BonusSettings, type CycleFile, type Department, type Person, type ReminderPolicy, type Tracking,
} from './cycle-file.js';
import { DEFAULT_SCHEME, type ScoringScheme } from './scoring.js';
import { buildWorkCalendar } from './official-holidays.js';
import type { WorkCalendar } from './workdays.js';

export type CalendarKey = 'planSubmission' | 'planApproval' | 'summary' | 'reviewStart' | 'reviewEnd' | 'scoring' | 'publication' | 'rectification';

/** The source document's calendar for evaluation year Y (all "by" dates are end of day). */
export function defaultCalendar(year: number): Record<CalendarKey, LocalDate> {
  const n = year + 1;
  return {
    planSubmission: `${year}-12-31`,
    planApproval: `${n}-01-10`,
    summary: `${n}-01-31`,
    reviewStart: `${n}-02-10`,
    reviewEnd: `${n}-02-14`,
    scoring: `${n}-03-31`,
    publication: `${n}-04-30`,
    rectification: `${n}-05-15`,
  };
}

export interface Roles {
  coordinator: string;
  director: string;
  hrReviewer: string;
  approver: string;
  efficiencyOffice: string;
  /** 考评组 members; absent in cycles started before the review team existed. */
  reviewTeam?: string[];
}

export interface CycleInput {
  cycleId: string;
  unit: { id: string; name: string };
  year: number;
  timeZone: string;
  people: Person[];
  roles: Roles;
  departments: Department[];
  dates: Record<CalendarKey, LocalDate>;
  policy: ReminderPolicy;
  workCalendar: WorkCalendar;
  // Optional: cycles started before these existed carry none; read them through settingsOf().
  scoring?: ScoringScheme;
  tracking?: Tracking;
  bonus?: BonusSettings;
}

export const DEFAULT_TRACKING: Tracking = Object.freeze({ ...TRACKING_DEFAULTS });

/** The scoring, tracking and bonus settings of a cycle, with the defaults for whatever it does not carry. */
export function settingsOf(input: CycleInput): { scheme: ScoringScheme; tracking: Tracking; bonus?: BonusSettings; reviewTeam: string[] } {
  return {
    scheme: input.scoring ?? DEFAULT_SCHEME,
    tracking: input.tracking ?? DEFAULT_TRACKING,
    ...(input.bonus && { bonus: input.bonus }),
    reviewTeam: input.roles.reviewTeam ?? [],
  };
}

export function cycleIdOf(unitId: string, year: number): string {
  return `perfcycle-${unitId}-${year}`;
}

const ORDER: CalendarKey[] = ['planSubmission', 'planApproval', 'summary', 'reviewStart', 'reviewEnd', 'scoring', 'publication', 'rectification'];

/** The cycle file's name of each calendar key, so an error names a field the coordinator can find. */
const FIELD: Record<CalendarKey, string> = {
  planSubmission: 'planSubmission', planApproval: 'planApproval', summary: 'summary', reviewStart: 'reviewWindow.start',
  reviewEnd: 'reviewWindow.end', scoring: 'scoring', publication: 'publication', rectification: 'rectification',
};

export function resolveCycle(file: CycleFile): CycleInput {
  const c = file.calendar;
  const dates: Record<CalendarKey, LocalDate> = {
    ...defaultCalendar(file.year),
    ...(c.planSubmission && { planSubmission: c.planSubmission }),
    ...(c.planApproval && { planApproval: c.planApproval }),
    ...(c.summary && { summary: c.summary }),
    ...(c.reviewWindow && { reviewStart: c.reviewWindow.start, reviewEnd: c.reviewWindow.end }),
    ...(c.scoring && { scoring: c.scoring }),
    ...(c.publication && { publication: c.publication }),
    ...(c.rectification && { rectification: c.rectification }),
  };
  const issues = ORDER.slice(1).flatMap((key, i) => {
    const prev = ORDER[i] as CalendarKey;
    return dates[key] < dates[prev]
      ? [{ path: `calendar.${FIELD[key]}`, message: `${dates[key]} 早于 / is before ${prev} ${dates[prev]}` }]
      : [];
  });
  if (issues.length) throw new CycleFileError(issues);
  return {
    cycleId: cycleIdOf(file.unit.id, file.year),
    unit: file.unit,
    year: file.year,
    timeZone: file.timeZone,
    people: file.people,
    roles: file.roles,
    departments: file.departments,
    dates,
    policy: file.reminders,
    // A year of margin on each side: escalations of a late rectification report run past the last deadline.
    workCalendar: buildWorkCalendar(`${file.year}-01-01`, addDays(dates.rectification, 366), {
      off: file.holidays.off,
      on: file.holidays.workdays,
    }),
    scoring: file.scoring ?? DEFAULT_SCHEME,
    tracking: file.tracking ?? DEFAULT_TRACKING,
    ...(file.bonus && { bonus: file.bonus }),
  };
}

export function deadline(input: CycleInput, key: CalendarKey): string {
  return endOfDay(input.dates[key], input.timeZone);
}

export function windowOpens(input: CycleInput): string {
  return startOfDay(input.dates.reviewStart, input.timeZone);
}

export function personById(input: CycleInput, id: string): Person | undefined {
  return input.people.find((p) => p.id === id);
}

/** Every role a person holds in the cycle, for the audit of actions done outside a deliverable's own roles. */
export function rolesOf(input: CycleInput, personId: string): string[] {
  const roles = Object.entries(input.roles)
    .filter(([, who]) => (Array.isArray(who) ? who.includes(personId) : who === personId)).map(([role]) => role);
  for (const d of input.departments) {
    if (d.owner === personId) roles.push(`owner:${d.id}`);
    if (d.leader === personId) roles.push(`leader:${d.id}`);
  }
  return roles;
}
