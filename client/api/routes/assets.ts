// GET /assets/<file>: the portal's scripts, from the app itself (client/portal/assets.ts). Only the
// files listed there; open to anyone, since they hold nothing of any cycle; cached for a year, as
// every page names them by their content's hash.
import type { FastifyInstance } from 'fastify';
import { UserError } from '../../errors.js';
import { asset } from '../../portal/assets.js';

export function assetRoutes() {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { name: string } }>('/assets/:name', {
      schema: { hide: true, params: { type: 'object', required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,63}$' } } } },
    }, async (request, reply) => {
      const a = asset(request.params.name);
      if (!a) throw new UserError(`name: 没有该文件 / no such file "${request.params.name}"`, 'not-found');
      return reply.type(a.type).header('cache-control', 'public, max-age=31536000, immutable').send(a.bytes);
    });
  };
}
