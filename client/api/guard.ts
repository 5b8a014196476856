// The API's rights check for one cycle. Every refusal goes to the cycle's audit (the same
// "refused" entry a refusal by the workflow leaves) before the 403 goes back.
import type { FastifyRequest } from 'fastify';
import type { CycleInput } from '../../domain/cycle.js';
import type { DeliverableStatus, StatusView } from '../cycle-client.js';
import { UserError } from '../errors.js';
import { localDateOf } from '../../domain/time.js';
import { canSee, delegateMember, mayAct, memberOf, whoMayAct, withDelegations, type Member, type Verb } from '../portal/rights.js';
import { actorOf } from './plugins/actor.js';
import type { ApiContext } from './context.js';

/** Without input and member only for a trusted-header operator on a cycle the portal has no directory for. */
export type Access = { actor: string; input: CycleInput; member: Member; /** in the cycle's zone, for delegations */ today: string }
  | { actor: string; input?: undefined; member?: undefined; today?: undefined };

export async function refuse(ctx: ApiContext, request: FastifyRequest, cycleId: string, r: { actor: string; action: string; subject: string; reason: string }): Promise<never> {
  try {
    await ctx.cycles.recordRefusal(cycleId, r);
  } catch (err) {
    // A cycle not started yet (or already gone) has no audit to write to: the log keeps it.
    request.log.warn({ err, refusal: r }, 'refusal not audited');
  }
  throw new UserError(r.reason, 'refused');
}

/** The caller must be a person of the cycle. */
export async function access(ctx: ApiContext, request: FastifyRequest, cycleId: string, action = 'view'): Promise<Access> {
  const actor = actorOf(request);
  const input = await ctx.directory.get(cycleId);
  if (!input) {
    if (request.signedInBy === 'header') return { actor };
    throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
  }
  // A colleague acting for someone (委托) is a person of the cycle while a delegation to them stands.
  const today = localDateOf(ctx.now(), input.timeZone);
  const member = memberOf(input, actor)
    ?? delegateMember(actor, (await ctx.cycles.status(cycleId).catch(() => undefined))?.delegations, today);
  if (!member) {
    return refuse(ctx, request, cycleId, { actor, action, subject: cycleId, reason: `${actor} 不是评估周期 ${cycleId} 的人员 / ${actor} is not a person of cycle ${cycleId}` });
  }
  return { actor, input, member, today };
}

/** The caller with the delegations to them the status holds (a person of the cycle may act for another too). */
export function delegated(a: Access, s: Pick<StatusView, 'delegations'>): Access {
  return a.member ? { ...a, member: withDelegations(a.member, s.delegations, a.today) } : a;
}

/** The status with only what the caller may see. */
export function visibleStatus(a: Access, s: StatusView): StatusView {
  if (!a.member) return s;
  const m = withDelegations(a.member, s.delegations, a.today);
  return { ...s, deliverables: s.deliverables.filter((d) => canSee(m, d, a.input)) };
}

export async function findDeliverable(ctx: ApiContext, request: FastifyRequest, given: Access, cycleId: string, deliverableId: string, action = 'view'): Promise<{ status: StatusView; d: DeliverableStatus; a: Access }> {
  const status = await ctx.cycles.status(cycleId);
  const a = delegated(given, status);
  const d = status.deliverables.find((x) => x.id === deliverableId);
  if (!d) throw new UserError(`${cycleId} 中没有事项 ${deliverableId} / no deliverable ${deliverableId} in ${cycleId}`, 'not-found');
  if (a.member && !canSee(a.member, d, a.input)) {
    return refuse(ctx, request, cycleId, { actor: a.actor, action, subject: deliverableId, reason: `${a.actor} 无权查看「${d.title.zh}」/ ${a.actor} may not see ${deliverableId}` });
  }
  return { status, d, a };
}

/** Before any action on a deliverable: signed in and in the cycle, may see it, may do this to it (each refusal audited). */
export async function authorizeAction(ctx: ApiContext, request: FastifyRequest, cycleId: string, deliverableId: string, verb: Verb): Promise<{ a: Access; d: DeliverableStatus }> {
  const { d, a } = await findDeliverable(ctx, request, await access(ctx, request, cycleId, verb), cycleId, deliverableId, verb);
  await mayDo(ctx, request, a, cycleId, verb, d);
  return { a, d };
}

const VERB_ZH: Record<Verb, string> = { submit: '提交', approve: '审批', reject: '退回', urge: '催办', extend: '延期' };

export async function mayDo(ctx: ApiContext, request: FastifyRequest, a: Access, cycleId: string, verb: Verb, d: DeliverableStatus): Promise<void> {
  if (!a.member || mayAct(a.member, verb, d, a.input)) return;
  const who = whoMayAct(verb, d, a.input).join(', ') || '-';
  await refuse(ctx, request, cycleId, {
    actor: a.actor, action: verb, subject: d.id,
    reason: `${a.actor} 无权${VERB_ZH[verb]}「${d.title.zh}」，应由 ${who} 办理 / ${a.actor} may not ${verb} ${d.id}; only ${who} may`,
  });
}
