import type { Notice, NoticeKind } from './notices.js';

/** The longest wait between two rounds of tries of a mail (or chat message) that did not go out. */
export const MAX_RETRY_ROUND_SECONDS = 30 * 60;

/**
 * How long after its `round`-th failed round of tries a mail is tried again: `firstSeconds`
 * (`reminders.mailRetrySeconds`, a minute unless the cycle says otherwise), doubled each round, half an
 * hour at most. Cycles started before the setting existed have none: theirs is the minute they had.
 */
export function retryRoundDelayMs(round: number, firstSeconds = 60): number {
  return Math.min(MAX_RETRY_ROUND_SECONDS, 2 ** (round - 1) * firstSeconds) * 1000;
}

/** One mail per recipient and slot, in a stable order so replays and retries build the same mails. */
export function groupNotices(notices: Notice[]): { to: string; slot: string; notices: Notice[] }[] {
  const groups = new Map<string, { to: string; slot: string; notices: Notice[] }>();
  for (const n of notices) {
    const key = `${n.slot}|${n.to}`;
    const g = groups.get(key) ?? { to: n.to, slot: n.slot, notices: [] };
    g.notices.push(n);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.slot + a.to).localeCompare(b.slot + b.to));
}

const SCHEDULED: ReadonlySet<NoticeKind> = new Set<NoticeKind>(['reminder', 'escalate-leader', 'escalate-director', 'overdue-repeat']);

/**
 * When the mail of a notice falls due (epoch ms), its grace of gathering included. An urge goes at once
 * (`urgeAtOnce`). A chase (reminder, escalation, repeat) falls due on its schedule (`fromSchedule`): a
 * grace after its slot, the instant it was scheduled for, however late its timer woke the cycle — a
 * Temporal timer runs from the end of the task that set it, so it fires late by as long as that task took,
 * seconds on a busy worker, and the grace absorbs that — or at once if raised later still. Any other
 * notice waits the grace after it was raised: its slot is the whole minute it came in, and from the slot
 * one raised late in its minute would go out at once.
 */
export function mailDueAt(n: Notice, graceMs: number, rules: { urgeAtOnce: boolean; fromSchedule: boolean }): number {
  const raised = n.raisedMs ?? 0;
  if (rules.urgeAtOnce && n.kind === 'urged') return raised;
  const slot = Date.parse(n.slot);
  if (rules.fromSchedule && SCHEDULED.has(n.kind)) return Math.max(slot + graceMs, raised);
  return Math.max(slot, raised) + graceMs;
}
