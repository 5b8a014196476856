// A person's tasks: what waits for them now (from the running cycle's status) and the deadlines the
// cycle will set later (from the cycle's calendar), with days left counted in the cycle's zone.
import { DateTime } from 'luxon';
import type { CycleInput } from '../../domain/cycle.js';
import { deliverablesFor, type Text } from '../../domain/deliverables.js';
import { PHASES, type Phase } from '../../domain/phases.js';
import type { DeliverableSnapshot } from '../../workflows/definitions.js';
import type { StatusView } from '../cycle-client.js';
import { specOf } from './rights.js';

export interface Task {
  cycleId: string;
  deliverableId: string;
  title: Text;
  /** What the person must do: hand it in, or review it. */
  kind: 'submit' | 'review';
  due: string;
  /** Calendar days from today to the due day in the cycle's zone; negative when overdue. */
  daysLeft: number;
  /** The owner's and the reviewer's deadlines, each shown apart (when the cycle's input is known). */
  deadlines?: Deadlines;
  /** Not open yet (a later phase): when it opens, and the day the calendar plans for that. */
  opens?: { phase: Phase; on?: string };
}

/**
 * An item's two deadlines: the owner's (to submit) and the reviewer's (to review). The status carries
 * only the deadline of whoever must act now, so the other one comes from the calendar: the owner's
 * deadline of an item in review is the calendar's unless it was sent back (then unknown here: the
 * submission's time is shown); the review deadline of an open item is the calendar's when it fixes one,
 * otherwise `reviewWorkdays` working days after the submission.
 */
export interface Deadlines {
  submit?: string;
  submittedAt?: string;
  review?: string;
  /** When it was accepted (by its last reviewer). */
  acceptedAt?: string;
  reviewWorkdays?: number;
  /** No review stage: accepted on submission. */
  noReview?: boolean;
}

export function deadlinesOf(d: Pick<DeliverableSnapshot, 'id' | 'state' | 'stage' | 'due' | 'ownerDue' | 'submissions' | 'reviews'>, input: CycleInput | undefined): Deadlines {
  const spec = input && specOf(input, d.id);
  const sentBack = d.reviews.some((r) => r.decision === 'rejected');
  // The owner's deadline as the item keeps it (after a send-back or an extension); older items only knew the first.
  const submit = d.state === 'open' ? d.due : d.ownerDue ?? (sentBack ? undefined : spec?.due);
  const submittedAt = d.state === 'open' ? undefined : d.submissions.at(-1)?.at;
  const stage = spec?.stages[d.state === 'in-review' ? d.stage : 0];
  const review = d.state === 'in-review' ? d.due : d.state === 'open' ? stage?.due : undefined;
  const acceptedAt = d.state === 'accepted' ? d.reviews.at(-1)?.at : undefined;
  return {
    ...(submit && { submit }), ...(submittedAt && { submittedAt }), ...(review && { review }), ...(acceptedAt && { acceptedAt }),
    ...(d.state === 'open' && stage && !stage.due && input && { reviewWorkdays: input.policy.reviewWorkdays }),
    ...(spec && spec.stages.length === 0 && { noReview: true }),
  };
}

/** The day the calendar plans for a phase to open (its deliverables with it); none for the first. */
export function opensOn(phase: Phase, dates: CycleInput['dates']): string | undefined {
  const on: Partial<Record<Phase, string>> = {
    summary: dates.planApproval, review: dates.reviewStart, scoring: dates.reviewEnd, publication: dates.scoring, rectification: dates.publication,
  };
  return on[phase];
}

export function daysLeft(due: string, now: Date | string, zone: string): number {
  const dueDay = DateTime.fromISO(due).setZone(zone).startOf('day');
  const today = (typeof now === 'string' ? DateTime.fromISO(now) : DateTime.fromJSDate(now)).setZone(zone).startOf('day');
  return Math.round(dueDay.diff(today, 'days').days);
}

export function currentTasks(personId: string, status: StatusView, input?: CycleInput): Task[] {
  return status.deliverables
    .filter((d) => (d.state === 'open' || d.state === 'in-review') && d.actors.includes(personId))
    .map((d): Task => ({
      cycleId: status.cycleId, deliverableId: d.id, title: d.title, kind: d.state === 'open' ? 'submit' : 'review',
      due: d.due, daysLeft: daysLeft(d.due, status.asOf, status.timeZone), ...(input && { deadlines: deadlinesOf(d, input) }),
    }))
    .sort((a, b) => a.due.localeCompare(b.due));
}

/**
 * Deadlines of deliverables not opened yet (or of a cycle not started): the owner's due date, and a
 * reviewer's when the calendar fixes it (the plan's approval). A review deadline set at submission is
 * not known in advance. Each says when it opens: an item not open yet is never overdue.
 */
export function upcomingTasks(personId: string, input: CycleInput, status: StatusView | undefined, now: Date): Task[] {
  const opened = new Set(status?.deliverables.map((d) => d.id) ?? []);
  const asOf = status?.asOf ?? now.toISOString();
  return PHASES.flatMap((phase) => deliverablesFor(phase, input).map((s) => ({ phase, s })))
    .filter(({ s }) => !opened.has(s.id))
    .flatMap(({ phase, s }): Task[] => {
      const on = opensOn(phase, input.dates);
      const base = { cycleId: input.cycleId, deliverableId: s.id, title: s.title, opens: { phase, ...(on && { on }) } };
      const fixedReview = s.stages.find((st) => st.due)?.due;
      const deadlines: Deadlines = {
        submit: s.due, ...(fixedReview && { review: fixedReview }),
        ...(s.stages.length && !fixedReview && { reviewWorkdays: input.policy.reviewWorkdays }), ...(!s.stages.length && { noReview: true }),
      };
      const own: Task[] = s.owner === personId ? [{ ...base, kind: 'submit', due: s.due, daysLeft: daysLeft(s.due, asOf, input.timeZone), deadlines }] : [];
      const review = s.stages.filter((st) => st.person === personId && st.due)
        .map((st): Task => ({ ...base, kind: 'review', due: st.due!, daysLeft: daysLeft(st.due!, asOf, input.timeZone), deadlines }));
      return [...own, ...review.slice(0, 1)];
    })
    .sort((a, b) => a.due.localeCompare(b.due));
}
