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

/** The whole chase for one deadline, in time order. The caller skips events already in the past. */
export function chaseSchedule(due: string, policy: ReminderPolicy, cal: WorkCalendar, zone: string): ChaseEvent[] {
  const dueDay: LocalDate = localDateOf(due, zone);
  const at = (d: LocalDate) => atHour(d, policy.hour, zone);
  const events: ChaseEvent[] = [...new Set(policy.daysBefore)].map((n) => ({
    at: at(addDays(dueDay, -n)), kind: 'reminder' as const, daysBefore: n, to: ['actor' as const],
  }));
  events.push({ at: at(addDays(dueDay, policy.leaderAfterDays)), kind: 'escalate-leader', to: ['leader', 'actor'] });
  let day = addWorkdays(dueDay, policy.directorAfterWorkdays, cal);
  events.push({ at: at(day), kind: 'escalate-director', to: ['director', 'actor'] });
  for (let i = 0; i < policy.maxRepeats; i += 1) {
    day = addWorkdays(day, policy.repeatEveryWorkdays, cal);
    events.push({ at: at(day), kind: 'overdue-repeat', to: ['director', 'actor'] });
  }
  return events.sort((a, b) => DateTime.fromISO(a.at).toMillis() - DateTime.fromISO(b.at).toMillis());
}
