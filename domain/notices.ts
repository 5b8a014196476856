// A notice is one line of a mail: the deliverables of one person that fall due in the same slot
// are gathered into one message by the cycle workflow.
import type { ChaseKind } from './chase.js';
import type { Text } from './deliverables.js';

export type NoticeKind = ChaseKind | 'assigned' | 'review-requested' | 'rejected' | 'accepted' | 'urged' | 'extended' | 'delegated';

export interface Notice {
  /** The instant the notice was due (its mail groups by recipient and slot). */
  slot: string;
  to: string;
  kind: NoticeKind;
  deliverableId: string;
  title: Text;
  due: string;
  owner: string;
  /** Who must act now: the owner, or the reviewer while it is in review. */
  waitingFor?: string;
  daysBefore?: number;
  /** Why it was sent back, or why its deadline was extended. */
  reason?: string;
  /** For an urge (催办): who urged, and their words. */
  urgedBy?: string;
  message?: string;
  /** When the cycle received it (epoch ms): its mail waits the grace from here, not from the slot's minute. */
  raisedMs?: number;
  /** The item's state when the cycle received it (domain/chase-mail.ts): a mail leaves out what changed since. */
  itemState?: string;
  /** The item's department, for a digest grouped by department. */
  department?: string;
  /** For an escalation: the how-many-th of the item's current deadline (1 = the first). */
  escalation?: number;
  /** For the escalation to whoever must act: the others told at the same time. */
  copied?: string[];
  /** To a delegate (委托): whom they act for. */
  onBehalfOf?: string;
  /** To the person who delegated, in copy: who acts for them. */
  delegatedTo?: string;
}
