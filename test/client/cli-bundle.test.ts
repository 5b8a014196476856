// The CLI runs from a bundle of its sources (bin/cli-bundle.js): made once, used while no source of it
// changed, made again after one did; and, run so, the process's exit code and streams are the command's.
// (The other CLI tests run their commands in the test's process; PERFCYCLE_TEST_CLI=process runs them all so.)
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, runCliProcess as runCli } from '../helpers/cli.js';

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

it('as a process: its output on stdout, a user\'s error on stderr in one line without a stack, and the exit code', async () => {
  const help = await runCli(['outbox', '--help'], {});
  expect(help).toMatchObject({ code: 0, stderr: '' });
  expect(help.stdout).toContain('outbox');
  // An option out of range: the command's own error, exit 1.
  const bad = await runCli(['audit', 'perfcycle-x-2019', '--format', 'yaml'], {});
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^错误 \/ error: --format: .*json, csv or table/)]);
  // commander's own: an unknown command is exit 1 with its usage message.
  const unknown = await runCli(['no-such-command'], {});
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/unknown command/);
});
