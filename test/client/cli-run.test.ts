// client/cli/run.ts: a command run inside another program answers as the same command run by a user
// in its own process, whatever that program's own exit code is.
import { afterEach, expect, it } from 'vitest';
import { runCli, runCliProcess } from '../helpers/cli.js';

const saved = process.exitCode;
afterEach(() => { process.exitCode = saved; });

const COMMANDS = [['help'], ['help', 'outbox'], ['admin'], ['--help'], ['no-such-command']];

it.each(COMMANDS.map((args) => [args.join(' '), args] as const))('perfcycle %s: the same exit code and streams as in its own process', async (_line, args) => {
  const own = await runCliProcess([...args], {});
  // A program that has already failed something: not the command's business.
  process.exitCode = 3;
  const here = await runCli([...args], {});
  process.exitCode = saved;
  expect(here).toEqual(own);
});
