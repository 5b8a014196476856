import type { Notice } from './notices.js';

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
