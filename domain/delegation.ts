// 委托 / 转办: a person hands one item, or all their items for a span of days (out of office), to a
// colleague of the directory, who then acts for them. The delegate acts only where the person they act
// for may act now: rights stay the principal's, checked by the deliverable workflow at every action.
// Pure (no Node, no clock): the workflows, the API and the pages decide with the same functions.
import { addDays, isValidLocalDate, localDateOf } from './time.js';

export interface Delegation {
  /** Numbered within the cycle, from 1. */
  id: number;
  /** Who hands over (the principal). */
  from: string;
  /** The colleague who acts for them, with the name the directory had when it was made. */
  to: string;
  toName: string;
  /** One item; absent: every item of the principal from `start` to `end`. */
  deliverableId?: string;
  /** YYYY-MM-DD, both days included, in the cycle's zone. */
  start?: string;
  end?: string;
  reason?: string;
  /** Who made it: the principal, or the coordinator handing someone's work on (转办). */
  by: string;
  at: string;
  revokedBy?: string;
  revokedAt?: string;
}

/** At most this many delegations in a cycle (revoked ones count): each is carried by the cycle's state. */
export const MAX_DELEGATIONS = 200;

/** Whether `d` covers item `deliverableId` on `day` (YYYY-MM-DD), whoever it is from. */
export function covers(d: Delegation, deliverableId: string, day: string): boolean {
  if (d.revokedAt) return false;
  if (d.deliverableId) return d.deliverableId === deliverableId;
  return !!d.start && !!d.end && d.start <= day && day <= d.end;
}

/** The delegation in force for `principal` on the item at `instant` (the latest made wins), if any. */
export function activeDelegation(list: readonly Delegation[], principal: string, deliverableId: string, instant: Date | string, zone: string): Delegation | undefined {
  const day = localDateOf(instant, zone);
  let found: Delegation | undefined;
  for (const d of list) if (d.from === principal && covers(d, deliverableId, day) && (!found || d.id > found.id)) found = d;
  return found;
}

/** The delegations a cycle sends a deliverable: its own and every span (others never concern it). */
export const concerning = (list: readonly Delegation[], deliverableId: string): Delegation[] =>
  list.filter((d) => !d.revokedAt && (!d.deliverableId || d.deliverableId === deliverableId));

export interface DelegationProblem { field: 'to' | 'start' | 'end'; code: 'self' | 'dates' | 'end-passed' | 'span-too-long' }

/** The longest span of days one delegation may cover: a long absence is a change in the directory, not a delegation. */
export const MAX_SPAN_DAYS = 92;

/** What is wrong with a new delegation's own values (rights and the item's state are the workflow's). */
export function delegationProblem(req: { from: string; to: string; deliverableId?: string; start?: string; end?: string }, today: string): DelegationProblem | undefined {
  if (req.to === req.from) return { field: 'to', code: 'self' };
  if (req.deliverableId) return undefined;
  if (!req.start || !req.end || !isValidLocalDate(req.start) || !isValidLocalDate(req.end) || req.start > req.end) return { field: 'start', code: 'dates' };
  if (req.end < today) return { field: 'end', code: 'end-passed' };
  if (addDays(req.start, MAX_SPAN_DAYS) <= req.end) return { field: 'end', code: 'span-too-long' };
  return undefined;
}
