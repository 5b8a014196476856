// What the cycle workflow needs to build a mail that is still true when it leaves: the state a notice
// speaks of, the notices still current, and the names the mail shows. Pure (runs in the workflow).
import type { Notice } from './notices.js';
import type { MailDirectory } from './mail-text.js';

/** The item's state as far as a notice is concerned: who must act (state, review stage) on which submission. */
export function itemStateOf(s: { state: string; stage: number; submissions: readonly unknown[] }): string {
  return `${s.state}/${s.stage}/${s.submissions.length}`;
}

/**
 * The notices whose item is still in the state they were raised in. A notice without a recorded
 * state (raised by an older version) is kept, as is one whose item the cycle does not know.
 */
export function currentNotices(notices: readonly Notice[], now: (deliverableId: string) => Parameters<typeof itemStateOf>[0] | undefined): Notice[] {
  return notices.filter((n) => {
    const s = now(n.deliverableId);
    return n.itemState === undefined || !s || itemStateOf(s) === n.itemState;
  });
}

/** The names of the people and departments the notices speak of, from the cycle's directory. */
export function mailDirectory(
  cycle: { people: readonly { id: string; name: string }[]; departments: readonly { id: string; name: string }[] },
  notices: readonly Notice[],
): MailDirectory {
  const people = new Set(notices.flatMap((n) => [n.owner, n.waitingFor ?? n.owner, ...(n.copied ?? []), ...(n.urgedBy ? [n.urgedBy] : []),
    ...(n.onBehalfOf ? [n.onBehalfOf] : []), ...(n.delegatedTo ? [n.delegatedTo] : [])]));
  const departments = new Set(notices.flatMap((n) => (n.department ? [n.department] : [])));
  return {
    people: cycle.people.filter((p) => people.has(p.id)).map(({ id, name }) => ({ id, name })),
    // In the cycle's order: a digest lists equally late departments in that order.
    departments: cycle.departments.filter((d) => departments.has(d.id)).map(({ id, name }) => ({ id, name })),
  };
}
