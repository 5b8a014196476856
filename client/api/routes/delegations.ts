// 委托 / 转办 over HTTP: a person hands one item, or all their items for a span of days, to a colleague
// of the organisation directory; the coordinator may hand someone's work on. The colleague is looked up
// in the directory here (the workflow keeps the name it had); who may act stays the workflow's to decide.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Delegation } from '../../../domain/delegation.js';
import { UserError } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { access, refuse } from '../guard.js';
import { cycleParams, errorResponse } from '../schemas/cycle.js';
import { delegateBody, delegationParams, type DelegateBody } from '../schemas/delegation.js';

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse };

/** The one way a delegation is made (the API and the portal's forms): rights, the colleague looked up, then the cycle. */
export async function delegate(ctx: ApiContext, request: FastifyRequest, cycleId: string, body: DelegateBody): Promise<Delegation> {
  const { cycles } = ctx;
  const directory = cycles.store.directory;
  const { actor, input } = await access(ctx, request, cycleId, 'delegate');
  const from = body.from ?? actor;
  if (input && from !== actor && actor !== input.roles.coordinator) {
    return refuse(ctx, request, cycleId, {
      actor, action: 'delegate', subject: body.deliverableId ?? cycleId,
      reason: `${actor} 无权替 ${from} 委托，只有本人或局办公室可以 / ${actor} may not delegate for ${from}; only they or the coordinator may`,
    });
  }
  if (!body.deliverableId && (!body.start || !body.end)) {
    throw new UserError('start: 委托一个事项须指明 deliverableId，委托一段时间须指明 start 和 end / give deliverableId for one item, or start and end for a span');
  }
  // A colleague: in the directory, and in the same unit as the person handing over (when they have one).
  const [colleague, owner] = [await directory.person(body.to), await directory.person(from)];
  if (!colleague) throw new UserError(`to: 组织目录中没有 ${body.to} / no person ${body.to} in the directory`);
  if (owner?.unit && colleague.unit !== owner.unit) {
    throw new UserError(`to: ${colleague.name} 不是 ${owner.name} 所在单位的人员 / ${colleague.name} is not of ${owner.name}'s unit`);
  }
  const d = await cycles.delegate(cycleId, {
    actor, to: colleague.id, toName: colleague.name, ...(body.from && { from: body.from }),
    ...(body.deliverableId ? { deliverableId: body.deliverableId } : { start: body.start, end: body.end }), ...(body.reason && { reason: body.reason }),
  });
  // The cycle appears among the colleague's own.
  await cycles.store.accounts.addMembers(cycleId, [colleague.id]);
  return d;
}

/** The colleagues `from` may hand work to: the directory's people of their unit (everyone, for someone of no unit), not themselves. */
export async function colleaguesOf(ctx: ApiContext, from: string): Promise<{ id: string; name: string }[]> {
  const directory = ctx.cycles.store.directory;
  const unit = (await directory.person(from))?.unit;
  return (await directory.people()).filter((p) => p.id !== from && (!unit || p.unit === unit)).map((p) => ({ id: p.id, name: p.name }));
}

export function delegationRoutes(ctx: ApiContext) {
  const { cycles } = ctx;
  return async (app: FastifyInstance) => {
    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/delegations', {
      schema: { summary: 'Every delegation (委托) of the cycle, revoked ones too', tags: ['delegations'], params: cycleParams, response: { 401: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (request): Promise<Delegation[]> => {
      await access(ctx, request, request.params.cycleId);
      return (await cycles.status(request.params.cycleId)).delegations ?? [];
    });

    app.post<{ Params: { cycleId: string }; Body: DelegateBody }>('/api/cycles/:cycleId/delegations', {
      schema: {
        summary: 'Hand one item, or all one\'s items from start to end, to a colleague of the directory, who then acts where one may act; the coordinator may hand on someone else\'s (转办)',
        tags: ['delegations'], params: cycleParams, body: delegateBody, response: errors,
      },
    }, async (request, reply): Promise<Delegation> => reply.code(201).send(await delegate(ctx, request, request.params.cycleId, request.body)));

    app.post<{ Params: { cycleId: string; delegationId: number } }>('/api/cycles/:cycleId/delegations/:delegationId/revoke', {
      schema: { summary: 'Take a delegation back: who made it, whose work it is, or the coordinator', tags: ['delegations'], params: delegationParams, response: errors },
    }, async (request): Promise<Delegation> => {
      const { cycleId, delegationId } = request.params;
      const { actor } = await access(ctx, request, cycleId, 'revokeDelegation');
      return cycles.revokeDelegation(cycleId, { actor, id: delegationId });
    });
  };
}
