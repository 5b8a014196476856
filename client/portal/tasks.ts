// A person's tasks: what waits for them now (from the running cycle's status) and the deadlines the
// cycle will set later (from the cycle's calendar), with days left counted in the cycle's zone.
import { DateTime } from 'luxon';
import type { CycleInput } from '../../domain/cycle.js';
import type { Text } from '../../domain/deliverables.js';
import type { StatusView } from '../cycle-client.js';
import { allSpecs } from './rights.js';

export interface Task {
  cycleId: string;
  deliverableId: string;
  title: Text;
  /** What the person must do: hand it in, or review it. */
  kind: 'submit' | 'review';
  due: string;
  /** Calendar days from today to the due day in the cycle's zone; negative when overdue. */
  daysLeft: number;
}

export function daysLeft(due: string, now: Date | string, zone: string): number {
  const dueDay = DateTime.fromISO(due).setZone(zone).startOf('day');
  const today = (typeof now === 'string' ? DateTime.fromISO(now) : DateTime.fromJSDate(now)).setZone(zone).startOf('day');
  return Math.round(dueDay.diff(today, 'days').days);
}

export function currentTasks(personId: string, status: StatusView): Task[] {
  return status.deliverables
    .filter((d) => (d.state === 'open' || d.state === 'in-review') && d.actors.includes(personId))
    .map((d): Task => ({
      cycleId: status.cycleId, deliverableId: d.id, title: d.title, kind: d.state === 'open' ? 'submit' : 'review',
      due: d.due, daysLeft: daysLeft(d.due, status.asOf, status.timeZone),
    }))
    .sort((a, b) => a.due.localeCompare(b.due));
}

/**
 * Deadlines of deliverables not opened yet (or of a cycle not started): the owner's due date, and a
 * reviewer's when the calendar fixes it (the plan's approval). A review deadline set at submission is
 * not known in advance.
 */
export function upcomingTasks(personId: string, input: CycleInput, status: StatusView | undefined, now: Date): Task[] {
  const opened = new Set(status?.deliverables.map((d) => d.id) ?? []);
  const asOf = status?.asOf ?? now.toISOString();
  return allSpecs(input)
    .filter((s) => !opened.has(s.id))
    .flatMap((s): Task[] => {
      const base = { cycleId: input.cycleId, deliverableId: s.id, title: s.title };
      const own: Task[] = s.owner === personId ? [{ ...base, kind: 'submit', due: s.due, daysLeft: daysLeft(s.due, asOf, input.timeZone) }] : [];
      const review = s.stages.filter((st) => st.person === personId && st.due)
        .map((st): Task => ({ ...base, kind: 'review', due: st.due!, daysLeft: daysLeft(st.due!, asOf, input.timeZone) }));
      return [...own, ...review.slice(0, 1)];
    })
    .sort((a, b) => a.due.localeCompare(b.due));
}
