// The cycle's records kept in the database: the audit chain's check, the review package archived
// when the review window closed, and the mails held up or delivered after failures. For the people
// who follow the whole cycle (office, director, efficiency office); anyone else is refused and the
// refusal audited.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserError } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { access, refuse } from '../guard.js';
import { mailNews } from '../pages/cycle-pages.js';
import { mailReason } from '../../portal/pages/cycle.js';
import { DEFAULT_ZONE } from '../../../domain/time.js';
import { cycleParams, errorResponse } from '../schemas/cycle.js';

const errors = { 401: errorResponse, 403: errorResponse, 404: errorResponse };

async function unitWide(ctx: ApiContext, request: FastifyRequest, cycleId: string, action: string): Promise<void> {
  const a = await access(ctx, request, cycleId, action);
  if (!a.member || a.member.unitWide) return;
  await refuse(ctx, request, cycleId, {
    actor: a.actor, action, subject: cycleId,
    reason: `${a.actor} 无权查看整个周期的记录，仅局办公室、局长和市效能办可以 / ${a.actor} may not read the whole cycle's records; only the office, the director and the efficiency office may`,
  });
}

export function recordRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/audit/verify', {
      schema: { summary: 'Recompute the audit\'s hash chain; names the first row that does not match', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      await unitWide(ctx, request, request.params.cycleId, 'verifyAudit');
      return ctx.cycles.verifyAudit(request.params.cycleId);
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/review-package', {
      schema: { summary: 'Everything collected when the review window closed', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      await unitWide(ctx, request, request.params.cycleId, 'reviewPackage');
      const pkg = await ctx.cycles.store.cycles.reviewPackage(request.params.cycleId);
      if (pkg === undefined) throw new UserError(`${request.params.cycleId}: 考评窗口尚未关闭，还没有考评材料包 / the review window has not closed: no review package yet`, 'not-found');
      return pkg;
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/mail', {
      schema: { summary: 'Mails held up (still retried, or refused) and those delivered after failures in the last day', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      const { cycleId } = request.params;
      await unitWide(ctx, request, cycleId, 'mailTroubles');
      const input = await ctx.directory.get(cycleId);
      const news = await mailNews(ctx, cycleId, input?.people ?? [], input?.timeZone ?? DEFAULT_ZONE);
      // The reason in plain words in both languages, as the dashboard says it, then the server's own.
      const said = news.map((m) => ({ ...m, ...(m.reason && { reason: { ...m.reason, zh: mailReason('zh', m.reason.kind), en: mailReason('en', m.reason.kind) } }) }));
      return { cycleId, mail: said.filter((m) => m.state !== 'delivered'), delivered: said.filter((m) => m.state === 'delivered') };
    });
  };
}
