// A whole past-year cycle in real time on the dev server, continued as new several times on the way
// (a low run length): nothing is lost between runs. Once it is closed and Temporal has deleted it, its
// status, audit (chain verified), CSV, review package and pages still come from the database.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { registerCycle } from '../helpers/directory.js';
import type { CycleInput } from '../../domain/cycle.js';
import { exampleCycle } from '../helpers/cycle.js';
import { DB_KINDS, testStore } from '../helpers/db.js';
import { sharedWorkflowBundle } from '../helpers/worker.js';
import { harness, signIn, type Harness } from './harness.js';

describe.each(DB_KINDS)('a closed cycle outlives its workflow, on %s', (kind) => {
  let h: Harness;
  let app: FastifyInstance;
  let cycle: CycleInput;
  let db: Awaited<ReturnType<typeof testStore>> | undefined;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    // PGlite is the test file's own embedded database; PostgreSQL a throw-away cluster.
    db = kind === 'postgres' ? await testStore('postgres') : undefined;
    h = await harness(`closed-${kind}`, db ? { store: db.store } : {});
    app = await h.api();
    // The document's 2019 calendar is long past: every window opens and closes at once, so the cycle
    // runs as fast as people act. Notices are gathered for a second instead of a minute.
    cycle = exampleCycle(`closed-${kind}`, (f) => { f.reminders = { ...f.reminders, digestGraceSeconds: 1 }; });
    await registerCycle(h.client.store, cycle);
    for (const who of ['office-lin', 'head-zheng']) cookies[who] = await signIn(app, h.dataDir, who);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });

  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, tries = 300): Promise<T> {
    for (let i = 0; i < tries; i += 1) {
      const v = await read();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  async function outboxItems(): Promise<string[]> {
    const dir = join(h.dataDir, 'worker-outbox');
    const items: string[] = [];
    for (const name of await readdir(dir)) {
      const mail = await simpleParser(await readFile(join(dir, name)));
      items.push(...String(mail.headers.get('x-perfcycle-items') ?? '').split(','));
    }
    return items;
  }

  it('continues as new without losing anything, closes, and stays readable after Temporal deletes it', { timeout: 240_000 }, async () => {
    const id = cycle.cycleId;
    const c = h.client;
    await c.start(cycle, 'office-lin', { continueAsNewAfter: 80 });
    const firstRun = (await h.env.client.workflow.getHandle(id).describe()).runId;
    // A deliverable can be acted on once its workflow has opened it (the cycle starts it a moment after listing it).
    const opened = (d: string) => until(() => c.status(id), (s) => (s.deliverables.find((x) => x.id === d)?.version ?? 0) > 0, `${d} to open`);
    await opened('plan');

    await c.submit(id, 'plan', { actor: 'office-lin', note: '方案' });
    await c.approve(id, 'plan', { actor: 'hr-reviewer' });
    await c.approve(id, 'plan', { actor: 'efficiency-group' });
    await opened('summary-law');
    await expect(c.submit(id, 'summary-law', { actor: 'head-zheng' })).rejects.toThrow(/head-zheng/);
    for (const d of cycle.departments) {
      await opened(`summary-${d.id}`);
      await c.submit(id, `summary-${d.id}`, { actor: d.owner, note: `${d.name}总结` });
      await c.approve(id, `summary-${d.id}`, { actor: d.leader });
    }
    // The review window of 2019 opens and closes at once; evidence still missing is closed.
    await until(() => c.status(id), (s) => s.phase === 'scoring', 'the scoring phase');
    await opened('result');
    await c.submit(id, 'result', { actor: 'efficiency-office', note: '良好' });
    await opened('bonus-list');
    await c.submit(id, 'bonus-list', { actor: 'office-lin' });
    await c.approve(id, 'bonus-list', { actor: 'efficiency-office' });
    await opened('rectification');
    await c.submit(id, 'rectification', { actor: 'office-lin' });
    await c.approve(id, 'rectification', { actor: 'hr-reviewer' });
    await h.env.client.workflow.getHandle(id).result();

    // It did continue as new, more than once.
    expect((await h.env.client.workflow.getHandle(id, firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');
    const runs = await until(async () => {
      const out: string[] = [];
      for await (const w of h.env.client.workflow.list({ query: `WorkflowId = '${id}'` })) out.push(w.runId);
      return out;
    }, (r) => r.length >= 3, 'three runs in visibility');

    // Nothing lost, nothing doubled: every deliverable opened once, every action once, in one unbroken chain.
    const audit = await c.audit(id);
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
    expect(await c.verifyAudit(id)).toEqual({ ok: true, rows: audit.length });
    const count = (action: string, subject?: string) => audit.filter((e) => e.action === action && (!subject || e.subject === subject)).length;
    expect(count('deliverable-opened')).toBe(1 + 2 * cycle.departments.length + 3);
    for (const d of cycle.departments) {
      expect([count('submitted', `summary-${d.id}`), count('approved', `summary-${d.id}`)]).toEqual([1, 1]);
    }
    expect(count('refused', 'summary-law')).toBe(1);
    expect(count('cycle-started')).toBe(1);
    expect(count('cycle-closed')).toBe(1);
    // Notices raised in later runs were still mailed: each head was told his summary was accepted (the
    // leaders' review requests are dropped: they approved within the gathering second).
    const wanted = [...cycle.departments.map((d) => `summary-${d.id}:accepted`), 'rectification:accepted'];
    const items = await until(outboxItems, (i) => wanted.every((w) => i.includes(w)), 'acceptance mails').catch(async (err: Error) => {
      const got = await outboxItems();
      throw new Error(`${err.message}: missing ${wanted.filter((w) => !got.includes(w)).join(', ')}; audit: ${(await c.audit(id)).filter((e) => e.action === 'reminder-sent').map((e) => `${e.subject} ${e.detail}`).join(' | ')}`);
    });
    expect(items).toContain('rectification:accepted');

    // Every run replays on today's code: a refusal that met the hand-over once made a history that did not.
    const histories = [];
    for (const runId of runs) histories.push({ workflowId: id, history: await h.env.client.workflow.getHandle(id, runId).fetchHistory() });
    const replays = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: sharedWorkflowBundle(), replayName: 'closed-cycle' }, histories)) replays.push(r.error ? String(r.error) : 'ok');
    expect(replays).toEqual(runs.map(() => 'ok'));

    // Temporal forgets the cycle (every run of it) …
    for (const runId of runs) {
      await h.env.client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: id, runId } });
    }
    await until(() => h.env.client.workflow.getHandle(id).describe().then(() => false, (e: unknown) => e instanceof WorkflowNotFoundError), (gone) => gone, 'the deletion', 900);

    // … and the record stays: status, audit, CSV, verification, review package, pages.
    const status = await get('office-lin', `/api/cycles/${id}`);
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ phase: 'closed', cycleId: id });
    const entries = (await get('office-lin', `/api/cycles/${id}/audit`)).json() as { action: string }[];
    expect(entries.map((e) => e.action)).toEqual(audit.map((e) => e.action));
    const csv = await get('office-lin', `/api/cycles/${id}/audit?format=csv`);
    expect(csv.body.split('\n').length).toBeGreaterThan(audit.length);
    expect((await get('office-lin', `/api/cycles/${id}/audit/verify`)).json()).toEqual({ ok: true, rows: audit.length });
    const pkg = await get('office-lin', `/api/cycles/${id}/review-package`);
    expect((pkg.json() as { deliverables: { id: string }[] }).deliverables.map((d) => d.id)).toContain('summary-law');
    const page = await get('office-lin', `/cycles/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(cycle.unit.name);
    const auditPage = await get('office-lin', `/cycles/${id}/audit`);
    expect(auditPage.statusCode).toBe(200);
    // The whole cycle's records are for the office, the director and the efficiency office.
    expect((await get('head-zheng', `/api/cycles/${id}/audit/verify`)).statusCode).toBe(403);
  });
});
