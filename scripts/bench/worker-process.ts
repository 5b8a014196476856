// The benchmark's worker, in a process of its own so that its memory is its own: the city's worker as
// worker/create-worker.ts builds it (the same options as production, plus BENCH_WORKER_OPTIONS when an
// experiment passes some), or the floor's. It runs a pre-built workflow bundle (bundling is webpack's
// memory, not the worker's), exports the SDK's metrics for Prometheus, and answers the parent's
// 'sample' messages with its memory and worker status.
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { smtpSender } from '../../activities/mail-sender.js';
import { openStore } from '../../store/index.js';
import { createWorker } from '../../worker/create-worker.js';
import { heapSnapshots } from './heap-snapshot.js';

export interface BenchWorkerEnv {
  BENCH_KIND: 'city' | 'floor';
  TEMPORAL_ADDRESS: string;
  TASK_QUEUE: string;
  WORKFLOW_BUNDLE: string;
  METRICS_PORT: string;
  DATABASE_URL?: string;
  SMTP_URL?: string;
  /** JSON of extra WorkerOptions (experiments: maxCachedWorkflows, …). */
  BENCH_WORKER_OPTIONS?: string;
  /** A directory: heap snapshots of the worker's threads (scripts/bench/heap-snapshot.ts). */
  BENCH_HEAP_SNAPSHOT?: string;
  BENCH_HEAP_SNAPSHOT_CACHED?: string;
}

export interface WorkerSample {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  cachedWorkflows: number;
  inFlightActivations: number;
  inFlightActivities: number;
  workerState: string;
}

const env = process.env as unknown as BenchWorkerEnv;
const mib = (n: number) => Math.round(n / 2 ** 20);
// Before the SDK starts its threads.
const snapshotAt = heapSnapshots(env.BENCH_HEAP_SNAPSHOT, Number(env.BENCH_HEAP_SNAPSHOT_CACHED ?? 80));

Runtime.install({
  logger: new DefaultLogger('WARN'),
  telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${env.METRICS_PORT}` } } },
});
const extra: Partial<WorkerOptions> = JSON.parse(env.BENCH_WORKER_OPTIONS || '{}');
const workflowBundle = { codePath: env.WORKFLOW_BUNDLE };
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
let close = async () => {};
let worker: Worker;
if (env.BENCH_KIND === 'city') {
  const store = await openStore(env.DATABASE_URL!, { max: 10 });
  const sender = smtpSender(env.SMTP_URL!);
  worker = await createWorker({
    connection, namespace: 'default', taskQueue: env.TASK_QUEUE,
    deps: { sender, store, from: 'perfcycle <perfcycle@bench>' },
    workflowBundle,
    extra,
  });
  close = async () => { sender.close(); await store.close(); };
} else {
  worker = await Worker.create({
    connection, namespace: 'default', taskQueue: env.TASK_QUEUE,
    activities: { noop: async (n: number) => n },
    workflowBundle,
    ...extra,
  });
}

const sample = (): WorkerSample => {
  const m = process.memoryUsage();
  const s = worker.getStatus();
  return {
    rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external),
    cachedWorkflows: s.numCachedWorkflows, inFlightActivations: s.numInFlightWorkflowActivations,
    inFlightActivities: s.numInFlightActivities, workerState: s.runState,
  };
};
process.on('message', (msg: { type: string; gc?: boolean }) => {
  if (msg.type === 'sample') {
    snapshotAt(worker.getStatus().numCachedWorkflows);
    if (msg.gc) (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ type: 'sample', sample: sample() });
  }
  if (msg.type === 'stop') worker.shutdown();
});
const running = worker.run();
process.send?.({ type: 'ready', pid: process.pid });
await running;
await close();
await connection.close();
process.exit(0);
