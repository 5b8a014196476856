// Issue 10, item 4: the worker's Temporal metrics. The runtime is one per process and this file runs
// in a fork of its own (vitest.config.ts), so it installs the runtime with the Prometheus exporter
// (worker/metrics.ts, as worker/main.ts does) before the first server or worker; quietRuntime() then
// finds it installed and leaves it. A worker on the dev server runs a real workflow and activity, and
// the exporter's /metrics shows them by name.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../domain/config.js';
import { installWorkerRuntime } from '../../worker/metrics.js';
import { devServer } from '../helpers/temporal.js';
import { testWorker } from '../helpers/worker.js';
import { freePort } from '../helpers/net.js';

let address: string;
let env: TestWorkflowEnvironment;
let w: Awaited<ReturnType<typeof testWorker>>;
let running: Promise<void>;

async function scrape(): Promise<string> {
  const res = await fetch(`http://${address}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

/** The scrape once `ok` holds (the exporter shows a metric once it is first recorded). */
async function scrapeUntil(ok: (text: string) => boolean, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  let text = '';
  while (Date.now() < deadline) {
    text = await scrape();
    if (ok(text)) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
  return text;
}

beforeAll(async () => {
  address = `127.0.0.1:${await freePort()}`;
  const config = parseConfig({ WORKER_METRICS_ADDRESS: address });
  expect(installWorkerRuntime(config, { logger: new DefaultLogger('WARN') })).toBe(true);
  env = await devServer();
  w = await testWorker(env);
  running = w.worker.run();
});

afterAll(async () => {
  if (w?.worker.getState() === 'RUNNING') w.worker.shutdown();
  await running;
  await env?.teardown();
});

describe('the worker exports Temporal\'s metrics (WORKER_METRICS_ADDRESS)', () => {
  it('serves the runtime\'s metrics in Prometheus format, the worker\'s task queue among them', async () => {
    const text = await scrapeUntil((t) => t.includes(`task_queue="${w.taskQueue}"`));
    expect(text).toMatch(/^# (HELP|TYPE) temporal_/m);
    expect(text).toMatch(new RegExp(`^temporal_num_pollers\\{[^}]*task_queue="${w.taskQueue}"[^}]*\\} [1-9]`, 'm'));
  });

  it('counts the workflows and activities the worker ran, by type', async () => {
    const result = await env.client.workflow.execute('cityGrading', {
      taskQueue: w.taskQueue, workflowId: `metrics-grading-${w.taskQueue}`,
      args: [{ year: 2019, cycles: [], external: [{ unit: '甲局', score: 95, vetoes: [] }, { unit: '乙局', score: 80, vetoes: [] }], startedBy: 'test' }],
    });
    expect(result).toMatchObject({ year: 2019 });
    const text = await scrapeUntil((t) => /^temporal_workflow_completed\{[^}]*workflow_type="cityGrading"/m.test(t));
    expect(text).toMatch(/^temporal_workflow_completed\{[^}]*workflow_type="cityGrading"[^}]*\} 1$/m);
    expect(text).toMatch(/^temporal_activity_execution_latency_count\{[^}]*activity_type="collectUnitScores"[^}]*\} 1$/m);
  });

  it('is the runtime the SDK uses: a second install is refused, as the SDK does', () => {
    expect(() => installWorkerRuntime({ WORKER_METRICS_ADDRESS: address })).toThrow(/WORKER_METRICS_ADDRESS=.*already been installed/);
    expect(Runtime.instance()).toBeDefined();
  });

  it('installs nothing when the variable is unset', () => {
    expect(installWorkerRuntime(parseConfig({}))).toBe(false);
  });

  it('takes an ip:port, as the runtime\'s exporter does (no host name)', () => {
    for (const ok of ['0.0.0.0:9464', '127.0.0.1:0', '[::1]:9464', '[::]:9465']) expect(parseConfig({ WORKER_METRICS_ADDRESS: ok, WORKER_APP_METRICS_ADDRESS: ok })).toMatchObject({ WORKER_METRICS_ADDRESS: ok });
    for (const bad of ['localhost:9464', '9464', '127.0.0.1', '256.0.0.1:9464', '127.0.0.1:65536', '::1:9464', 'http://127.0.0.1:9464']) {
      expect(() => parseConfig({ WORKER_METRICS_ADDRESS: bad }), bad).toThrow(/WORKER_METRICS_ADDRESS: expected ip:port/);
      expect(() => parseConfig({ WORKER_APP_METRICS_ADDRESS: bad }), bad).toThrow(/WORKER_APP_METRICS_ADDRESS/);
    }
  });
});
