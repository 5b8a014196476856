// The worker as production builds it: it bundles the workflows itself (the tests otherwise share one
// bundle, test/helpers/global-setup.ts), with the modules all workflows share (WORKFLOW_BUNDLE_OPTIONS).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { exampleCycle } from '../helpers/cycle.js';
import { sharedWorkflowBundle, testWorker } from '../helpers/worker.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

describe('the production worker', () => {
  it('bundles the workflows itself and runs a cycle; an action right after the start waits for its item', async () => {
    const cycle = exampleCycle('own-bundle');
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url, ownBundle: true });
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      // At once: the cycle opens the plan in its first task, so this is neither a 404 nor a wait.
      await client.submit(cycle.cycleId, 'plan', { actor: 'office-lin' });
      const plan = (await client.status(cycle.cycleId)).deliverables.find((d) => d.id === 'plan');
      expect(plan?.state).toBe('in-review');
    });
    // The tests' allowance for a loaded machine reaches the SDK (it does not declare the option).
    expect(worker.options.isolateExecutionTimeoutMs).toBe(60_000);
  });

  it('shares luxon and the holiday table between workflows instead of loading them per workflow', () => {
    const code = readFileSync(sharedWorkflowBundle().codePath, 'utf8');
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    // webpack names each module by its resolved path
    expect(preload).toMatch(/"\.\/workflows\/shared-modules\.ts"/);
    expect(preload).toMatch(/node_modules\/chinese-days\/dist\/chinese-days\.json"/);
    expect(preload).not.toContain('zod');
  });
});
