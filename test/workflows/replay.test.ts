// Every recorded history must replay on today's workflow code: a change that would break a running
// cycle fails here, and must be guarded with patched() instead.
import { describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { loadHistories } from '../helpers/histories.js';

describe('recorded cycle histories', () => {
  const histories = loadHistories();

  it('exist (a replay test over nothing would prove nothing)', () => {
    expect(histories.length).toBeGreaterThanOrEqual(3);
  });

  it('replay without non-determinism on the current workflow code', async () => {
    const results = [];
    const iterable = histories.map(({ workflowId, history }) => ({ workflowId, history }));
    for await (const r of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, replayName: 'perfcycle-replay' }, iterable)) {
      results.push({ id: r.workflowId, error: r.error ? String(r.error) : undefined });
    }
    expect(results.filter((r) => r.error)).toEqual([]);
    expect(results).toHaveLength(histories.length);
  });
});
