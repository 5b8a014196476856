// Cycles for the live benchmark (scripts/bench-live.ts): unit i's example cycle (scenario.ts unitCycle)
// with its calendar moved so that, on the dev server's real clock, one chase instant falls on `slot`.
//
// A chase instant is `policy.hour`:00 of a day in the cycle's zone (domain/chase.ts), so a calendar
// moved by whole days can only hit a whole hour of a real zone. To hit any minute, the cycle gets a
// fixed-offset zone (luxon's `UTC+5:37`) in which `slot` is exactly 09:00: the same code paths as
// Asia/Shanghai, the mails just name that offset. Everything else (roles, policy except the grace,
// the gaps between the document's dates) stays the example's.
import { DateTime } from 'luxon';
import { chaseEvents, chaseOffsetSeconds } from '../../domain/chase.js';
import { cycleIdOf, type CycleInput } from '../../domain/cycle.js';
import { deliverablesFor } from '../../domain/deliverables.js';
import { buildWorkCalendar } from '../../domain/official-holidays.js';
import { addDays, type LocalDate } from '../../domain/time.js';

/** What the plan's deadline is, seen from the slot's day D, and so what falls due at the slot. */
export const GROUPS = {
  /** Due end of D: the 0-days-before reminder to the office at the slot. */
  reminder: 0,
  /** Due end of D−1: the next-day escalation (director, office in copy) at the slot. */
  escalation: -1,
  /** Due end of D+2: nothing at the slot (reminders D+1, D+2); the burst acts on these. */
  quiet: 2,
} as const;
export type Group = keyof typeof GROUPS;

/** A fixed-offset zone (within ±12 h) in which `slot` (a whole minute) reads `hour`:00. */
export function zoneWithHourAt(slot: Date, hour: number): string {
  if (slot.getTime() % 60_000 !== 0) throw new Error(`slot ${slot.toISOString()}: not a whole minute`);
  const utcMinutes = slot.getUTCHours() * 60 + slot.getUTCMinutes();
  let offset = (((hour * 60 - utcMinutes) % 1440) + 1440) % 1440;
  if (offset > 720) offset -= 1440;
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  return `UTC${offset < 0 ? '-' : '+'}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
}

const dayDiff = (a: LocalDate, b: LocalDate) =>
  Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);

/**
 * `input` for the slot's year, its whole calendar shifted (gaps kept) so that the plan is due
 * `GROUPS[group]` days from the slot's local day; the digest grace set to `graceSeconds`, the chase
 * spread over `spreadMinutes` after the slot (each cycle at its own second, domain/chase.ts).
 */
export function liveCycle(input: CycleInput, slot: Date, group: Group, graceSeconds: number, spreadMinutes = 0): CycleInput {
  const timeZone = zoneWithHourAt(slot, input.policy.hour);
  const slotDay = DateTime.fromJSDate(slot).setZone(timeZone).toISODate()!;
  const shift = dayDiff(input.dates.planSubmission, addDays(slotDay, GROUPS[group]));
  const dates = Object.fromEntries(Object.entries(input.dates).map(([k, d]) => [k, addDays(d, shift)])) as CycleInput['dates'];
  const year = Number(slotDay.slice(0, 4));
  return {
    ...input,
    cycleId: cycleIdOf(input.unit.id, year),
    year,
    timeZone,
    dates,
    policy: { ...input.policy, digestGraceSeconds: graceSeconds, ...(spreadMinutes > 0 && { spreadMinutes }) },
    // As resolveCycle builds it (the example names no holidays of its own): official days, a year past the end.
    workCalendar: buildWorkCalendar(`${year}-01-01`, addDays(dates.rectification, 366)),
  };
}

/**
 * The digests the cycle owes at `slot` (and its own offset in the spread) as it opens (one per person chased then),
 * straight from the product's own chase schedule: a check that the calendar was moved right, and the
 * count to wait for.
 */
export function digestsAt(cycle: CycleInput, slot: Date): { to: string; kind: string }[] {
  const out: { to: string; kind: string }[] = [];
  const offset = chaseOffsetSeconds(cycle.cycleId, cycle.policy);
  const instant = slot.getTime() + offset * 1000;
  for (const spec of deliverablesFor('plan', cycle)) {
    for (const ev of chaseEvents(spec.due, cycle.policy, cycle.workCalendar, cycle.timeZone, offset)) {
      const at = DateTime.fromISO(ev.at).toMillis();
      if (at > instant) break;
      if (at < instant) continue;
      const who = ev.to.map((t) => (t === 'actor' ? spec.owner : t === 'leader' ? spec.leader : spec.director));
      for (const to of new Set(who)) out.push({ to, kind: ev.kind });
    }
  }
  return out;
}

/** `label`: what kind of action it is, for latency by kind (the plan's last approval opens a phase). */
export interface Action { act: 'submit' | 'approve'; item: string; actor: string; label: string }

/**
 * One unit's actions, each by the person who may take it, in the order they can come: the plan
 * (office, HR, the leading group: the last opens the summary phase, 16 items), then every department's
 * summary, submitted by its head and accepted by its leader.
 */
export function unitActions(c: CycleInput): Action[] {
  const r = c.roles;
  return [
    { act: 'submit', item: 'plan', actor: r.coordinator, label: 'plan: submit' },
    { act: 'approve', item: 'plan', actor: r.hrReviewer, label: 'plan: HR approval' },
    { act: 'approve', item: 'plan', actor: r.approver, label: 'plan: final approval (opens the summary phase)' },
    ...c.departments.flatMap((d): Action[] => [
      { act: 'submit', item: `summary-${d.id}`, actor: d.owner, label: 'summary: submit' },
      { act: 'approve', item: `summary-${d.id}`, actor: d.leader, label: 'summary: approval' },
    ]),
  ];
}
