// Issue 10, item 4: the API's request metrics (client/api/plugins/metrics.ts). GET /metrics is there
// only when METRICS_TOKEN is set, answers only `Authorization: Bearer <METRICS_TOKEN>`, counts each
// request by route pattern (never the URL: its ids and sign-in or calendar tokens stay out), and is not
// in the OpenAPI document. The routes asked for here answer from the database alone, so the Temporal
// connection is a lazy one that never connects.
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxSender } from '../../activities/mail-sender.js';
import { buildApi } from '../../client/api/app.js';
import { CycleClient } from '../../client/cycle-client.js';
import { portalSettings } from '../../client/portal/settings.js';
import { testStore } from '../helpers/db.js';
import { tempDir } from '../helpers/cycle.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';
const CYCLE_ID = 'perfcycle-secretcycle-4711';
const ICAL_TOKEN = 'SECRETICALTOKEN0123456789abcdef';
const LINK_TOKEN = 'SECRETLINKTOKEN9876543210fedcba';

let db: Awaited<ReturnType<typeof testStore>>;
let connection: Connection;
let withToken: FastifyInstance;
let without: FastifyInstance;

async function build(token: string | undefined): Promise<FastifyInstance> {
  const saved = process.env.METRICS_TOKEN;
  if (token) process.env.METRICS_TOKEN = token; else delete process.env.METRICS_TOKEN;
  try {
    const dataDir = tempDir('metrics');
    const cycles = new CycleClient(new Client({ connection }), { taskQueue: 'metrics', store: db.store });
    return await buildApi({ cycles, settings: portalSettings({ DATA_DIR: dataDir, PUBLIC_URL: 'http://portal.test' }), sender: outboxSender(join(dataDir, 'outbox')) });
  } finally {
    if (saved === undefined) delete process.env.METRICS_TOKEN; else process.env.METRICS_TOKEN = saved;
  }
}

const scrape = async (app: FastifyInstance) => {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.statusCode).toBe(200);
  return res;
};
/** The counter's value for these labels (0 when absent). */
function count(text: string, labels: { method: string; route: string; status_code: number }): number {
  const line = text.split('\n').find((l) => l.startsWith('perfcycle_api_requests_total{')
    && l.includes(`method="${labels.method}"`) && l.includes(`route="${labels.route}"`) && l.includes(`status_code="${labels.status_code}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

beforeAll(async () => {
  db = await testStore('pglite');
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  withToken = await build(TOKEN);
  without = await build(undefined);
});
afterAll(async () => {
  await withToken?.close();
  await without?.close();
  await connection?.close().catch(() => undefined);
  await db?.close().catch(() => undefined);
});

describe('GET /metrics with METRICS_TOKEN set', () => {
  it('refuses a scrape without the token, or with another one (401, WWW-Authenticate: Bearer)', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-the-token' }, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` }, { authorization: `Bearer ${TOKEN}x` }]) {
      const res = await withToken.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).not.toContain('perfcycle_api_requests_total');
    }
  });

  it('counts each request by method, route pattern and status, with its duration, and process metrics', async () => {
    const before = (await scrape(withToken)).body;
    const route = '/api/cycles/:cycleId';
    const at = { method: 'GET', route, status_code: 401 };
    for (let i = 0; i < 2; i += 1) expect((await withToken.inject({ method: 'GET', url: `/api/cycles/${CYCLE_ID}` })).statusCode).toBe(401);
    expect((await withToken.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const res = await scrape(withToken);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(count(text, at) - count(before, at)).toBe(2);
    expect(count(text, { method: 'GET', route: '/health', status_code: 200 }) - count(before, { method: 'GET', route: '/health', status_code: 200 })).toBe(1);
    expect(text).toMatch(new RegExp(`^perfcycle_api_request_duration_seconds_count\\{method="GET",route="${route}",status_code="401"\\} \\d+$`, 'm'));
    expect(text).toMatch(/^perfcycle_api_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health",status_code="200"\} \d+$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('never shows an id or token from a URL, nor the URL of a request no route matched', async () => {
    await withToken.inject({ method: 'GET', url: `/ical/${ICAL_TOKEN}.ics` });
    await withToken.inject({ method: 'GET', url: `/auth/link/${LINK_TOKEN}` });
    await withToken.inject({ method: 'GET', url: `/api/cycles/${CYCLE_ID}/audit?format=csv&token=SECRETQUERY` });
    const missing = await withToken.inject({ method: 'GET', url: '/no/such/SECRETPATH-page' });
    expect(missing.statusCode).toBe(404);
    const text = (await scrape(withToken)).body;
    expect(text).toMatch(/route="\/ical\/:token\.ics"/);
    expect(text).toMatch(/route="\/auth\/link\/:token"/);
    expect(text).toMatch(/route="\/api\/cycles\/:cycleId\/audit"/);
    expect(count(text, { method: 'GET', route: '(unmatched)', status_code: 404 })).toBeGreaterThanOrEqual(1);
    expect(text).not.toMatch(/secret/i);
    for (const route of text.matchAll(/route="([^"]*)"/g)) expect(route[1]).toMatch(/^(\(unmatched\)|\/[^?]*)$/);
  });

  it('is not in the OpenAPI document', async () => {
    const doc = (await withToken.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });
});

describe('without METRICS_TOKEN', () => {
  it('there is no /metrics, with or without a bearer token', async () => {
    await without.inject({ method: 'GET', url: '/health' });
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await without.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('perfcycle_api_requests_total');
    }
  });

  it('refuses a token too short to be a secret', async () => {
    await expect(build('short')).rejects.toThrow(/METRICS_TOKEN/);
  });
});
