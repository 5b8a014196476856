// The HTTP API: shared parts as plugins, one route module per resource.
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { CycleClient } from '../cycle-client.js';
import { registerActor } from './plugins/actor.js';
import { registerErrorHandler } from './plugins/errors.js';
import { cycleRoutes } from './routes/cycles.js';

export const OPENAPI_PATH = '/openapi.json';

export async function buildApi(opts: { cycles: CycleClient; logger?: boolean }): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, ajv: { customOptions: { allErrors: false } } });
  registerErrorHandler(app);
  registerActor(app);
  await app.register(swagger, {
    openapi: { info: { title: 'perfcycle API', description: '绩效评估周期 / performance-evaluation cycle', version: '0.1.0' } },
  });
  app.get('/health', { schema: { hide: true } }, async () => ({ ok: true }));
  await app.register(cycleRoutes(opts.cycles));
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  return app;
}
