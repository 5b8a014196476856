// The cycle resource over HTTP: the same operations as the CLI, through the same CycleClient, for
// the signed-in person and only as far as their role allows (guard.ts).
import type { FastifyInstance } from 'fastify';
import { startCycleFile } from '../../cycle-start.js';
import { auditCsv } from '../../audit-format.js';
import { auditNames, auditWords } from '../../portal/audit-text.js';
import { UserError } from '../../errors.js';
import { auditFilterOf, filterAudit } from '../../portal/audit-filter.js';
import { visibleAudit } from '../../portal/rights.js';
import { currentTasks, upcomingTasks } from '../../portal/tasks.js';
import type { FileRef } from '../../../workflows/definitions.js';
import type { ApiContext } from '../context.js';
import { access, authorizeAction, findDeliverable, visibleStatus } from '../guard.js';
import { actorOf } from '../plugins/actor.js';
import { recordUses } from '../../file-store.js';
import { checkStored } from '../uploads.js';
import { sendSubmittedFile } from '../downloads.js';
import { delegationRoutes } from './delegations.js';
import {
  approveBody, auditQuerystring, cycleParams, deliverableParams, errorResponse, extendBody, fileParams, rejectBody, submitBody, urgeBody,
} from '../schemas/cycle.js';

type DeliverableParams = { cycleId: string; deliverableId: string };
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 500: errorResponse };

