#!/usr/bin/env node
// Runs the CLI from its bundle (bin/cli-bundle.js: made on first use, and again after a source changes);
// where none can be made, from the TypeScript sources through tsx's loader.
import { cliBundle } from './cli-bundle.js';

const bundle = await cliBundle();
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../client/cli/main.ts');
}
