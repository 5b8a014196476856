// Issue 12 on the time-skipping server: random waves of concurrent submit / approve / reject at single
// items (fast-check). Whatever the order the server picks, every answer is the action done or a clear
// refusal, conflict or invalid date (never an unknown failure), and each item's audit replays to its status.
// Also the pure parts: the words of a conflict, which failures are only a busy moment, which days exist.
import fc from 'fast-check';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxSender } from '../../activities/mail-sender.js';
import { conflictMessage, passing, retryBusy } from '../../client/conflicts.js';
import type { CycleClient } from '../../client/cycle-client.js';
import { UserError } from '../../client/errors.js';
import { specOf } from '../../client/portal/rights.js';
import { replayDeliverable, replayMatches } from '../../domain/audit-replay.js';
import type { CycleInput } from '../../domain/cycle.js';
import { isValidLocalDate } from '../../domain/time.js';
import type { DeliverableSnapshot } from '../../workflows/definitions.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { timeSkippingServer } from '../helpers/temporal.js';
import { testWorker } from '../helpers/worker.js';

const people = [{ id: 'leader-wang', name: '王志明' }, { id: 'head-zheng', name: '郑伟' }];
const dir = { people, timeZone: 'Asia/Shanghai' };
const item = (over: Partial<DeliverableSnapshot>): DeliverableSnapshot => ({
  id: 'plan', kind: 'plan', title: { zh: '绩效评估工作方案', en: 'Work plan' }, owner: 'head-zheng', state: 'open', stage: 0,
  actors: ['head-zheng'], due: '2026-12-31T23:59:59.999+08:00', submissions: [], reviews: [], version: 1, ...over,
});
const submitted = { at: '2026-11-25T09:15:00+08:00', by: 'head-zheng', files: [] };

