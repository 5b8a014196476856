// The cycle resource over HTTP: the same operations as the CLI, through the same CycleClient.
import type { FastifyInstance } from 'fastify';
import type { CycleClient } from '../../cycle-client.js';
import { resolveCycleData } from '../../cycle-file-loader.js';
import { auditCsv } from '../../audit-format.js';
import { actorOf } from '../plugins/actor.js';
import {
  approveBody, auditQuerystring, cycleParams, deliverableParams, errorResponse, rejectBody, submitBody,
} from '../schemas/cycle.js';

type DeliverableParams = { cycleId: string; deliverableId: string };
const errors = { 400: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 500: errorResponse };

export function cycleRoutes(cycles: CycleClient) {
  return async (app: FastifyInstance) => {
    app.post('/api/cycles', {
      schema: { summary: 'Start a cycle from a cycle file (JSON body)', body: { type: 'object' }, response: { ...errors } },
    }, async (request, reply) => {
      const input = resolveCycleData(request.body, 'body');
      const cycleId = await cycles.start(input, actorOf(request));
      return reply.status(201).send({ cycleId });
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId', {
      schema: { summary: 'Status: phase and deliverables', params: cycleParams, response: { ...errors } },
    }, async (request) => cycles.status(request.params.cycleId));

    app.get<{ Params: { cycleId: string }; Querystring: { format: 'json' | 'csv' } }>('/api/cycles/:cycleId/audit', {
      schema: { summary: 'Audit trail', params: cycleParams, querystring: auditQuerystring, response: { ...errors } },
    }, async (request, reply) => {
      const entries = await cycles.audit(request.params.cycleId);
      if (request.query.format === 'csv') {
        return reply.type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${request.params.cycleId}-audit.csv"`)
          .send(`\uFEFF${auditCsv(entries)}`);
      }
      return entries;
    });

    app.post<{ Params: DeliverableParams; Body: { note?: string; files?: { name: string; sha256: string; size: number }[] } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/submit',
      { schema: { summary: 'Submit a deliverable', params: deliverableParams, body: submitBody, response: { ...errors } } },
      async (request) => cycles.submit(request.params.cycleId, request.params.deliverableId, { actor: actorOf(request), ...request.body }),
    );

    app.post<{ Params: DeliverableParams; Body: { comment?: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/approve',
      { schema: { summary: 'Approve a deliverable', params: deliverableParams, body: approveBody, response: { ...errors } } },
      async (request) => cycles.approve(request.params.cycleId, request.params.deliverableId, { actor: actorOf(request), ...request.body }),
    );

    app.post<{ Params: DeliverableParams; Body: { reason: string; due?: string } }>(
      '/api/cycles/:cycleId/deliverables/:deliverableId/reject',
      { schema: { summary: 'Reject a deliverable with a reason', params: deliverableParams, body: rejectBody, response: { ...errors } } },
      async (request) => cycles.reject(request.params.cycleId, request.params.deliverableId, { actor: actorOf(request), ...request.body }),
    );
  };
}
