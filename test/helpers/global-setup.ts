// vitest globalSetup: bundles the workflow code once per run, in the main process, for every test
// file's workers (test/helpers/worker.ts sharedWorkflowBundle). Each worker given workflowsPath runs
// webpack itself, seconds of CPU each, and the suite creates dozens of them on a two-core machine.
// Likewise the image of a new, migrated PGlite database each test file's own starts from (the file's
// processes inherit the variable that names it: test/helpers/db.ts).
// And one directory for every temp dir of the run (see runTempDir).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/create-worker.js';
import { PGLITE_IMAGE_ENV, writePgliteImage } from './db.js';
import { runTempDir } from './run-temp.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file the workflow bundle of this run is in (webpack output, inline source map). */
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const run = runTempDir();
  process.env.TMPDIR = run;
  const dir = mkdtempSync(join(run, 'perfcycle-bundle-'));
  const path = join(dir, 'workflows.js');
  const build = async () => {
    const { code } = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
    writeFileSync(path, code);
  };
  const image = join(dir, 'pglite.tar');
  await Promise.all([build(), writePgliteImage(image)]);
  process.env[PGLITE_IMAGE_ENV] = image;
  project.provide('workflowBundlePath', path);
  // Watch mode: a rerun may follow an edit of the workflows.
  project.onTestsRerun(build);
  return () => rmSync(run, { recursive: true, force: true });
}
