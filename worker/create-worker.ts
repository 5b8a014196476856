// One place that knows how a worker is put together; main.ts, npm start and the tests all use it.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { NativeConnection, Worker, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { outboxSender, smtpSender, type MailSender } from '../activities/mail-sender.js';
import { publicUrl, type Config } from '../domain/config.js';
import type { Store } from '../store/index.js';
import type { WorkerMetrics } from './metrics.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/**
 * Modules all workflows share instead of each evaluating its own copy: Temporal's reusable V8 context
 * runs a workflow's modules anew for every workflow, except these, which it loads once and freezes.
 * Only modules nothing writes to after loading qualify: luxon (through workflows/shared-modules.ts) and
 * the State Council's holiday table do (the replay and cycle tests run with them shared). zod does not:
 * it writes its locale, its regexes' lastIndex and its caches into its own exported objects, so domain
 * schemas are built lazily instead (domain/lazy.ts).
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: [fileURLToPath(new URL('../workflows/shared-modules.ts', import.meta.url)), 'chinese-days/dist/chinese-days.json'],
};

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
  /**
   * Workflow code bundled beforehand: the tests share one bundle per run, where bundling here would cost
   * each of their many workers seconds of webpack. Absent (production), the worker bundles WORKFLOWS_PATH.
   */
  workflowBundle?: WorkflowBundleOption;
  extra?: Partial<WorkerOptions>;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    // The SDK takes one or the other (given both, it warns and ignores the path).
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules } }),
    activities: createActivities(opts.deps),
    ...opts.extra,
  });
}
