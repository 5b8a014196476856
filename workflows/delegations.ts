// 委托 / 转办 in the cycle workflow: who hands what to whom, and each open deliverable told at once.
// The deliverables decide who may act (the delegate only where the person they act for may act now),
// and route reminders to the delegate with the person who delegated in copy.
import { getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import type { AuditInput } from '../domain/audit.js';
import { rolesOf, settingsOf, type CycleInput } from '../domain/cycle.js';
import { concerning, delegationProblem, MAX_DELEGATIONS, type Delegation, type DelegationProblem } from '../domain/delegation.js';
import { deliverablesFor } from '../domain/deliverables.js';
import { clip, delegateLimits, tooManyMessage } from '../domain/limits.js';
import type { Notice } from '../domain/notices.js';
import { PHASES } from '../domain/phases.js';
import { localDateOf, toZonedIso } from '../domain/time.js';
import {
  delegateUpdate, delegationsSignal, revokeDelegationUpdate,
  type DelegateRequest, type DeliverableSnapshot, type RevokeDelegationRequest,
} from './definitions.js';
import { invalid, notFound } from './input-errors.js';
import { conflict, refuse } from './refuse.js';

export interface DelegationContext {
  cycle: CycleInput;
  workflowId: string;
  record: (e: AuditInput) => void;
  nowIso: () => string;
  /** Notices raised about an item as it stands (stamped and gathered like the deliverables' own). */
  raise: (notices: Notice[], about: DeliverableSnapshot) => void;
  deliverables: () => ReadonlyMap<string, DeliverableSnapshot>;
  /** The cycle holds its items: they read the delegations when they need them, nothing to signal. */
  itemsHeld?: boolean;
}

/** Delegations in force (not revoked, not ended) at once: each open deliverable carries them. */
export const MAX_ACTIVE_DELEGATIONS = 30;

const PROBLEM: Record<DelegationProblem['code'], string> = {
  self: '不能委托给自己 / cannot delegate to oneself',
  dates: '委托期间须为两个日期 YYYY-MM-DD，开始不晚于结束 / a span needs a start and an end YYYY-MM-DD, the start not after the end',
  'end-passed': '委托期间已经过去 / the span has already ended',
  'span-too-long': '委托期间最长 92 天 / a span is at most 92 days',
};

const open = (d: DeliverableSnapshot) => d.state === 'open' || d.state === 'in-review';

export function installDelegations(ctx: DelegationContext, initial: Delegation[] = []) {
  const { cycle, record, nowIso } = ctx;
  const list: Delegation[] = [...initial];
  const today = () => localDateOf(new Date(), cycle.timeZone);
  // A notice's slot is its whole minute, as the deliverables make theirs.
  const minuteIso = () => toZonedIso(new Date(Math.floor(new Date().getTime() / 60_000) * 60_000), cycle.timeZone);
  const inForce = () => list.filter((d) => !d.revokedAt && (!d.end || d.end >= today()));
  const roleOf = (id: string) => rolesOf(cycle, id).join(' ') || 'none';
  const people = (item: DeliverableSnapshot): string[] => {
    const spec = PHASES.flatMap((p) => deliverablesFor(p, cycle)).find((s) => s.id === item.id);
    return spec ? [spec.owner, ...spec.stages.map((s) => s.person)] : [item.owner, ...item.actors];
  };
  /** Whether `id` has anything a delegate could do for them in this cycle. */
  const hasWork = (id: string) => rolesOf(cycle, id).length > 0 || settingsOf(cycle).reviewTeam.includes(id)
    || [...ctx.deliverables().values()].some((d) => people(d).includes(id));

  const mayDelegate = (req: DelegateRequest): string => {
    const from = req.from ?? req.actor;
    const coordinator = cycle.roles.coordinator;
    if (from !== req.actor && req.actor !== coordinator) {
      refuse(`${clip(req.actor)} 无权替 ${clip(from)} 委托，只有本人或 ${coordinator} 可以 / ${clip(req.actor)} may not delegate for ${clip(from)}; only they or ${coordinator} may`);
    }
    if (req.deliverableId !== undefined) {
      const item = ctx.deliverables().get(req.deliverableId);
      if (!item) notFound(`deliverableId: 没有事项 ${clip(req.deliverableId)} / no such item`);
      if (!people(item).includes(from)) refuse(`${clip(from)} 不办理「${item.title.zh}」，无从委托 / ${clip(from)} has no part in ${item.id} to delegate`);
      if (!open(item)) conflict(`${item.id} 当前状态为 ${item.state}，无需委托 / is ${item.state}: nothing to delegate`, item);
    } else if (!hasWork(from)) {
      refuse(`${clip(from)} 在本周期中没有职责，无从委托 / ${clip(from)} has no part in this cycle to delegate`);
    }
    if (typeof req.to !== 'string' || !req.to || typeof req.toName !== 'string' || !req.toName) invalid('to: 须指明受托人 / the colleague to act is required');
    const problem = delegationProblem({ ...req, from }, today());
    if (problem) invalid(`${problem.field}: ${PROBLEM[problem.code]}`);
    if (list.length >= MAX_DELEGATIONS) invalid(`delegations: ${tooManyMessage('delegations', MAX_DELEGATIONS)}`);
    if (inForce().length >= MAX_ACTIVE_DELEGATIONS) invalid(`delegations: 同时有效的委托过多，请先收回不再需要的 / ${tooManyMessage('delegations in force', MAX_ACTIVE_DELEGATIONS)}`);
    return from;
  };

  const mayRevoke = (req: RevokeDelegationRequest): Delegation => {
    const d = list.find((x) => x.id === req.id);
    if (!d) notFound(`id: 没有委托 ${clip(req.id)} / no such delegation`);
    if (![d.from, d.by, cycle.roles.coordinator].includes(req.actor)) {
      refuse(`${clip(req.actor)} 无权收回委托 ${d.id}，只有 ${d.from} 或 ${cycle.roles.coordinator} 可以 / ${clip(req.actor)} may not revoke delegation ${d.id}`);
    }
    if (d.revokedAt) conflict(`委托 ${d.id} 已于 ${d.revokedAt} 收回 / delegation ${d.id} was revoked at ${d.revokedAt}`, d);
    return d;
  };

  /** Every open item it concerns learns the new list before the caller hears back: the delegate may act at once. */
  const tell = async (d: Delegation) => {
    const items = [...ctx.deliverables().values()].filter((x) => open(x) && (!d.deliverableId || d.deliverableId === x.id));
    if (ctx.itemsHeld) return items;
    await Promise.all(items.map(async (x) => {
      try {
        await getExternalWorkflowHandle(`${ctx.workflowId}.${x.id}`).signal(delegationsSignal, concerning(inForce(), x.id));
      } catch {
        // Finished in the meantime: nothing left to act on.
      }
    }));
    return items;
  };

  setHandler(delegateUpdate, async (req) => {
    const from = mayDelegate(req);
    const reason = req.reason?.trim();
    const d: Delegation = {
      id: list.length + 1, from, to: req.to, toName: req.toName, by: req.actor, at: nowIso(),
      ...(req.deliverableId !== undefined ? { deliverableId: req.deliverableId } : { start: req.start, end: req.end }),
      ...(reason && { reason }),
    };
    list.push(d);
    record({
      actor: req.actor, role: roleOf(req.actor), action: 'delegated', subject: d.deliverableId ?? cycle.cycleId,
      detail: `to=${d.to}${d.start ? ` ${d.start}..${d.end}` : ''}${reason ? `: ${reason}` : ''}`, ...(from !== req.actor && { onBehalfOf: from }),
    });
    const items = await tell(d);
    // Whoever takes over an item waiting for them now hears of it at once; the one delegated for by the coordinator too.
    for (const x of items.filter((i) => i.actors.includes(from))) {
      const base = { slot: minuteIso(), kind: 'delegated' as const, deliverableId: x.id, title: x.title, due: x.due, owner: x.owner, waitingFor: from };
      ctx.raise([{ ...base, to: d.to, onBehalfOf: from }, ...(req.actor !== from ? [{ ...base, to: from, delegatedTo: d.to }] : [])], x);
    }
    return d;
  }, { validator: (req) => { within(delegateLimits(req)); mayDelegate(req); } });

  setHandler(revokeDelegationUpdate, async (req) => {
    const d = mayRevoke(req);
    d.revokedAt = nowIso();
    d.revokedBy = req.actor;
    record({ actor: req.actor, role: roleOf(req.actor), action: 'delegation-revoked', subject: d.deliverableId ?? cycle.cycleId, detail: `id=${d.id} to=${d.to}`, ...(d.from !== req.actor && { onBehalfOf: d.from }) });
    await tell(d);
    return d;
  }, { validator: (req) => { within(typeof req?.id === 'number' ? undefined : 'id: 应为数字 / expected a number'); mayRevoke(req); } });

  return {
    /** Every delegation made, for the status and the next run. */
    all: (): Delegation[] => list,
    /** The delegations in force that concern an item (one the cycle holds reads them when it needs them). */
    forItem: (id: string): Delegation[] => concerning(inForce(), id),
    /** What a deliverable starting now is handed (absent when nothing concerns it: older runs started theirs without). */
    forNewItem: (id: string): Delegation[] | undefined => {
      const c = concerning(inForce(), id);
      return c.length ? c : undefined;
    },
  };
}

/** Size limits come before every other check: a refusal must not carry a huge value anywhere. */
function within(error: string | undefined) {
  if (error) refuse(error);
}
