// When someone who owes a deliverable is written to: reminders before the deadline, escalation after it.
import type { ReminderPolicy } from './cycle-file.js';
import { addDays, atHour, localDateOf, millisUntil, type LocalDate } from './time.js';
import { addWorkdays, type WorkCalendar } from './workdays.js';

const EPOCH = new Date(0);

export type ChaseKind = 'reminder' | 'escalate-leader' | 'escalate-director' | 'overdue-repeat';

export interface ChaseEvent {
  at: string;
  kind: ChaseKind;
  /** For reminders: how many calendar days before the deadline. */
  daysBefore?: number;
  to: ('actor' | 'leader' | 'director')[];
}

/**
 * The second after `policy.hour` at which cycle `key` is chased: fixed for the cycle, spread evenly
 * (a hash of the key) over `policy.spreadMinutes`, so that the many cycles of a city or province,
 * which share a calendar, do not all fall due at one instant. 0 without a spread.
 */
export function chaseOffsetSeconds(key: string, policy: Pick<ReminderPolicy, 'spreadMinutes'>): number {
  const window = (policy.spreadMinutes ?? 0) * 60;
  if (window <= 0) return 0;
  // FNV-1a (32 bits): a stable, well-mixed hash; nothing secret depends on it.
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h % window;
}

/**
 * The whole chase for one deadline, in time order and without end: reminders, the two escalations,
 * then a repeat every `repeatEveryWorkdays` working days until the thing is delivered (or
 * `maxRepeats`, when set), each at `policy.hour` and `offsetSeconds` (chaseOffsetSeconds). The caller
 * skips what is already past.
 */
export function* chaseEvents(due: string, policy: ReminderPolicy, cal: WorkCalendar, zone: string, offsetSeconds = 0): Generator<ChaseEvent> {
  const dueDay: LocalDate = localDateOf(due, zone);
  const at = (d: LocalDate) => atHour(d, policy.hour, zone, offsetSeconds);
  const firstDirector = addWorkdays(dueDay, policy.directorAfterWorkdays, cal);
  const head: ChaseEvent[] = [
    ...[...new Set(policy.daysBefore)].map((n) => ({ at: at(addDays(dueDay, -n)), kind: 'reminder' as const, daysBefore: n, to: ['actor' as const] })),
    { at: at(addDays(dueDay, policy.leaderAfterDays)), kind: 'escalate-leader', to: ['leader', 'actor'] },
    { at: at(firstDirector), kind: 'escalate-director', to: ['director', 'actor'] },
  ];
  const ms = (e: ChaseEvent) => millisUntil(e.at, EPOCH);
  yield* head.sort((a, b) => ms(a) - ms(b));
  let day = [firstDirector, addDays(dueDay, policy.leaderAfterDays)].sort().at(-1) as LocalDate;
  for (let i = 0; policy.maxRepeats === undefined || i < policy.maxRepeats; i += 1) {
    day = addWorkdays(day, policy.repeatEveryWorkdays, cal);
    yield { at: at(day), kind: 'overdue-repeat', to: ['director', 'actor'] };
  }
}
