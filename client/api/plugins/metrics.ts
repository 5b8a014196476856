// The API's request metrics for Prometheus (README, Metrics), with prom-client: how many requests
// and how long they took, by method, route pattern (`/api/cycles/:cycleId`, never the URL, whose ids
// and sign-in or calendar tokens would leak and grow without bound; `(unmatched)` for a 404 without
// a route) and status code; and the process (memory, CPU, event loop).
//
// GET /metrics sits on the API's own port, which is public, so it is off unless the operator sets
// METRICS_TOKEN; then it answers only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise), which
// Prometheus sends with `authorization: { credentials: … }` in its scrape config. Without the token
// there is no route (404) and nothing is counted. Not in the OpenAPI document.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';
/** The route label of a request no route matched (a 404): its URL is anyone's to choose. */
export const UNMATCHED = '(unmatched)';
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether the header is `Bearer <token>`, compared in constant time. */
function presents(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1];
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Counts every request of `app` and serves GET /metrics; does nothing without a token. Returns the registry. */
export function registerMetrics(app: FastifyInstance, token: string | undefined): Registry | undefined {
  if (!token) return undefined;
  // Each API instance its own registry (tests build several in one process), never prom-client's global one.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'perfcycle_api_requests_total', help: 'HTTP requests answered, by method, route pattern and status code.', labelNames, registers: [registry],
  });
  const duration = new Histogram({
    name: 'perfcycle_api_request_duration_seconds', help: 'Time from receiving a request to sending its answer, in seconds, by method, route pattern and status code.',
    labelNames, buckets: DURATION_BUCKETS, registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? UNMATCHED, status_code: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    if (!presents(request.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: { code: 'unauthenticated', message: '需要 METRICS_TOKEN / metrics need Authorization: Bearer <METRICS_TOKEN>' } });
    }
    return reply.type(registry.contentType).header('cache-control', 'no-store').send(await registry.metrics());
  });
  app.addHook('onClose', async () => registry.clear());
  return registry;
}
