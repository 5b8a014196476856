// 委托 / 转办 on the portal: what an item's page and "my tasks" show of delegations, and the forms' POSTs
// (made through the API's one path, routes/delegations.ts: the same rights, checks and audit).
import type { FastifyInstance } from 'fastify';
import type { CycleInput } from '../../../domain/cycle.js';
import { activeDelegation, type Delegation } from '../../../domain/delegation.js';
import { html, type Html } from '../../portal/html.js';
import type { Lang } from '../../portal/i18n.js';
import { awayForm, delegationList } from '../../portal/pages/delegations.js';
import { currentTasks, type Task } from '../../portal/tasks.js';
import { localDateOf } from '../../../domain/time.js';
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import { UserError } from '../../errors.js';
import { memberOf, specOf } from '../../portal/rights.js';
import type { DelegationView } from '../../portal/pages/delegations.js';
import type { ApiContext } from '../context.js';
import { access, type Access } from '../guard.js';
import { colleaguesOf, delegate } from '../routes/delegations.js';
import { cycleParams } from '../schemas/cycle.js';
import { delegationParams } from '../schemas/delegation.js';

type Form = Record<string, string | undefined>;

/** Names of the cycle's people and of the colleagues its delegations name. */
export function namesWithDelegates(input: CycleInput | undefined, status: Pick<StatusView, 'delegations'>): (id: string) => string {
  return (id) => input?.people.find((p) => p.id === id)?.name ?? status.delegations?.find((d) => d.to === id)?.toName ?? id;
}

const mayRevoke = (actor: string, input: CycleInput | undefined, d: Delegation) => [d.from, d.by, input?.roles.coordinator].includes(actor);

/** An item's people: its owner and the persons of its review stages. */
const peopleOf = (a: Access, d: DeliverableStatus) => [d.owner, ...(a.input ? specOf(a.input, d.id)?.stages.map((s) => s.person) ?? [] : [])];

/** The item page's delegations that stand on it, and the form to hand it on when the reader may. */
export async function itemDelegations(ctx: ApiContext, a: Access, status: StatusView, d: DeliverableStatus): Promise<{ delegations: DelegationView[]; delegate?: { colleagues: { id: string; name: string }[]; from?: { id: string; name: string } } }> {
  const today = a.today ?? '';
  const involved = peopleOf(a, d);
  const delegations = (status.delegations ?? [])
    .filter((x) => !x.revokedAt && (x.deliverableId ? x.deliverableId === d.id : (x.end ?? '') >= today && involved.includes(x.from)))
    .map((x) => ({ d: x, canRevoke: mayRevoke(a.actor, a.input, x) }));
  const waiting = d.state === 'open' || d.state === 'in-review';
  if (!waiting || !a.input) return { delegations };
  // One of its people hands their part on; the coordinator hands on the part of whoever must act now.
  const own = involved.includes(a.actor);
  const now = d.actors[0];
  const from = own ? undefined : a.actor === a.input.roles.coordinator && now ? now : null;
  if (from === null) return { delegations };
  const fromName = from && (a.input.people.find((p) => p.id === from)?.name ?? from);
  return { delegations, delegate: { colleagues: await colleaguesOf(ctx, from ?? a.actor), ...(from && fromName && { from: { id: from, name: fromName } }) } };
}

/** The tasks `me` does for others now (委托), each with the name of whom they act for. */
export function actingForTasks(me: string, status: StatusView, input: CycleInput): (Task & { for: string })[] {
  const mine = (status.delegations ?? []).filter((d) => d.to === me && !d.revokedAt);
  const names = (id: string) => input.people.find((p) => p.id === id)?.name ?? id;
  return [...new Set(mine.map((d) => d.from))].filter((p) => p !== me).flatMap((p) => currentTasks(p, status, input)
    .filter((t) => activeDelegation(mine, p, t.deliverableId, status.asOf, input.timeZone))
    .map((t) => ({ ...t, for: names(p) })));
}

/** On "my tasks", per cycle: the delegations from and to me that stand, and the out-of-office form for someone with work in it. */
export async function myDelegations(ctx: ApiContext, lang: Lang, me: string, input: CycleInput, status: StatusView): Promise<Html> {
  const today = localDateOf(status.asOf, input.timeZone);
  const list = (status.delegations ?? []).filter((d) => !d.revokedAt && (d.from === me || d.to === me || d.by === me) && (!d.end || d.end >= today))
    .map((d) => ({ d, canRevoke: mayRevoke(me, input, d) }));
  const m = memberOf(input, me);
  const hasWork = !!m && (m.roles.length > 0 || m.owns.length > 0 || m.leads.length > 0 || m.reviewer) && status.phase !== 'closed';
  const nameOf = namesWithDelegates(input, status);
  return html`${delegationList(lang, input.cycleId, input.timeZone, list, nameOf, '/tasks')}${hasWork ? awayForm(lang, input.cycleId, `${input.unit.name} ${input.year}`, await colleaguesOf(ctx, me)) : ''}`;
}

/** Where a form sends the browser back: a page of this site only. */
const backTo = (back: string | undefined, fallback: string) => (back && /^\/(?:tasks|cycles\/[\w-]+(?:\/d\/[\w-]+)?)$/.test(back) ? back : fallback);

export function delegationPages(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { cycleId: string }; Body: Form }>('/cycles/:cycleId/delegations', { schema: { hide: true, params: cycleParams } }, async (request, reply) => {
      const { cycleId } = request.params;
      const f = request.body ?? {};
      const text = (k: string) => f[k]?.trim() || undefined;
      const to = text('to');
      if (!to) throw new UserError('to: 请选择受托同事 / choose the colleague to act');
      const deliverableId = text('deliverableId');
      const [start, end, from, reason] = [text('start'), text('end'), text('from'), text('reason')?.slice(0, 2000)];
      await delegate(ctx, request, cycleId, {
        to, ...(deliverableId ? { deliverableId } : { ...(start && { start }), ...(end && { end }) }), ...(from && { from }), ...(reason && { reason }),
      });
      return reply.redirect(`${backTo(f.back, `/cycles/${cycleId}`)}?done=delegated`, 303);
    });

    app.post<{ Params: { cycleId: string; delegationId: number }; Body: Form }>('/cycles/:cycleId/delegations/:delegationId/revoke', { schema: { hide: true, params: delegationParams } }, async (request, reply) => {
      const { cycleId, delegationId } = request.params;
      const { actor } = await access(ctx, request, cycleId, 'revokeDelegation');
      await ctx.cycles.revokeDelegation(cycleId, { actor, id: delegationId });
      return reply.redirect(`${backTo(request.body?.back, `/cycles/${cycleId}`)}?done=revoked`, 303);
    });
  };
}
