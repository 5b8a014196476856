// Size limits over HTTP (issue 7, item 8): a 1 MB note, reason or target id is answered with a 400 that
// names the field, the same value sent past the API (as the CLI and the portal's forms do) is refused by
// the workflow's validator without echoing it, and none of it reaches a workflow's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { temporal } from '@temporalio/proto';
import { UserError } from '../../client/errors.js';
import { cycleIdOf } from '../../domain/cycle.js';
import { frameworkErrors, registerErrorHandler } from '../../client/api/plugins/errors.js';
import { targetParams } from '../../client/api/schemas/scores.js';
import { csrfHeaders, harness, signIn, type Harness } from './harness.js';

// 1 MB (not MiB): with the JSON around it the body stays under Fastify's 1 MiB body limit, so it is the
// schema that answers, not the body limit.
const HUGE = 'Z'.repeat(1_000_000);
const TRACE = 'Z'.repeat(1000);

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('limits');
  app = await h.api();
  id = h.input.cycleId;
  await h.client.start(h.input, 'office-lin');
  for (const who of ['office-lin', 'hr-reviewer', 'review-gov', 'efficiency-office']) cookies[who] = await signIn(app, h.dataDir, who);
});
afterAll(async () => {
  await h?.close();
});

const send = (who: string, method: 'POST' | 'PUT', url: string, payload: object, on = app) =>
  on.inject({ method, url, headers: csrfHeaders(cookies[who]!), payload });

