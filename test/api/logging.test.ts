// Issue 8, findings 8 and 10: every request is logged with a reference that a 5xx answer gives (and the
// log, not the answer, holds the stack); secrets in paths stay out of the log; JSON bodies are taken
// as sent, never coerced (null, true or "5" for a mark was stored as 0, 1 or 5).
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxSender } from '../../activities/mail-sender.js';
import { buildApi } from '../../client/api/app.js';
import { CycleClient } from '../../client/cycle-client.js';
import { portalSettings } from '../../client/portal/settings.js';
import { openStore } from '../../store/index.js';
import { testStore } from '../helpers/db.js';
import { tempDir } from '../helpers/cycle.js';
import { devServer } from '../helpers/temporal.js';

let env: TestWorkflowEnvironment;
let app: FastifyInstance;
let db: Awaited<ReturnType<typeof testStore>>;
const lines: Record<string, unknown>[] = [];
const as = { 'x-perfcycle-user': 'office-lin' };

beforeAll(async () => {
  env = await devServer();
  db = await testStore('pglite');
  const dataDir = tempDir('logging');
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>); done(); } });
  const cycles = new CycleClient(env.client, { taskQueue: 'logging', store: db.store });
  app = await buildApi({
    cycles, settings: { ...portalSettings({ DATA_DIR: dataDir, PUBLIC_URL: 'http://portal.test' }), trustHeader: true },
    sender: outboxSender(join(dataDir, 'outbox')), log: { level: 'info', stream },
  });
});
afterAll(async () => {
  await app?.close();
  await db?.close().catch(() => undefined);
  await env?.teardown();
});

describe('JSON bodies are not coerced', () => {
  it.each([
    ['a mark of null', '/api/cycles/c/targets/T01/mark', { mark: null }, 'body.mark'],
    ['a mark of true', '/api/cycles/c/targets/T01/mark', { mark: true }, 'body.mark'],
    ['a mark as text', '/api/cycles/c/targets/T01/mark', { mark: '5' }, 'body.mark'],
    ['a figure of false', '/api/cycles/c/figures/publicReview', { value: false, source: 'city' }, 'body.value'],
  ])('%s is a 400 naming the field', async (_what, url, payload, field) => {
    const res = await app.inject({ method: 'PUT', url, headers: as, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid', field } });
  });

  it('query strings are still read as text and converted', async () => {
    // `format` and date filters come as text: the audit of an unknown cycle is a 404, not a 400.
    const res = await app.inject({ method: 'GET', url: '/api/cycles/nope/audit?format=csv', headers: as });
    expect(res.statusCode).not.toBe(400);
  });
});

describe('the request log', () => {
  it('logs each request with its reference, never a sign-in link token', async () => {
    const res = await app.inject({ method: 'GET', url: '/auth/link/SECRET-LINK-TOKEN-123' });
    expect(res.statusCode).toBeLessThan(500);
    const mine = lines.filter((l) => (l.req as { url?: string } | undefined)?.url?.startsWith('/auth/link/'));
    expect(mine.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('SECRET-LINK-TOKEN-123');
    expect(mine[0]!.ref).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a database with no free connection is "busy" (503, Retry-After), not an internal error', async () => {
    const tight = await openStore(db.db.connection, { max: 1, acquireMs: 300 });
    const busy = await buildApi({
      cycles: new CycleClient(env.client, { taskQueue: 'logging', store: tight }),
      settings: { ...portalSettings({ DATA_DIR: tempDir('busy'), PUBLIC_URL: 'http://portal.test' }), trustHeader: true },
      sender: outboxSender(tempDir('busy-outbox')),
    });
    let release!: () => void;
    // The one connection held by a transaction that waits.
    const holding = tight.db.transaction().execute(() => new Promise<void>((r) => { release = r; }));
    try {
      const res = await busy.inject({ method: 'GET', url: '/api/cycles', headers: as });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json()).toMatchObject({ error: { code: 'busy' } });
    } finally {
      release();
      await holding;
      await busy.close();
      await tight.close();
    }
  });

  it('a 5xx (the database gone) answers a reference and no internals; the log has the stack under it', async () => {
    await db.close();
    const res = await app.inject({ method: 'GET', url: '/api/cycles', headers: as });
    expect(res.statusCode).toBe(500);
    const ref = /参考号 ([0-9a-f-]{36})/.exec(res.json<{ error: { message: string } }>().error.message)?.[1];
    expect(ref).toBeDefined();
    expect(res.body).not.toMatch(/pool|postgres|kysely|at .*\.(js|ts)/i);
    const logged = lines.find((l) => l.ref === ref && l.level === 50);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toMatch(/stack/);
  });
});
