// When someone who owes a deliverable is written to: reminders before the deadline, escalation after it.
import { DateTime } from 'luxon';
import type { ReminderPolicy } from './cycle-file.js';
import { addDays, atHour, localDateOf, type LocalDate } from './time.js';
import { addWorkdays, type WorkCalendar } from './workdays.js';

export type ChaseKind = 'reminder' | 'escalate-leader' | 'escalate-director' | 'overdue-repeat';

export interface ChaseEvent {
  at: string;
  kind: ChaseKind;
  /** For reminders: how many calendar days before the deadline. */
  daysBefore?: number;
  to: ('actor' | 'leader' | 'director')[];
}

/**
 * The whole chase for one deadline, in time order and without end: reminders, the two escalations,
 * then a repeat every `repeatEveryWorkdays` working days until the thing is delivered (or
 * `maxRepeats`, when set). The caller skips what is already past.
 */
export function* chaseEvents(due: string, policy: ReminderPolicy, cal: WorkCalendar, zone: string): Generator<ChaseEvent> {
  const dueDay: LocalDate = localDateOf(due, zone);
  const at = (d: LocalDate) => atHour(d, policy.hour, zone);
  const firstDirector = addWorkdays(dueDay, policy.directorAfterWorkdays, cal);
  const head: ChaseEvent[] = [
    ...[...new Set(policy.daysBefore)].map((n) => ({ at: at(addDays(dueDay, -n)), kind: 'reminder' as const, daysBefore: n, to: ['actor' as const] })),
    { at: at(addDays(dueDay, policy.leaderAfterDays)), kind: 'escalate-leader', to: ['leader', 'actor'] },
    { at: at(firstDirector), kind: 'escalate-director', to: ['director', 'actor'] },
  ];
  const ms = (e: ChaseEvent) => DateTime.fromISO(e.at).toMillis();
  yield* head.sort((a, b) => ms(a) - ms(b));
  let day = [firstDirector, addDays(dueDay, policy.leaderAfterDays)].sort().at(-1) as LocalDate;
  for (let i = 0; policy.maxRepeats === undefined || i < policy.maxRepeats; i += 1) {
    day = addWorkdays(day, policy.repeatEveryWorkdays, cal);
    yield { at: at(day), kind: 'overdue-repeat', to: ['director', 'actor'] };
  }
}
