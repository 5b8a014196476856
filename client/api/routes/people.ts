// The names of a cycle's people and departments, for clients that speak of them (the CLI's words after
// an action): only to a person of the cycle, and only ids and names (no addresses).
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { access } from '../guard.js';
import { cycleParams, errorResponse } from '../schemas/cycle.js';

export interface CycleNames {
  unit: { id: string; name: string };
  year: number;
  timeZone: string;
  people: { id: string; name: string }[];
  departments: { id: string; name: string }[];
}

export function peopleRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/names', {
      schema: {
        summary: 'The names of the cycle\'s people and departments (ids and names only), for a person of the cycle',
        tags: ['cycles'], params: cycleParams, response: { 401: errorResponse, 403: errorResponse, 404: errorResponse },
      },
    }, async (request): Promise<CycleNames> => {
      const { input } = await access(ctx, request, request.params.cycleId);
      return {
        unit: input?.unit ?? { id: '', name: '' }, year: input?.year ?? 0, timeZone: input?.timeZone ?? 'Asia/Shanghai',
        people: input?.people.map((p) => ({ id: p.id, name: p.name })) ?? [],
        departments: input?.departments.map((d) => ({ id: d.id, name: d.name })) ?? [],
      };
    });
  };
}
