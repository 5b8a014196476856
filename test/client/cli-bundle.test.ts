// The CLI runs from a bundle of its sources (bin/cli-bundle.js): made once, used while no source of it
// changed, made again after one did. (Every other CLI test runs through it too.)
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';

const currentBuild = () => JSON.parse(readFileSync(join(ROOT, '.tools/cli/current.json'), 'utf8')) as { builtAt: number; dir: string; inputs: string[] };

it('is made on first use, used again while its sources are unchanged, and made again after one changes', async () => {
  const help = await runCli(['--help'], {});
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('绩效评估周期');
  const first = currentBuild();
  expect(first.inputs).toContain('client/cli/main.ts');
  expect(first.inputs).toContain('store/index.ts');
  // Of the packages only those every command loads are in the bundle; the others Node loads from node_modules.
  const packages = new Set(first.inputs.filter((p) => p.startsWith('node_modules/') && !p.endsWith('.json')).map((p) => p.split('/')[1]));
  expect([...packages].sort()).toEqual(['commander', 'luxon', 'yaml', 'zod']);

  expect((await runCli(['--help'], {})).code).toBe(0);
  expect(currentBuild().builtAt).toBe(first.builtAt);

  // An edit (here: its time) to one source the CLI is made from.
  await new Promise((r) => setTimeout(r, 20));
  const now = new Date();
  utimesSync(join(ROOT, 'client/cli/register/shared.ts'), now, now);
  const after = await runCli(['outbox', '--help'], {});
  expect(after.code).toBe(0);
  expect(after.stdout).toContain('outbox');
  const second = currentBuild();
  expect(second.builtAt).toBeGreaterThan(first.builtAt);
  expect(second.dir).not.toBe(first.dir);

  // A change to how it is made (bin/cli-bundle.js) makes it again too.
  await new Promise((r) => setTimeout(r, 20));
  const later = new Date();
  utimesSync(join(ROOT, 'bin/cli-bundle.js'), later, later);
  expect((await runCli(['--help'], {})).code).toBe(0);
  expect(currentBuild().builtAt).toBeGreaterThan(second.builtAt);
});