export function cycleRoutes(ctx: ApiContext) {
  const { cycles } = ctx;
  return async (app: FastifyInstance) => {
    app.get('/api/cycles', { schema: { summary: 'The cycles of the signed-in person', tags: ['cycles'], response: { 401: errorResponse } } }, async (request) => {
      const actor = actorOf(request);
      const ids = request.signedInBy === 'header' ? await ctx.directory.ids() : (await ctx.users.get(actor))?.cycles ?? [];
      const out = [];
      for (const id of ids) {
        const input = await ctx.directory.get(id);
        if (input) out.push({ cycleId: id, unit: input.unit, year: input.year, dates: input.dates });
      }
      return out;
    });

    app.post('/api/cycles', {
      schema: {
        summary: 'Start a cycle from a cycle file (JSON body) naming people by their directory id; only a directory admin or the unit\'s registered coordinator may',
        tags: ['cycles'], body: { type: 'object' }, response: { ...errors },
      },
    }, async (request, reply) => reply.status(201).send({ cycleId: await startCycleFile(ctx, request.body, actorOf(request)) }));

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId', {
      schema: { summary: 'Status: phase and the deliverables the caller may see', tags: ['cycles'], params: cycleParams, response: { ...errors } },
    }, async (request) => {
      const a = await access(ctx, request, request.params.cycleId);
      return visibleStatus(a, await cycles.status(request.params.cycleId));
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/tasks', {
      schema: { summary: 'The caller\'s tasks now (with days left) and the deadlines still to come', tags: ['cycles'], params: cycleParams, response: { ...errors } },
    }, async (request) => {
      const a = await access(ctx, request, request.params.cycleId);
      const status = await cycles.status(request.params.cycleId).catch((err: unknown) => {
        if (err instanceof UserError && err.code === 'not-found') return undefined;
        throw err;
      });
      return {
        current: status ? currentTasks(a.actor, status) : [],
        upcoming: a.input ? upcomingTasks(a.actor, a.input, status, ctx.now()) : [],
      };
    });

    app.get<{ Params: { cycleId: string }; Querystring: Record<string, string> }>('/api/cycles/:cycleId/audit', {
      schema: { summary: 'Audit trail, filtered; CSV with format=csv', tags: ['cycles'], params: cycleParams, querystring: auditQuerystring, response: { ...errors } },
    }, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'audit');
      const status = await cycles.status(cycleId);
      let entries = await cycles.audit(cycleId);
      if (a.member) entries = visibleAudit(a.member, entries, new Set(visibleStatus(a, status).deliverables.map((d) => d.id)));
      entries = filterAudit(entries, auditFilterOf(request.query), status.timeZone);
      if (request.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${cycleId}-audit.csv"`)
          .send(`\uFEFF${auditCsv(entries, auditWords(request.query.lang === 'en' ? 'en' : 'zh', entries, auditNames(a.input, { items: status.deliverables, ...(status.delegations && { delegations: status.delegations }) })).map((w) => w.text))}`);
      }
      return entries;
    });

    app.post<{ Params: DeliverableParams; Body: { note?: string; files?: FileRef[] } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/submit',
      { schema: { summary: 'Submit a deliverable (its owner only); upload files first with POST /api/files', tags: ['deliverables'], params: deliverableParams, body: submitBody, response: { ...errors } } },
      async (request) => {
        const { cycleId, deliverableId } = request.params;
        const { a } = await authorizeAction(ctx, request, cycleId, deliverableId, 'submit');
        const files = request.body.files ?? [];
        await checkStored(ctx, request, { actor: a.actor, cycleId, subject: deliverableId, action: 'submit' }, files);
        const snap = await cycles.submit(cycleId, deliverableId, { actor: a.actor, ...request.body });
        await recordUses(cycles.store, { cycleId, subject: deliverableId, kind: 'submission', by: a.actor }, files);
        return snap;
      },
    );

    app.post<{ Params: DeliverableParams; Body: { comment?: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/approve',
      { schema: { summary: 'Approve a deliverable (the reviewer it waits for only)', tags: ['deliverables'], params: deliverableParams, body: approveBody, response: { ...errors } } },
      async (request) => {
        const { cycleId, deliverableId } = request.params;
        const { a } = await authorizeAction(ctx, request, cycleId, deliverableId, 'approve');
        return cycles.approve(cycleId, deliverableId, { actor: a.actor, ...request.body });
      },
    );

    app.post<{ Params: DeliverableParams; Body: { reason: string; due?: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/reject',
      { schema: { summary: 'Reject a deliverable with a reason (the reviewer it waits for only)', tags: ['deliverables'], params: deliverableParams, body: rejectBody, response: { ...errors } } },
      async (request) => {
        const { cycleId, deliverableId } = request.params;
        const { a } = await authorizeAction(ctx, request, cycleId, deliverableId, 'reject');
        return cycles.reject(cycleId, deliverableId, { actor: a.actor, ...request.body });
      },
    );

    app.post<{ Params: DeliverableParams; Body: { message?: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/urge',
      { schema: { summary: 'Urge (催办) whoever must act on an open item now, by one mail at once; the coordinator, the director and its responsible leader only; once a day per person urged (409)', tags: ['deliverables'], params: deliverableParams, body: urgeBody, response: { ...errors } } },
      async (request) => {
        const { cycleId, deliverableId } = request.params;
        const { a } = await authorizeAction(ctx, request, cycleId, deliverableId, 'urge');
        return cycles.urge(cycleId, deliverableId, { actor: a.actor, ...request.body });
      },
    );

    app.post<{ Params: DeliverableParams; Body: { due: string; reason: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/extend',
      { schema: { summary: 'Extend (延期) an open item\'s deadline to a later day, with a reason; the coordinator only; the chase starts again from it', tags: ['deliverables'], params: deliverableParams, body: extendBody, response: { ...errors } } },
      async (request) => {
        const { cycleId, deliverableId } = request.params;
        const { a } = await authorizeAction(ctx, request, cycleId, deliverableId, 'extend');
        return cycles.extend(cycleId, deliverableId, { actor: a.actor, ...request.body });
      },
    );

    app.get<{ Params: DeliverableParams & { sha256: string } }>('/api/cycles/:cycleId/deliverables/:deliverableId/files/:sha256', {
      schema: { summary: 'Download a file handed in with a deliverable', tags: ['deliverables'], params: fileParams, response: { 401: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (request, reply) => {
      const { cycleId, deliverableId, sha256 } = request.params;
      const a = await access(ctx, request, cycleId, 'download');
      const { d } = await findDeliverable(ctx, request, a, cycleId, deliverableId, 'download');
      return sendSubmittedFile(ctx, reply, cycleId, d, sha256);
    });

    await app.register(delegationRoutes(ctx));
  };
}
