// The parent's side of the live benchmark's worker process (scripts/bench/live-worker.ts): starts it,
// asks it over IPC for its memory and the digests it sent, reads its Temporal metrics, stops it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/helpers/net.js';
import type { FromWorker, LiveSample, LiveWorkerEnv, Sent, ToWorker } from './live-worker.js';

export type LiveWorker = Awaited<ReturnType<typeof startLiveWorker>>;

export async function startLiveWorker(o: { address: string; taskQueue: string; bundlePath: string; databaseUrl: string; smtpUrl: string; workerOptions: string; nodeOptions: string }) {
  const metricsPort = await freePort();
  const env: LiveWorkerEnv = {
    TEMPORAL_ADDRESS: o.address, TASK_QUEUE: o.taskQueue, WORKFLOW_BUNDLE: o.bundlePath, METRICS_PORT: String(metricsPort),
    DATABASE_URL: o.databaseUrl, SMTP_URL: o.smtpUrl, BENCH_WORKER_OPTIONS: o.workerOptions,
  };
  const child = fork(fileURLToPath(new URL('live-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...o.nodeOptions.split(' ').filter(Boolean)],
    env: { ...process.env, ...env },
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
    child.on('message', (m: FromWorker) => { if (m.type === 'ready') resolve(); });
  });
  const ask = <K extends FromWorker['type']>(msg: ToWorker & { type: K }) => new Promise<Extract<FromWorker, { type: K }>>((resolve) => {
    const on = (m: FromWorker) => {
      if (m.type !== msg.type) return;
      child.off('message', on);
      resolve(m as Extract<FromWorker, { type: K }>);
    };
    child.on('message', on);
    child.send(msg);
  });
  return {
    pid: child.pid!,
    sample: async (gc = false): Promise<LiveSample> => (await ask({ type: 'sample', gc })).sample,
    sent: async (): Promise<Sent[]> => (await ask({ type: 'sent' })).sent,
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
    async stop() {
      child.send({ type: 'stop' } satisfies ToWorker);
      const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(late);
    },
    kill: () => child.kill('SIGKILL'),
  };
}
