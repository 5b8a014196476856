// The setting of most workflow test files: one time-skipping server from a given instant (the source
// document's calendar, see timeSkippingServer) and a real SMTP sink, both for the whole file.
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startSmtpSink, type SmtpSink } from './smtp.js';
import { timeSkippingServer } from './temporal.js';

/** Starts both before the file's tests and stops them after; read `env` and `smtp` inside the tests. */
export function timeSkippingWithSmtp(startAt: string): { env: TestWorkflowEnvironment; smtp: SmtpSink } {
  const ctx = {} as { env: TestWorkflowEnvironment; smtp: SmtpSink };
  beforeAll(async () => {
    ctx.env = await timeSkippingServer(startAt);
    ctx.smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await ctx.env?.teardown();
    await ctx.smtp?.close();
  });
  return ctx;
}
