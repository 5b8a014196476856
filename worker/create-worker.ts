// One place that knows how a worker is put together; main.ts, npm start and the tests all use it.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { outboxSender, smtpSender, type MailSender } from '../activities/mail-sender.js';
import { publicUrl, type Config } from '../domain/config.js';
import type { Store } from '../store/index.js';
import type { WorkerMetrics } from './metrics.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export function mailSenderFor(config: Config): MailSender {
  return config.SMTP_URL ? smtpSender(config.SMTP_URL) : outboxSender(join(config.DATA_DIR, 'outbox'));
}

/** `metrics`: the worker process's own (worker/metrics.ts, startWorkerMetrics); absent, nothing is measured. */
export function activityDepsFor(config: Config, store: Store, sender = mailSenderFor(config), metrics?: Pick<WorkerMetrics, 'observeLateness'>): ActivityDeps {
  return {
    sender,
    store,
    from: config.MAIL_FROM,
    portalUrl: publicUrl(config),
    ...(metrics && { observeLateness: metrics.observeLateness }),
  };
}

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  extra?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(opts.deps),
    ...opts.extra,
  });
}
