import { defineConfig } from 'vitest/config';

// The Temporal native bridge misbehaves in worker threads: keep each test file in its own fork.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // Bundles the workflows once for the run (test/helpers/global-setup.ts says why).
    globalSetup: ['test/helpers/global-setup.ts'],
    // Two files at a time on two cores: most of a file's time is waiting on its servers and clocks
    // (vitest's default here, one core less than the machine's, would run one file at a time).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
