import { defineConfig } from 'vitest/config';
import { Sequencer } from './test/helpers/sequencer.js';

// The Temporal native bridge misbehaves in worker threads: tests run in child processes (forks).
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // Bundles the workflows once for the run (test/helpers/global-setup.ts says why).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Files share worker processes: each process loads the modules (the SDK, fastify, the sources)
    // once rather than once per file, a third of the suite's CPU (469 → 323 CPU-s). What a file makes
    // in the helpers' modules ends with it (test/helpers/per-file.ts).
    isolate: false,
    setupFiles: ['test/helpers/per-file.ts'],
    // Three files at a time on two cores: much of a file's time is waiting on its servers and real
    // clocks (a mail's retry round, a deletion), and a third file uses the cores meanwhile (336 → 280 s
    // on this machine against two; vitest's default here, one core less than the machine's, is one).
    maxWorkers: 3,
    sequence: { sequencer: Sequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
