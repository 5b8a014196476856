// Issue 12: people acting on one item at the same moment. On a real dev server (worker, API and CLI as
// separate callers), many requests fired at once at single items: the same approval many times, submit
// against approve, approve against reject; plus CLI processes racing. Exactly one wins each race, every
// other answer is a 409 naming the winner, never a 5xx; and each item's audit replays to its status.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import { CycleClient, UPDATES_IN_FLIGHT, type StatusView } from '../../client/cycle-client.js';
import { UserError } from '../../client/errors.js';
import { registerErrorHandler } from '../../client/api/plugins/errors.js';
import { specOf } from '../../client/portal/rights.js';
import { replayDeliverable, replayMatches } from '../../domain/audit-replay.js';
import { tempDir } from '../helpers/cycle.js';
import { cliApi, runCli, type CliRun } from '../helpers/cli.js';
import { sharedDb } from '../helpers/db.js';
import { csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};
/** The API's failures as logged (level error and above): a 5xx in a race says what it was. */
const failures: string[] = [];
const errorLog = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) failures.push(line);
    done();
  },
});

const post = (who: string, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: csrfHeaders(cookies[who]!), payload });
const act = (who: string, item: string, verb: string, payload: object = {}) => post(who, `/api/cycles/${id}/deliverables/${item}/${verb}`, payload);
const nameOf = (person: string) => h.input.people.find((p) => p.id === person)!.name;

