import type { Notice } from './notices.js';

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
