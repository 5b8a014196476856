// The city's grading over HTTP: the efficiency office starts it as itself (the cycle client checks the
// role of each cycle and audits a refusal there), and anyone signed in reads the published result.
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { actorOf } from '../plugins/actor.js';
import { errorResponse } from '../schemas/cycle.js';
import { gradingBody, gradingResponse, yearParams } from '../schemas/grading.js';

const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse };
const tags = ['grading'];

export function gradingRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.post<{ Body: { year: number; cycles: string[]; external?: unknown[]; rules?: unknown } }>('/api/gradings', {
      schema: { summary: 'Grade the year\'s units (running cycles and units outside the system) and hand each cycle its grade; the efficiency office only', tags, body: gradingBody, response: { 200: gradingResponse, ...errors } },
    }, async (request) => {
      const actor = actorOf(request);
      const { year, cycles, external = [], rules } = request.body;
      return ctx.cycles.startGrading({ year, cycles, external, rules, actor });
    });

    app.get<{ Params: { year: number } }>('/api/gradings/:year', {
      schema: { summary: 'The grading of a year: its result, or null while scores are still collected', tags, params: yearParams, response: { 200: { ...gradingResponse, nullable: true }, ...errors } },
    }, async (request) => {
      actorOf(request);
      return ctx.cycles.gradingResult(request.params.year);
    });
  };
}