beforeAll(async () => {
  h = await harness('races');
  app = await h.api({}, undefined, { level: 'error', stream: errorLog });
  id = h.input.cycleId;
  const people = new Set(['office-lin', 'hr-reviewer', 'efficiency-group', ...h.input.departments.flatMap((d) => [d.owner, d.leader])]);
  for (const who of people) cookies[who] = await signIn(app, h.dataDir, who);
  expect((await post('office-lin', '/api/cycles', h.file)).statusCode).toBe(201);
  expect((await act('office-lin', 'plan', 'submit', { note: '方案' })).statusCode).toBe(200);
  expect((await act('hr-reviewer', 'plan', 'approve')).statusCode).toBe(200);
  expect((await act('efficiency-group', 'plan', 'approve')).json()).toMatchObject({ state: 'accepted' });
}, 120_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

type Verb = 'submit' | 'approve' | 'reject';
interface Race { pair: string; item: string; owner: string; leader: string; verbs: Verb[] }
interface Answer { race: Race; verb: Verb; status: number; message?: string; by: string; ms: number }

/** `n` requests alternating over the verbs of the race, all at once. */
function fire(race: Race, n: number): Promise<Answer>[] {
  return Array.from({ length: n }, async (_, i) => {
    const verb = race.verbs[i % race.verbs.length]!;
    const by = verb === 'submit' ? race.owner : race.leader;
    const t0 = Date.now();
    const res = await act(by, race.item, verb, verb === 'reject' ? { reason: `退回 #${i}` } : verb === 'submit' ? { note: `#${i}` } : { comment: `#${i}` });
    return { race, verb, by, status: res.statusCode, ms: Date.now() - t0, ...(res.statusCode !== 200 && { message: (res.json() as { error: { message: string } }).error.message }) };
  });
}

async function auditAgrees(items: string[]): Promise<{ item: string; replay: ReturnType<typeof replayDeliverable>; state: string; stage: number }[]> {
  let out: { item: string; replay: ReturnType<typeof replayDeliverable>; state: string; stage: number; ok: boolean }[] = [];
  // The newest lines may be a moment behind the status (the cycle applies them in the deliverable's order).
  for (let i = 0; i < 50; i += 1) {
    const [audit, status] = await Promise.all([h.client.audit(id), h.client.status(id)]);
    out = items.map((item) => {
      const d = status.deliverables.find((x) => x.id === item)!;
      const replay = replayDeliverable(audit, item, specOf(h.input, item)!);
      return { item, replay, state: d.state, stage: d.stage, ok: replayMatches(replay, d) };
    });
    if (out.every((o) => o.ok)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

describe('one item, many people at the same moment', () => {
  it('answers a busy item 503 with Retry-After, in words, never as an internal error', async () => {
    const bare = Fastify();
    registerErrorHandler(bare);
    bare.get('/busy', () => Promise.reject(new UserError('plan 正有多人同时办理，系统繁忙，请稍后再试 / plan: too many actions on it at once, try again in a moment', 'busy')));
    const res = await bare.inject({ method: 'GET', url: '/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ error: { code: 'busy', message: expect.stringContaining('try again in a moment') } });
    await bare.close();
  });

  it('answers 400 naming due for a day that does not exist, over HTTP and in the client', async () => {
    const d = h.input.departments[0]!;
    expect((await act(d.owner, `summary-${d.id}`, 'submit')).statusCode).toBe(200);
    for (const due of ['2019-02-31', '2019-13-01', 'tomorrow']) {
      const res = await act(d.leader, `summary-${d.id}`, 'reject', { reason: '补充', due });
      expect(res.statusCode, due).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid', field: 'body.due' } });
      const err = await h.client.reject(id, `summary-${d.id}`, { actor: d.leader, reason: '补充', due }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect(err).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^due: /) });
    }
  });

  it('lets exactly one win each race; every other answer is a 409 naming the winner, never a 5xx', async () => {
    const depts = h.input.departments;
    const race = (pair: string, i: number, verbs: Verb[]): Race => ({ pair, item: `summary-${depts[i]!.id}`, owner: depts[i]!.owner, leader: depts[i]!.leader, verbs });
    const races = [
      race('same approval twice', 0, ['approve']), race('same approval twice', 1, ['approve']),
      race('submit + approve', 2, ['submit', 'approve']), race('submit + approve', 3, ['submit', 'approve']),
      race('approve + reject', 4, ['approve', 'reject']), race('approve + reject', 5, ['approve', 'reject']),
    ];
    const cliRace = race('approve + reject (CLI)', 6, ['approve', 'reject']);
    // Each item in review first (summary-office was submitted by the test before).
    for (const r of [...races, cliRace].slice(1)) expect((await act(r.owner, r.item, 'submit')).statusCode).toBe(200);

    const { url } = await sharedDb();
    const taskQueue = (await h.env.client.workflow.getHandle(id).describe()).taskQueue;
    // The CLI acts through a listening API as the person signed in (by a link an administrator printed).
    const listening = await cliApi(h.client);
    const env = { TEMPORAL_ADDRESS: h.env.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: url, DATA_DIR: join(tempDir('races-cli'), 'data'), ...listening.env };
    const link = await h.client.store.accounts.issueLink(cliRace.leader, 60_000);
    const signedIn = await runCli(['login', cliRace.leader, '--link', link], env);
    expect(signedIn.code, signedIn.stderr).toBe(0);
    const started = Date.now();
    // The CLI processes take a second to start: they land while the API's storm is still going.
    const cli: Promise<CliRun & { verb: Verb }>[] = (['approve', 'reject', 'approve', 'reject'] as const).map((verb) =>
      runCli([verb, id, cliRace.item, '--as', cliRace.leader, ...(verb === 'reject' ? ['--reason', '退回'] : [])], env).then((r) => ({ ...r, verb })));
    const answers = await Promise.all(races.flatMap((r) => fire(r, 33)));
    const apiMs = Date.now() - started;
    const cliRuns = await Promise.all(cli);
    await listening.close();
    const allMs = Date.now() - started;

    const histogram: Record<number, number> = {};
    for (const a of answers) histogram[a.status] = (histogram[a.status] ?? 0) + 1;
    const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
    console.log(`races: ${answers.length} API requests in ${apiMs} ms (each: median ${ms[ms.length >> 1]} ms, max ${ms.at(-1)} ms), ${cliRuns.length} CLI processes (all done after ${allMs} ms); statuses ${JSON.stringify(histogram)}; CLI exits ${cliRuns.map((r) => r.code).join(',')}`);

    expect(answers.filter((a) => a.status >= 500), `no 5xx; the API logged: ${failures.join('\n')}`).toEqual([]);
    for (const r of races) {
      const mine = answers.filter((a) => a.race === r);
      const winners = mine.filter((a) => a.status === 200);
      expect(winners, `${r.pair} on ${r.item}: one winner`).toHaveLength(1);
      const winner = nameOf(winners[0]!.by);
      for (const loser of mine.filter((a) => a.status !== 200)) {
        expect(loser.status, `${r.item} ${loser.verb}: ${loser.message}`).toBe(409);
        expect(loser.message, `${r.item} ${loser.verb}`).toContain(winner);
      }
    }
    // One CLI process wins; the others exit 1 with the same words, naming the winner.
    expect(cliRuns.filter((r) => r.code === 0), cliRuns.map((r) => r.stderr).join('\n')).toHaveLength(1);
    for (const r of cliRuns.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(nameOf(cliRace.leader));
      expect(r.stderr).not.toMatch(/internal|内部错误|Workflow Update failed/);
    }

    // The audit of every item of the cycle replays to the state its status shows.
    const status = await h.client.status(id);
    const replays = await auditAgrees(status.deliverables.map((d) => d.id));
    expect(replays.filter((r) => !replayMatches(r.replay, { state: r.state as StatusView['deliverables'][number]['state'], stage: r.stage }))).toEqual([]);
    for (const r of [...races, cliRace]) expect(replays.find((x) => x.item === r.item)?.state).toMatch(/^(accepted|open)$/);
  }, 120_000);

  it('keeps a crowd from queueing at the cycle: one status query shared by many readers, Updates in flight capped per process', async () => {
    let queries = 0;
    let inFlight = 0;
    let most = 0;
    /** Queries wait for this before they go (to keep one on its way while something else happens). */
    const hold = { until: Promise.resolve() };
    const counting: WorkflowClientInterceptor = {
      query: async (input, next) => {
        queries += 1;
        await hold.until;
        return next(input);
      },
      startUpdate: async (input, next) => {
        most = Math.max(most, (inFlight += 1));
        try { return await next(input); } finally { inFlight -= 1; }
      },
    };
    const taskQueue = (await h.env.client.workflow.getHandle(id).describe()).taskQueue;
    const counted = new CycleClient(new Client({ connection: h.env.connection, interceptors: { workflow: [counting] } }), { taskQueue, store: h.client.store });
    const readers = await Promise.all(Array.from({ length: 40 }, () => counted.status(id)));
    expect(new Set(readers.map((r) => r.deliverables.length)).size).toBe(1);
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThan(10);
    // An accepted item: every one of the crowd gets its 409, none a 503 from Temporal's limit of 10.
    const d = h.input.departments[0]!;
    const late = await Promise.all(Array.from({ length: 30 }, () =>
      counted.approve(id, `summary-${d.id}`, { actor: d.leader }).then(() => 'done', (e: unknown) => (e as { code?: string }).code)));
    expect(late.filter((x) => x !== 'conflict')).toEqual([]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(UPDATES_IN_FLIGHT);

    // Whoever acted reads their own change: a query asked before the action is not shared after it.
    const last = h.input.departments[7]!;
    let release!: () => void;
    hold.until = new Promise((r) => { release = r; });
    queries = 0;
    const before = counted.status(id);
    await counted.submit(id, `summary-${last.id}`, { actor: last.owner, note: '总结' });
    const after = counted.status(id);
    expect(queries).toBe(2);
    release();
    const seen = (await after).deliverables.find((x) => x.id === `summary-${last.id}`);
    expect(seen?.state).toBe('in-review');
    await before;
  });

  it('answers an action on an accepted item (its workflow completed) with a 409 saying who accepted it', async () => {
    const d = h.input.departments[0]!;
    const res = await act(d.leader, `summary-${d.id}`, 'approve');
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(new RegExp(`已由 ${nameOf(d.leader).replace(/[()（）]/g, '.')} 于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 审批通过 / summary-${d.id}: already approved by`));
  });
});
