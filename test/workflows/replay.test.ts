// Every recorded history must replay on today's workflow code: a change that would break a running
// cycle fails here, and must be guarded with patched() instead.
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { sharedWorkflowBundle } from '../helpers/worker.js';
import { loadHistories } from '../helpers/histories.js';

describe('recorded cycle histories', () => {
  const histories = loadHistories();

  it('exist (a replay test over nothing would prove nothing)', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it('include a set recorded after each change of what a cycle does (v4: fresh-digests; v5: items held in the cycle, patch items-held; v6: length-on-record; v7: digests-together; v8: grace-from-schedule, a spread chase; v9: one-alarm)', () => {
    expect(new Set(histories.map((h) => h.file.split('/')[0]))).toEqual(new Set(['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9']));
    const patches = (h: (typeof histories)[number]) => (h.history.events ?? []).flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {})
      .flatMap((p) => (p.payloads ?? []).map((x) => Buffer.from(x.data ?? []).toString())));
    const v4 = histories.filter((h) => h.file.startsWith('v4/'));
    expect(v4.map((h) => h.workflowId)).toContain('perfcycle-jinjiang-zrzy-y2019-2019');
    expect(v4.some((h) => patches(h).some((p) => p.includes('fresh-digests')))).toBe(true);
    // Children of earlier cycles still replay (v1-v4); a v5 cycle started none and holds its items.
    const v5 = histories.filter((h) => h.file.startsWith('v5/'));
    expect(v5.map((h) => h.workflowId)).toContain('perfcycle-jinjiang-zrzy-y2019-2019');
    expect(v5.every((h) => !h.workflowId.includes('.'))).toBe(true);
    expect(v5.filter((h) => patches(h).some((p) => p.includes('items-held'))).length).toBeGreaterThanOrEqual(2);
    // A run that began from another's hand-over, its items resumed mid-chase.
    const resumed = v5.filter((h) => h.file.endsWith('@2.pb'));
    expect(resumed).toHaveLength(1);
    const v6 = histories.filter((h) => h.file.startsWith('v6/'));
    expect(v6.filter((h) => patches(h).some((p) => p.includes('length-on-record'))).length).toBeGreaterThanOrEqual(3);
    // A slot's digests in one activity: recorded by whole cycles, each with such a batch.
    const v7 = histories.filter((h) => h.file.startsWith('v7/'));
    const batched = v7.filter((h) => patches(h).some((p) => p.includes('digests-together'))
      && (h.history.events ?? []).some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'sendDigests'));
    expect(batched.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['perfcycle-jinjiang-zrzy-y2019-2019', 'perfcycle-jinjiang-zrzy-t2019-2019']));
    // A whole cycle with its chase's mails due from their schedule, and one chased at its second of a spread.
    const v8 = histories.filter((h) => h.file.startsWith('v8/'));
    const startInput = (h: (typeof histories)[number]) => Buffer.from(h.history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data ?? []).toString();
    expect(v8.filter((h) => patches(h).some((p) => p.includes('grace-from-schedule'))).map((h) => h.workflowId))
      .toEqual(expect.arrayContaining(['perfcycle-jinjiang-zrzy-y2019-2019', 'perfcycle-jinjiang-zrzy-spread-a-2019']));
    expect(v8.filter((h) => startInput(h).includes('"spreadMinutes":10')).map((h) => h.workflowId)).toEqual(['perfcycle-jinjiang-zrzy-spread-a-2019']);
    // A whole cycle whose items share one timer, moved as phases open and items are done.
    const v9 = histories.filter((h) => h.file.startsWith('v9/'));
    const alarmed = v9.filter((h) => patches(h).some((p) => p.includes('one-alarm')));
    expect(alarmed.map((h) => h.workflowId)).toEqual(['perfcycle-jinjiang-zrzy-y2019-2019']);
    expect((alarmed[0]!.history.events ?? []).filter((e) => e.timerCanceledEventAttributes).length).toBeGreaterThan(0);
    const input = Buffer.from(resumed[0]!.history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data ?? []).toString();
    expect(input).toContain('"itemsHeld":true');
    expect(input).toContain('"chasedToMs"');
  });

  // 33 whole histories, one after another: 38–50 s on a day this machine ran at half speed.
  it('replay without non-determinism on the current workflow code', { timeout: 180_000 }, async () => {
    const results = [];
    const iterable = histories.map(({ workflowId, history }) => ({ workflowId, history }));
    for await (const r of Worker.runReplayHistories({ workflowBundle: sharedWorkflowBundle(), replayName: 'perfcycle-replay' }, iterable)) {
      results.push({ id: r.workflowId, error: r.error ? String(r.error) : undefined });
    }
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(histories.length);
  });
});
