// A worker wired to a test server, a real SMTP sink (or an outbox dir) and a temp data dir.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerOptions, WorkflowBundlePath } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Store } from '../../store/index.js';
import { sharedStore } from './db.js';
import { smtpSender, type MailSender } from '../../activities/mail-sender.js';
import { CycleClient } from '../../client/cycle-client.js';
import { UserError } from '../../client/errors.js';
import { createWorker } from '../../worker/create-worker.js';
import { quietRuntime, serverNow } from './temporal.js';
import { tempDir } from './cycle.js';

/** The workflow bundle test/helpers/global-setup.ts built once for this run (it says why). */
export function sharedWorkflowBundle(): WorkflowBundlePath {
  return { codePath: inject('workflowBundlePath') };
}

/**
 * The SDK stops a workflow activation that runs 5 s (a guard against endless loops) by terminating V8
 * mid-task, which can abort the whole process ("async hook stack has become corrupted"). On this
 * 2-core machine running two test files with their servers, an activation of 0.1 s was seen to stall
 * that long; tests allow a minute rather than die of the machine's load. (The SDK reads the option
 * from the options it is given but does not declare it: hence the cast.)
 */
export const TEST_WORKER_OPTIONS = { isolateExecutionTimeout: '60s' } as Partial<WorkerOptions>;

/** `ownBundle`: the worker bundles the workflows itself, as in production (worker/main.ts, npm start). */
export async function testWorker(env: TestWorkflowEnvironment, opts: { smtpUrl?: string; sender?: MailSender; dataDir?: string; taskQueue?: string; store?: Store; extra?: Partial<WorkerOptions>; ownBundle?: boolean } = {}) {
  quietRuntime();
  const taskQueue = opts.taskQueue ?? `test-${randomUUID()}`;
  const dataDir = opts.dataDir ?? tempDir('data');
  const store = opts.store ?? await sharedStore();
  const sender = opts.sender ?? smtpSender(opts.smtpUrl ?? 'smtp://127.0.0.1:1');
  const worker = await createWorker({
    connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue,
    deps: { sender, store, from: 'perfcycle <perfcycle@test>' },
    ...(!opts.ownBundle && { workflowBundle: sharedWorkflowBundle() }),
    extra: { ...TEST_WORKER_OPTIONS, ...opts.extra },
  });
  const client = new CycleClient(env.client, { taskQueue, store, now: () => serverNow(env) });
  return { worker, client, taskQueue, dataDir, store };
}

/** Moves the test server's clock to `iso` (time skipped, never waited). */
export async function skipTo(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const ms = Date.parse(iso) - (await serverNow(env)).getTime();
  if (ms > 0) await env.sleep(ms);
}

/**
 * Ends a cycle and its deliverables (they outlive it): the time-skipping server would otherwise wait on
 * their timers, with no worker left to run them, when the next test skips time.
 */
export async function stopCycle(env: TestWorkflowEnvironment, cycleId: string, deliverables: string[]): Promise<void> {
  for (const wf of [cycleId, ...deliverables.map((d) => `${cycleId}.${d}`)]) {
    await env.client.workflow.getHandle(wf).terminate('test over').catch(() => undefined);
  }
}

/** The UserError a promise fails with (its code and message), or a test failure when it does not fail. */
export async function failure(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof UserError)) throw new Error(`expected a UserError, got ${String(err)}`);
  return err;
}
