import { defineConfig } from 'vitest/config';

// The Temporal native bridge misbehaves in worker threads: keep each test file in its own fork.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    // Bundles the workflows once for the run (test/helpers/global-setup.ts says why).
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