describe('the words of a conflict', () => {
  it('says who changed the item and when, by name, in the cycle\'s zone', () => {
    const accepted = item({ state: 'accepted', actors: [], submissions: [submitted], reviews: [{ at: '2026-11-25T02:32:10Z', by: 'leader-wang', role: 'leader', decision: 'approved' }] });
    expect(conflictMessage(accepted, dir)).toBe('「绩效评估工作方案」已由 王志明 于 2026-11-25 10:32 审批通过 / plan: already approved by 王志明 at 2026-11-25 10:32');
    const inReview = item({ state: 'in-review', actors: ['leader-wang'], submissions: [submitted] });
    expect(conflictMessage(inReview, dir)).toBe('「绩效评估工作方案」已由 郑伟 于 2026-11-25 09:15 提交，现待 王志明 审核 / plan: already submitted by 郑伟 at 2026-11-25 09:15; now waiting for 王志明\'s review');
    const sentBack = item({ submissions: [submitted], reviews: [{ at: '2026-11-25T10:00:00+08:00', by: 'leader-wang', role: 'leader', decision: 'rejected', reason: '目标量化不足' }] });
    expect(conflictMessage(sentBack, dir)).toMatch(/^「绩效评估工作方案」已由 王志明 于 2026-11-25 10:00 退回（理由：目标量化不足），现待 郑伟 重新提交 \/ plan: sent back by 王志明 .*to resubmit$/);
    expect(conflictMessage(item({ state: 'closed', actors: [] }), dir, { at: '2027-02-15T00:00:00+08:00', why: 'review window closed / 考评窗口已关闭' }))
      .toMatch(/^「绩效评估工作方案」已于 2027-02-15 00:00 关闭（review window closed/);
    // Someone not in the directory keeps their id rather than vanishing.
    expect(conflictMessage(item({ state: 'accepted', actors: [], submissions: [{ ...submitted, by: 'ghost' }] }), dir)).toContain('ghost');
  });

  it('tells a busy moment (in-flight limit, aborted Update, a timeout) from an answer', () => {
    const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
    expect(passing(new ServiceError('Workflow Update failed', { cause: grpc(8, 'limit on number of concurrent in-flight updates has been reached (10)') }))).toBe('retry');
    expect(passing(new ServiceError('Workflow Update failed', { cause: grpc(14, 'workflow update was aborted') }))).toBe('retry');
    expect(passing(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'))).toBe('unsure');
    expect(passing(new ServiceError('Workflow Update failed', { cause: grpc(3, 'bad request') }))).toBeUndefined();
    const refused = ApplicationFailure.create({ type: 'Refused', message: 'no', nonRetryable: true });
    expect(passing(new WorkflowUpdateFailedError('Workflow Update failed', refused))).toBeUndefined();
  });

  it('tries a busy item again for a moment, then answers busy (503); an item settled meanwhile gets its 409', async () => {
    const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
    const exhausted = () => new ServiceError('Workflow Update failed', { cause: grpc(8, 'limit on number of concurrent in-flight updates has been reached (10)') });
    const o = { budgetMs: 2000, subject: 'plan', settled: () => Promise.resolve(undefined) };
    let n = 0;
    expect(await retryBusy(() => (++n < 3 ? Promise.reject(exhausted()) : Promise.resolve('done')), o)).toBe('done');
    const t0 = Date.now();
    const busy = await retryBusy(() => Promise.reject(exhausted()), { ...o, budgetMs: 600 }).catch((e: unknown) => e);
    expect(busy).toMatchObject({ code: 'busy', message: expect.stringMatching(/^plan 正有多人同时办理.*请稍后再试 \/ plan: too many actions on it at once/) });
    expect(Date.now() - t0).toBeLessThan(1500);
    const settled = new UserError('「绩效评估工作方案」已由 王志明 于 2026-11-25 10:32 审批通过', 'conflict');
    await expect(retryBusy(() => Promise.reject(exhausted()), { ...o, settled: () => Promise.resolve(settled) })).rejects.toBe(settled);
    // An answer of the workflow (a refusal, a conflict) goes back at once, never tried again.
    const refusal = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'Refused', message: 'no', nonRetryable: true }));
    let tries = 0;
    await expect(retryBusy(() => { tries += 1; return Promise.reject(refusal); }, o)).rejects.toBe(refusal);
    expect(tries).toBe(1);
  });

  it('tries again an item the cycle lists but whose workflow is not there yet; answers at once for one it does not list', async () => {
    const missing = new Error('workflow not found');
    const o = { budgetMs: 2000, subject: 'plan', settled: () => Promise.resolve(undefined) };
    let n = 0;
    const opening = (listed: boolean) => (err: unknown) => Promise.resolve(err === missing && listed);
    expect(await retryBusy(() => (++n < 3 ? Promise.reject(missing) : Promise.resolve('done')), { ...o, opening: opening(true) })).toBe('done');
    expect(n).toBe(3);
    let tries = 0;
    await expect(retryBusy(() => { tries += 1; return Promise.reject(missing); }, { ...o, opening: opening(false) })).rejects.toBe(missing);
    expect(tries).toBe(1);
  });

  it('knows which days exist', () => {
    for (const d of ['2019-12-31', '2020-02-29']) expect(isValidLocalDate(d), d).toBe(true);
    for (const d of ['2019-02-31', '2019-13-01', '2019-02-29', 'tomorrow', '2019-1-1', '']) expect(isValidLocalDate(d), d).toBe(false);
  });
});