/** A 400 naming the field, saying "too long" in both languages, without the value. */
function tooLong(res: Awaited<ReturnType<typeof send>>, field: string) {
  expect(res.statusCode).toBe(400);
  const { error } = res.json() as { error: { code: string; message: string; field: string } };
  expect(error).toMatchObject({ code: 'invalid', field });
  expect(error.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: 过长（最多 \\d+ 个字符）/ too long \\(at most \\d+ characters\\)$`));
  expect(res.body).not.toContain('ZZZZ');
}

/** A refusal by the workflow's validator: names the field and does not echo the value. */
async function refusedByWorkflow(run: () => Promise<unknown>, field: string) {
  const err = await run().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).code).toBe('refused');
  expect((err as UserError).message).toMatch(new RegExp(`^${field}: 过长.*too long`));
  expect((err as UserError).message.length).toBeLessThan(200);
}

async function historyBytes(workflowId: string): Promise<string> {
  const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
  return Buffer.from(temporal.api.history.v1.History.encode(history).finish()).toString('latin1');
}

describe('a 1 MB value', () => {
  it('on a submission, a rejection and a mark is a 400 naming the field', async () => {
    const base = `/api/cycles/${id}`;
    tooLong(await send('office-lin', 'POST', `${base}/deliverables/plan/submit`, { note: HUGE }), 'body.note');
    expect((await send('office-lin', 'POST', `${base}/deliverables/plan/submit`, { note: '方案' })).statusCode).toBe(200);
    tooLong(await send('hr-reviewer', 'POST', `${base}/deliverables/plan/reject`, { reason: HUGE }), 'body.reason');
    // Longer than the schema allows (64), not yet than the router matches (100).
    tooLong(await send('review-gov', 'PUT', `${base}/targets/${'T'.repeat(80)}/mark`, { mark: 1 }), 'params.targetId');
    tooLong(await send('review-gov', 'PUT', `${base}/targets/T01/mark`, { mark: 1, note: HUGE }), 'body.note');
    tooLong(await send('efficiency-office', 'PUT', `${base}/figures/publicReview`, { value: 80, source: HUGE }), 'body.source');
    tooLong(await send('office-lin', 'POST', `${base}/targets`, { rows: [{ 编号: 'T01', 指标: HUGE }] }), 'body.rows.0.指标');
    const many = await send('office-lin', 'POST', `${base}/deliverables/plan/submit`, { files: Array(21).fill({ name: 'a.pdf', sha256: 'a'.repeat(64), size: 1 }) });
    expect(many.statusCode).toBe(400);
    expect(many.json().error).toMatchObject({ field: 'body.files', message: 'body.files: 过多（最多 20 项）/ too many (at most 20 items)' });
  });

  it('in a path parameter is a 400 naming it, with frameworkErrors (the router refuses it before any schema)', async () => {
    const bare = Fastify({ frameworkErrors });
    registerErrorHandler(bare);
    bare.put('/api/cycles/:cycleId/targets/:targetId/mark', { schema: { params: targetParams } }, async () => ({}));
    tooLong(await send('review-gov', 'PUT', `/api/cycles/${id}/targets/${HUGE}/mark`, { mark: 1 }, bare), 'params.targetId');
    expect((await send('review-gov', 'PUT', `/api/cycles/${id}/targets/${HUGE}/mark`, { mark: 1 }, bare)).json().error.message).toMatch(/at most 64 /);
    await bare.close();
  });

  // Fails until client/api/app.ts passes `frameworkErrors` (plugins/errors.ts) to Fastify(): till then the
  // router answers 414 with the whole 1 MB URL echoed. Turn it.fails into it once it does.
  it('in the mark\'s path parameter is a 400 naming it over the service\'s API', async () => {
    tooLong(await send('review-gov', 'PUT', `/api/cycles/${id}/targets/${HUGE}/mark`, { mark: 1 }), 'params.targetId');
  });

  it('sent past the API is refused by the workflow before anything else, without echoing it', async () => {
    await refusedByWorkflow(() => h.client.reject(id, 'plan', { actor: 'hr-reviewer', reason: HUGE }), 'reason');
    await refusedByWorkflow(() => h.client.approve(id, 'plan', { actor: 'hr-reviewer', comment: HUGE }), 'comment');
    // The item an action names is a value the cycle checks too.
    await refusedByWorkflow(() => h.client.approve(id, HUGE, { actor: 'hr-reviewer' }), 'deliverableId');
    // The limits come before the person's right: a huge actor is "too long", not "may not" with the actor echoed.
    await refusedByWorkflow(() => h.client.markTarget(id, { actor: 'review-gov', targetId: HUGE, mark: 1 }), 'targetId');
    await refusedByWorkflow(() => h.client.markTarget(id, { actor: HUGE, targetId: 'T01', mark: 1 }), 'actor');
    await refusedByWorkflow(() => h.client.setVetoes(id, { actor: 'efficiency-office', vetoes: [HUGE], source: 's' }), 'vetoes.0');
    // What the refusals left in the audit says why without the value.
    const refusals = (await h.client.audit(id)).filter((e) => e.action === 'refused');
    expect(refusals.length).toBeGreaterThanOrEqual(5);
    for (const e of refusals) expect(e.detail ?? '').not.toContain(TRACE);
  });

  it('leaves the cycle running and no trace in any workflow history', async () => {
    const cycle = h.env.client.workflow.getHandle(id);
    expect((await cycle.describe()).status.name).toBe('RUNNING');
    // The cycle holds its items: one history, with the submission that was accepted and its note.
    const bytes = await historyBytes(id);
    expect(bytes.length).toBeLessThan(200 * 1024);
    expect(bytes).not.toContain(TRACE);
    expect(bytes).toContain(Buffer.from('方案').toString('latin1'));
  });
});

describe('a cycle file\'s wait between a mail\'s rounds of tries', () => {
  it('outside 5–1800 s is a 400 naming reminders.mailRetrySeconds, and no cycle starts', async () => {
    for (const mailRetrySeconds of [0, 4, 1801, 1e9, 'soon']) {
      const file = { ...h.file, year: h.file.year + 7, reminders: { ...h.file.reminders, mailRetrySeconds } };
      const res = await app.inject({ method: 'POST', url: '/api/cycles', headers: csrfHeaders(cookies['office-lin']!), payload: file });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('reminders.mailRetrySeconds');
    }
    const never = h.env.client.workflow.getHandle(cycleIdOf(h.file.unit.id, h.file.year + 7));
    await expect(never.describe()).rejects.toThrow(/not found/i);
  });
});
