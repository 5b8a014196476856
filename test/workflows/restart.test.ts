// On the dev server, in real time: the worker and the server stop mid-cycle and start again from the
// same SQLite file. Nothing is lost, and nothing is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { devServer } from '../helpers/temporal.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { testWorker } from '../helpers/worker.js';

let smtp: SmtpSink;
const dir = tempDir('restart');
const dbFilename = join(dir, 'temporal.db');

beforeAll(async () => { smtp = await startSmtpSink(); });
afterAll(async () => { await smtp?.close(); });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const items = () => smtp.messages.map((m) => `${(Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address} ${String(m.headers.get('x-perfcycle-items'))}`);

describe('a restart of worker and server', () => {
  it('carries the cycle on from the SQLite file: timers fire, the audit is whole, no mail twice', async () => {
    const cycle = exampleCycle('restart', (f) => { f.reminders.digestGraceSeconds = 8; });
    const id = cycle.cycleId;
    const dataDir = join(dir, 'data');

    let env: TestWorkflowEnvironment = await devServer({ dbFilename });
    let taskQueue: string;
    // Torn down in `finally`: a failure must not leave a dev server running behind the next test file.
    try {
      const w = await testWorker(env, { smtpUrl: smtp.url, dataDir });
      taskQueue = w.taskQueue;
      await w.worker.runUntil(async () => {
        await w.client.start(cycle, 'office-lin');
        // Opened overdue (a past year): the owner is told at once, in one mail with the escalation.
        await until('the first mail', async () => (smtp.messages.length > 0 ? true : undefined));
        await w.client.submit(id, 'plan', { actor: 'office-lin' });
      });
    } finally {
      // The review request for HR is now waiting for its digest timer (8 s: longer than the worker's
      // shutdown, even on a loaded machine), and nobody is running it.
      await env.teardown();
    }
    expect(items().some((x) => x.includes('review-requested'))).toBe(false);

    env = await devServer({ dbFilename });
    try {
      const { worker, client } = await testWorker(env, { smtpUrl: smtp.url, dataDir, taskQueue });
      await worker.runUntil(async () => {
        await until('the review request after restart', async () => (items().some((x) => x.startsWith('kaohe@') && x.includes('plan:review-requested')) ? true : undefined));
        await client.approve(id, 'plan', { actor: 'hr-reviewer' });
        await client.approve(id, 'plan', { actor: 'efficiency-group' });
        expect((await client.status(id)).phase).toBe('summary');
        // One mail per person and minute: count the summaries named, not the mails (one head owns two departments).
        const assigned = () => cycle.departments.filter((d) => items().some((x) => x.split(/[ ,]/).includes(`summary-${d.id}:assigned`)));
        await until('summary assignments', async () => (assigned().length === cycle.departments.length ? true : undefined), 60_000);
        const audit = await client.audit(id);
        const actions = audit.map((e) => `${e.actor} ${e.action} ${e.subject}`);
        for (const a of ['office-lin cycle-started', 'office-lin submitted plan', 'hr-reviewer approved plan', 'efficiency-group approved plan']) {
          expect(actions.some((x) => x.startsWith(a))).toBe(true);
        }
        expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
      });
    } finally {
      await env.teardown();
    }

    const ids = smtp.messages.map((m) => m.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(items().filter((x) => x.startsWith('kaohe@') && x.includes('plan:review-requested'))).toHaveLength(1);
  }, 180_000);
});