describe('concurrent actions on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let client: CycleClient;
  let shutdown: () => Promise<void>;
  let input: CycleInput;
  let items: string[];

  const waitFor = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    let v = await read();
    for (let i = 0; i < 50 && !ok(v); i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  };

  beforeAll(async () => {
    env = await timeSkippingServer();
    const w = await testWorker(env, { sender: outboxSender(tempDir('races-outbox')) });
    client = w.client;
    const running = w.worker.run();
    shutdown = async () => {
      w.worker.shutdown();
      await running;
    };
    const year = new Date(Number(await env.currentTimeMs())).getFullYear();
    // This year's defaults keep every deadline ahead: no escalation interleaves with the actions.
    input = exampleCycle('races-ts', (f) => { f.year = year; f.calendar = {}; });
    const id = await client.start(input, 'office-lin');
    await waitFor(() => client.status(id), (s) => s.deliverables.length > 0);
    await client.submit(id, 'plan', { actor: 'office-lin' });
    await client.approve(id, 'plan', { actor: 'hr-reviewer' });
    await client.approve(id, 'plan', { actor: 'efficiency-group' });
    const s = await waitFor(() => client.status(id), (x) => x.deliverables.length === 17);
    items = s.deliverables.map((d) => d.id).filter((d) => d !== 'plan');
  }, 120_000);
  afterAll(async () => {
    await shutdown?.();
    await env?.teardown();
  }, 60_000);

  type Verb = 'submit' | 'approve' | 'reject';
  const cmd = fc.record({ verb: fc.constantFrom<Verb>('submit', 'approve', 'reject'), due: fc.constantFrom('none', 'impossible', 'ahead') });

  it('answers every action with its result or a clear conflict or refusal; the audit replays to the status', async () => {
    const id = input.cycleId;
    const names = input.people.map((p) => p.name);
    let run = 0;
    const tally: Record<string, number> = {};
    await fc.assert(fc.asyncProperty(fc.array(fc.array(cmd, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), async (waves) => {
      // A fresh item each run (shrinking goes on with used ones: the property holds in any state).
      const target = items[run++ % items.length]!;
      const spec = specOf(input, target)!;
      for (const wave of waves) {
        const outcomes = await Promise.allSettled(wave.map((c) => {
          if (c.verb === 'submit') return client.submit(id, target, { actor: spec.owner, note: 'race' });
          if (c.verb === 'approve') return client.approve(id, target, { actor: spec.stages[0]!.person });
          const due = c.due === 'impossible' ? '2027-02-31' : c.due === 'ahead' ? `${input.year + 1}-12-31` : undefined;
          return client.reject(id, target, { actor: spec.stages[0]!.person, reason: '补充材料', ...(due && { due }) });
        }));
        outcomes.forEach((o, i) => {
          const key = `${wave[i]!.verb} ${o.status === 'fulfilled' ? 'done' : (o.reason as UserError).code}`;
          tally[key] = (tally[key] ?? 0) + 1;
          if (o.status === 'fulfilled') return;
          const err = o.reason as Error;
          expect(err, `${wave[i]!.verb}: ${err.message}`).toBeInstanceOf(UserError);
          const code = (err as UserError).code;
          if (wave[i]!.verb === 'reject' && wave[i]!.due === 'impossible') expect(err).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^due: /) });
          else expect(['conflict', 'refused'], err.message).toContain(code);
          if (code === 'conflict') expect(names.some((n) => err.message.includes(n)), err.message).toBe(true);
        });
        const [status, replay] = await waitFor(async () => {
          const [s, audit] = await Promise.all([client.status(id), client.audit(id)]);
          return [s.deliverables.find((d) => d.id === target)!, replayDeliverable(audit, target, spec)] as const;
        }, ([s, r]) => replayMatches(r, s));
        expect(replay.errors).toEqual([]);
        expect(replayMatches(replay, status), `${target}: audit says ${replay.state}/${replay.stage}, status ${status.state}/${status.stage}`).toBe(true);
      }
    }), { numRuns: 15 });
    // Every kind of answer came up: done, conflict (late) and refused (early) alike.
    console.log(`races (time-skipping): ${JSON.stringify(tally)}`);
    expect(Object.keys(tally).filter((k) => k.endsWith(' done')).length).toBeGreaterThan(0);
    expect(Object.keys(tally).some((k) => k.endsWith(' conflict'))).toBe(true);
  }, 180_000);
});
