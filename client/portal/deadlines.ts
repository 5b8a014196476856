// The whole cycle's deadlines, for its calendar: what the personal iCalendar feed gives one person
// (client/portal/tasks.ts: deadlinesOf, and the calendar's deliverables not opened yet), here for every
// item the viewer may see, each with whose deadline it is.
import type { CycleInput } from '../../domain/cycle.js';
import { deliverablesFor, type DeliverableSpec, type DeliverableState, type Text } from '../../domain/deliverables.js';
import { PHASES, type Phase } from '../../domain/phases.js';
import type { StatusView } from '../cycle-client.js';
import { specOf } from './rights.js';
import { deadlinesOf, opensOn } from './tasks.js';

/** The deliverables of the phases still to come that have not opened (all of them before the cycle starts). */
export function specsToCome(input: CycleInput, status: Pick<StatusView, 'phase' | 'deliverables'> | undefined): DeliverableSpec[] {
  const opened = new Set(status?.deliverables.map((d) => d.id) ?? []);
  const phases = status ? PHASES.slice(PHASES.indexOf(status.phase) + 1) : PHASES;
  return phases.flatMap((p) => deliverablesFor(p, input)).filter((s) => !opened.has(s.id));
}

export interface CalendarEntry {
  deliverableId: string;
  title: Text;
  department?: string;
  /** Whose deadline: the owner's to hand it in, or a reviewer's. */
  kind: 'submit' | 'review';
  due: string;
  /** Who must act by then (ids; the page says their names). */
  who: string[];
  state: DeliverableState | 'not-started';
  /** The deadline of whoever must act now, passed by this many days (else 0). */
  overdueDays: number;
  /** Not open yet: when it opens (as My tasks says it), and the day the calendar plans for that. */
  opens?: { phase: Phase; on?: string };
}

/**
 * Every deadline of the items in `status` (already filtered to what the viewer may see) and of those
 * to come that `visible` lets through, sorted by date. An open item: the owner's deadline, and the
 * reviewer's when the calendar fixes it; in review: the reviewer's (and the owner's, kept for the
 * record); done or closed: the owner's. An item still to come: the owner's, and the first fixed review.
 */
export function cycleDeadlines(input: CycleInput, status: StatusView | undefined, visible: (s: DeliverableSpec) => boolean): CalendarEntry[] {
  const opened = (status?.deliverables ?? []).flatMap((d): CalendarEntry[] => {
    const dl = deadlinesOf(d, input);
    const spec = specOf(input, d.id);
    const base = { deliverableId: d.id, title: d.title, ...(d.department && { department: d.department }), state: d.state };
    const live = d.state === 'open' || d.state === 'in-review';
    const submit = d.state === 'open' ? d.due : dl.submit ?? (live ? undefined : spec?.due ?? d.due);
    const reviewer = d.state === 'in-review' ? d.actors : spec?.stages[0] ? [spec.stages[0].person] : [];
    return [
      ...(submit ? [{ ...base, kind: 'submit' as const, due: submit, who: [d.owner], overdueDays: d.state === 'open' ? d.overdueDays : 0 }] : []),
      ...(dl.review && live ? [{ ...base, kind: 'review' as const, due: dl.review, who: reviewer, overdueDays: d.state === 'in-review' ? d.overdueDays : 0 }] : []),
    ];
  });
  const phaseOf = new Map(PHASES.flatMap((p) => deliverablesFor(p, input).map((s) => [s.id, p] as const)));
  const toCome = specsToCome(input, status).filter(visible).flatMap((s): CalendarEntry[] => {
    const phase = phaseOf.get(s.id) ?? 'plan';
    const on = opensOn(phase, input.dates);
    const base = { deliverableId: s.id, title: s.title, ...(s.department && { department: s.department }), state: 'not-started' as const, overdueDays: 0, opens: { phase, ...(on && { on }) } };
    const review = s.stages.find((st) => st.due);
    return [
      { ...base, kind: 'submit', due: s.due, who: [s.owner] },
      ...(review?.due ? [{ ...base, kind: 'review' as const, due: review.due, who: [review.person] }] : []),
    ];
  });
  return [...opened, ...toCome].sort((a, b) => Date.parse(a.due) - Date.parse(b.due));
}
