// Who is calling. Until sign-in exists the API trusts the X-Perfcycle-User header, exactly as the CLI
// trusts --as; it listens on 127.0.0.1 by default for that reason.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UserError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest { actorId?: string }
}

export function registerActor(app: FastifyInstance): void {
  app.decorateRequest('actorId', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-perfcycle-user'];
    if (typeof header === 'string' && header) request.actorId = header;
  });
}

export function actorOf(request: FastifyRequest): string {
  if (!request.actorId) throw new UserError('actor: 未登录 / not signed in (X-Perfcycle-User)', 'refused');
  return request.actorId;
}
