// Real Temporal servers for tests, from the binaries scripts/setup.sh installs.
import { existsSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalCliPath, temporalTestServerPath } from '../../worker/temporal-binaries.js';

let quiet = false;
/** Warnings and errors only: the worker's INFO lines would bury a failing assertion. Must run before
 * the first server or worker of the process, which installs the default runtime. */
export function quietRuntime(): void {
  if (quiet) return;
  quiet = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed in this process.
  }
}

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

/**
 * The time-skipping server starts at the machine's clock and only moves forward. To run a past
 * year's calendar (the source document's 2019 cycle) it is started under libfaketime (Debian's
 * `faketime`, installed by setup) at the instant given; production code has no clock hook.
 */
export async function timeSkippingServer(startAt?: string): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = temporalTestServerPath();
  if (!startAt) return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} missing: run npm run setup (installs Debian's faketime)`);
  const saved = { preload: process.env.LD_PRELOAD, faketime: process.env.FAKETIME, tz: process.env.TZ };
  const utc = new Date(startAt).toISOString().replace('T', ' ').slice(0, 19);
  Object.assign(process.env, { LD_PRELOAD: LIBFAKETIME, FAKETIME: `@${utc}`, TZ: 'UTC' });
  try {
    return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  } finally {
    for (const [k, v] of [['LD_PRELOAD', saved.preload], ['FAKETIME', saved.faketime], ['TZ', saved.tz]] as const) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  }
}

/**
 * By default the server deletes a closed workflow only once its close has reached visibility, which on
 * the dev server took 32 s (measured with the CLI: 0.09 s without the check). A test that deletes one
 * (test/api/closed-cycle.test.ts) is about what stays after, not about that wait.
 */
const DELETE_AT_ONCE = ['history.transferProcessorEnsureCloseBeforeDelete=false', 'history.visibilityProcessorEnsureCloseBeforeDelete=false']
  .flatMap((v) => ['--dynamic-config-value', v]);

export async function devServer(opts: { dbFilename?: string } = {}): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() }, ...(opts.dbFilename && { dbFilename: opts.dbFilename }), ui: false, extraArgs: DELETE_AT_ONCE,
    },
  });
}

export async function serverNow(env: TestWorkflowEnvironment): Promise<Date> {
  return new Date(Number(await env.currentTimeMs()));
}
