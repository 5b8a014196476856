// A worker in a process of its own, so a test can kill it the hard way (SIGKILL: no shutdown, no
// release of a claim, the SMTP connection cut) and start another. Built by createWorker, as
// worker/main.ts builds it, against the dev server, task queue, database and SMTP server the test
// passes in its environment. Run as `node --import tsx test/helpers/worker-process.ts`; the test
// side is startWorkerProcess below.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { smtpSender } from '../../activities/mail-sender.js';
import { openStore } from '../../store/index.js';
import { createWorker } from '../../worker/create-worker.js';
import { ROOT } from './cli.js';
import { sharedWorkflowBundle, TEST_WORKER_OPTIONS } from './worker.js';

const SELF = fileURLToPath(import.meta.url);

export interface WorkerProcessEnv {
  TEMPORAL_ADDRESS: string;
  TASK_QUEUE: string;
  DATABASE_URL: string;
  SMTP_URL: string;
  /** A pre-built workflow bundle (workflowBundleFile): each process saves the seconds of bundling. */
  WORKFLOW_BUNDLE?: string;
}

/** The run's workflow bundle (test/helpers/global-setup.ts), for WORKFLOW_BUNDLE. Called in the test, not the child. */
export function workflowBundleFile(): Promise<string> {
  return Promise.resolve(sharedWorkflowBundle().codePath);
}

export interface WorkerProcess {
  child: ChildProcess;
  /** What it printed, for a failing test's message. */
  output(): string;
  /** SIGKILL: the process dies at once, mid-whatever. Resolves when it is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the worker shuts down gracefully. */
  stop(): Promise<void>;
}

/** Starts a worker process; resolves once its worker polls the task queue. */
export function startWorkerProcess(env: WorkerProcessEnv): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    if (alive()) child.kill(signal);
    // A shutdown that hangs must not hang the test's clean-up.
    const late = setTimeout(() => { if (alive()) child.kill('SIGKILL'); }, 10_000);
    await gone;
    clearTimeout(late);
  };
  const handle: WorkerProcess = { child, output: () => out, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void end('SIGKILL'); reject(new Error(`worker process not ready in 60 s:\n${out}`)); }, 60_000);
    const read = (chunk: string) => {
      out += chunk;
      if (out.includes('worker-process ready')) { clearTimeout(timer); resolve(handle); }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', (code, signal) => { clearTimeout(timer); reject(new Error(`worker process exited (${code ?? signal}):\n${out}`)); });
  });
}

async function main(env: WorkerProcessEnv): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const store = await openStore(env.DATABASE_URL, { max: 4 });
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const sender = smtpSender(env.SMTP_URL);
  const worker = await createWorker({
    connection, namespace: 'default', taskQueue: env.TASK_QUEUE,
    deps: { sender, store, from: 'perfcycle <perfcycle@test>' },
    ...(env.WORKFLOW_BUNDLE && { workflowBundle: { codePath: env.WORKFLOW_BUNDLE } }),
    extra: TEST_WORKER_OPTIONS,
  });
  const running = worker.run(); // shuts down gracefully on SIGTERM
  console.log(`worker-process ready pid=${process.pid} queue=${env.TASK_QUEUE}`);
  await running;
  sender.close();
  await connection.close();
  await store.close();
}

if (process.argv[1] === SELF) await main(process.env as unknown as WorkerProcessEnv);
