// What the dashboard's chart "items overdue over time" measures, derived from a cycle's status.
//
// At the end of each day (24:00 in the cycle's zone; the last point is now), the number of items then
// waiting for someone whose deadline had passed by a day or more: the dashboard's 逾期, so the last point
// is the dashboard's count. The status tells each item's waits: the owner's from its opening to each
// submission (and from a sending back to the next one), each reviewer's from the submission or the
// previous approval to their decision; and the deadline of the wait still running (`due`, extensions
// included). A finished wait's deadline is not kept, so it comes from the rule that set it: for the
// owner's first hand-in the calendar's (an extension granted before it was handed in is not known);
// for a review the stage's fixed date, but no sooner than `reviewWorkdays` working days after the wait
// began (the workflow's rule). A finished resubmission after a sending back had a deadline the reviewer
// may have chosen, which the status does not keep: it is not counted. When an item opened and closed is
// in the audit, not the status: it counts from its opening (or the cycle's start), never before.
import type { AuditEntry } from '../../domain/audit.js';
import type { CycleInput } from '../../domain/cycle.js';
import type { DeliverableState } from '../../domain/deliverables.js';
import { addDays, endOfDay, localDateOf, overdueDays, type LocalDate } from '../../domain/time.js';
import { addWorkdays, type WorkCalendar } from '../../domain/workdays.js';
import { specOf } from './rights.js';

/** One item as the status holds it, with the calendar's deadlines and its opening and closing. */
export interface ItemHistory {
  state: DeliverableState;
  /** The deadline of whoever must act now. */
  due: string;
  submissions: { at: string }[];
  reviews: { at: string; decision: 'approved' | 'rejected' }[];
  /** The calendar's deadline for the owner's first hand-in; unknown for items the calendar does not list. */
  firstDue?: string;
  /** Each review stage's fixed deadline, if it has one. */
  stages: { due?: string }[];
  openedAt?: string;
  closedAt?: string;
}

export interface HistoryOptions {
  /** The cycle's start: nothing counts before it. */
  from: string;
  now: string;
  zone: string;
  reviewWorkdays: number;
  workCalendar: WorkCalendar;
}

export interface HistoryPoint { day: LocalDate; count: number }

interface Wait { from: string; to?: string; due?: string }

const ms = (iso: string) => Date.parse(iso);
const later = (a: string, b: string) => (ms(a) >= ms(b) ? a : b);

function waitsOf(item: ItemHistory, o: HistoryOptions): Wait[] {
  const reviewDue = (stage: number, began: string) => {
    const byRule = endOfDay(addWorkdays(localDateOf(began, o.zone), o.reviewWorkdays, o.workCalendar), o.zone);
    const fixed = item.stages[stage]?.due;
    return fixed ? later(fixed, byRule) : byRule;
  };
  // A submission and a decision at the same instant: the submission came first.
  const events = [
    ...item.submissions.map((s) => ({ at: s.at, kind: 'submit' as const })),
    ...item.reviews.map((r) => ({ at: r.at, kind: r.decision })),
  ].sort((a, b) => ms(a.at) - ms(b.at) || (a.kind === 'submit' ? -1 : b.kind === 'submit' ? 1 : 0));
  const waits: Wait[] = [];
  let start = item.openedAt ?? o.from;
  let handedIn = 0;
  let stage = 0;
  for (const e of events) {
    if (e.kind === 'submit') {
      const due = handedIn === 0 ? item.firstDue : undefined;
      waits.push({ from: start, to: e.at, ...(due && { due }) });
      handedIn += 1;
      stage = 0;
    } else {
      waits.push({ from: start, to: e.at, due: reviewDue(stage, start) });
      stage = e.kind === 'approved' ? stage + 1 : 0;
    }
    start = e.at;
  }
  if (item.state === 'open' || item.state === 'in-review') waits.push({ from: start, due: item.due });
  if (item.state === 'closed') waits.push({ from: start, to: item.closedAt ?? start, due: item.due });
  return waits;
}

function overdueAt(waits: Wait[], at: string, zone: string): boolean {
  const t = ms(at);
  return waits.some((w) => ms(w.from) <= t && (w.to === undefined || t < ms(w.to)) && w.due !== undefined && overdueDays(w.due, new Date(t), zone) > 0);
}

/** Longer spans are sampled once a week (and today), so a chart keeps a readable number of points. */
const DAILY_UP_TO = 92;

export function overdueHistory(items: readonly ItemHistory[], o: HistoryOptions): HistoryPoint[] {
  const first = localDateOf(o.from, o.zone);
  const today = localDateOf(o.now, o.zone);
  const days: LocalDate[] = [];
  for (let d = first; d <= today; d = addDays(d, 1)) days.push(d);
  const step = days.length > DAILY_UP_TO ? 7 : 1;
  const sampled = days.filter((d, i) => i % step === 0 || d === today);
  const waits = items.map((item) => waitsOf(item, o));
  return sampled.map((day) => {
    const at = day === today ? o.now : endOfDay(day, o.zone);
    return { day, count: waits.filter((w) => overdueAt(w, at, o.zone)).length };
  });
}

/**
 * The items of a status as the history reads them: the calendar's deadlines from the cycle's input,
 * openings and closings from its audit; the start is the audit's first entry (the cycle started).
 */
export function historyOf(
  deliverables: readonly (Pick<ItemHistory, 'state' | 'due' | 'submissions' | 'reviews'> & { id: string })[],
  input: CycleInput, audit: readonly AuditEntry[], now: string,
): { items: ItemHistory[]; options: HistoryOptions } {
  const at = (action: string) => new Map(audit.filter((e) => e.action === action).map((e) => [e.subject, e.at]));
  const opened = at('deliverable-opened');
  const closed = at('deliverable-closed');
  const items = deliverables.map((d): ItemHistory => {
    const spec = specOf(input, d.id);
    const openedAt = opened.get(d.id);
    const closedAt = closed.get(d.id);
    return {
      state: d.state, due: d.due, submissions: d.submissions, reviews: d.reviews, stages: spec?.stages.map((s) => (s.due ? { due: s.due } : {})) ?? [],
      ...(spec && { firstDue: spec.due }), ...(openedAt && { openedAt }), ...(closedAt && { closedAt }),
    };
  });
  const from = audit[0]?.at ?? [...opened.values()].sort((a, b) => ms(a) - ms(b))[0] ?? now;
  return { items, options: { from, now, zone: input.timeZone, reviewWorkdays: input.policy.reviewWorkdays, workCalendar: input.workCalendar } };
}
