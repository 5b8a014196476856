// The live benchmark's worker (scripts/bench-live.ts), in a process of its own so that its memory is
// its own: built by worker/create-worker.ts as production builds it, on a pre-built workflow bundle
// (bundling is webpack's memory, not the worker's), with Temporal's metrics on METRICS_PORT.
//
// Reminder lateness is the product's own figure: the mail activity calls `observeLateness` (the hook
// worker/metrics.ts feeds its histogram from) with send time − slot, once per digest really sent. The
// histogram's buckets are too coarse for a p99 near a second, so here the hook keeps every value, and
// the digest it was for (sent alone or with others of its slot): the parent tells the digests due at
// the benchmark's slot from the ones raised by an action or an opening ("assigned").
import { DefaultLogger, NativeConnection, Runtime, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../../activities/index.js';
import type { Digest } from '../../activities/mail.js';
import { smtpSender } from '../../activities/mail-sender.js';
import { openStore } from '../../store/index.js';
import { createWorker } from '../../worker/create-worker.js';

export interface LiveWorkerEnv {
  TEMPORAL_ADDRESS: string;
  TASK_QUEUE: string;
  WORKFLOW_BUNDLE: string;
  METRICS_PORT: string;
  DATABASE_URL: string;
  SMTP_URL: string;
  /** JSON of extra WorkerOptions (experiments: maxCachedWorkflows, …). */
  BENCH_WORKER_OPTIONS?: string;
}

/** One digest sent: its slot, when its last notice was raised in the cycle, when observeLateness heard of it, and what it said. */
export interface Sent { slot: string; raisedMs?: number; sentMs: number; seconds: number; kinds: string[] }

export interface LiveSample {
  rssMiB: number;
  heapUsedMiB: number;
  externalMiB: number;
  cachedWorkflows: number;
  maxCachedWorkflows: number;
  inFlightActivations: number;
  inFlightActivities: number;
}

export type ToWorker = { type: 'sample'; gc?: boolean } | { type: 'sent' } | { type: 'stop' };
export type FromWorker = { type: 'ready' } | { type: 'sample'; sample: LiveSample } | { type: 'sent'; sent: Sent[] };

const env = process.env as unknown as LiveWorkerEnv;
const mib = (n: number) => Math.round(n / 2 ** 20);

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${env.METRICS_PORT}` } } },
});

const sent: Sent[] = [];
const store = await openStore(env.DATABASE_URL, { max: 10 });
const sender = smtpSender(env.SMTP_URL);
const deps: ActivityDeps = {
  sender, store, from: 'perfcycle <perfcycle@bench>',
  observeLateness: (seconds, d: Digest) => {
    const raised = Math.max(...d.notices.map((n) => n.raisedMs ?? 0));
    sent.push({ slot: d.slot, ...(raised > 0 && { raisedMs: raised }), sentMs: Date.now(), seconds, kinds: [...new Set(d.notices.map((n) => n.kind))] });
  },
};
const activities = createActivities(deps);

const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const worker = await createWorker({
  connection, namespace: 'default', taskQueue: env.TASK_QUEUE, deps,
  workflowBundle: { codePath: env.WORKFLOW_BUNDLE },
  extra: { ...(JSON.parse(env.BENCH_WORKER_OPTIONS || '{}') as Partial<WorkerOptions>), activities },
});

const send = (m: FromWorker) => process.send?.(m);
process.on('message', (msg: ToWorker) => {
  if (msg.type === 'sample') {
    if (msg.gc) (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const s = worker.getStatus();
    send({
      type: 'sample',
      sample: {
        rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external), cachedWorkflows: s.numCachedWorkflows,
        maxCachedWorkflows: worker.options.maxCachedWorkflows, inFlightActivations: s.numInFlightWorkflowActivations, inFlightActivities: s.numInFlightActivities,
      },
    });
  }
  if (msg.type === 'sent') send({ type: 'sent', sent });
  if (msg.type === 'stop') worker.shutdown();
});
const running = worker.run();
send({ type: 'ready' });
await running;
sender.close();
await store.close();
await connection.close();
process.exit(0);
