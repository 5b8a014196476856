// The CLI's commands as a user gives them (runCli), and the API it signs in to, served on a local port
// over the test's worker client.
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { outboxSender } from '../../activities/mail-sender.js';
import { buildApi } from '../../client/api/app.js';
import { runCommand } from '../../client/cli/run.js';
import type { CycleClient } from '../../client/cycle-client.js';
import { hashPassword } from '../../client/portal/password.js';
import { portalSettings } from '../../client/portal/settings.js';
import type { CycleInput } from '../../domain/cycle.js';
import { tempDir } from './cycle.js';
import { sharedDb } from './db.js';
import { seedDirectory } from './directory.js';
import { devServer } from './temporal.js';
import { testWorker } from './worker.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun { code: number | null; stdout: string; stderr: string }

/**
 * `input`: what the user types or pipes in (a password, a pasted link), written when it resolves, so a
 * test can paste a link that is mailed only once the CLI has asked for it. Without it stdin is empty.
 *
 * The command runs in this process (client/cli/run.ts, with its own environment, streams and exit code):
 * a child process per command cost 0.3–0.9 s of CPU each, a third of the suite's. PERFCYCLE_TEST_CLI=process
 * runs every command as a user does, `node bin/perfcycle.js …` in a child process (test/client/cli-bundle.test.ts
 * always does).
 */
export function runCli(args: string[], env: Record<string, string>, input?: string | Promise<string>): Promise<CliRun> {
  return process.env.PERFCYCLE_TEST_CLI === 'process' ? runCliProcess(args, env, input) : runCliHere(args, env, input);
}

async function runCliHere(args: string[], env: Record<string, string>, input?: string | Promise<string>): Promise<CliRun> {
  const stdin = new PassThrough();
  // Input that could not be made fails the run, as runCliProcess does, and nothing else.
  let noInput: (err: unknown) => void = () => undefined;
  const inputFailed = new Promise<never>((_, reject) => { noInput = reject; });
  void Promise.resolve(input ?? '').then((text) => stdin.end(text), (err: unknown) => { stdin.end(); noInput(err); });
  let stdout = '';
  let stderr = '';
  const code = await Promise.race([inputFailed, runCommand(args, {
    env: { ...process.env, ...env }, stdin, exitCode: 0,
    write: (text) => { stdout += text; },
    writeErr: (text) => { stderr += text; },
  })]);
  return { code, stdout, stderr };
}

export function runCliProcess(args: string[], env: Record<string, string>, input?: string | Promise<string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/perfcycle.js', ...args], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c; });
    child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A CLI that exits without reading its input (a usage error) closes the pipe: not the test's failure.
    child.stdin.on('error', () => undefined);
    void Promise.resolve(input ?? '').then((text) => child.stdin.end(text), (err: unknown) => { child.kill(); reject(err); });
  });
}

export interface CliApi {
  url: string;
  /** The API's DATA_DIR: its file store, and its outbox of sign-in links. */
  dataDir: string;
  /** PERFCYCLE_API and a fresh PERFCYCLE_HOME (the CLI's credentials) for the CLI. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The API over the test's worker client, listening on a free local port, as a server the CLI reaches by URL. */
export async function cliApi(client: CycleClient): Promise<CliApi> {
  const dataDir = tempDir('cli-api');
  const settings = { ...portalSettings({ DATA_DIR: dataDir, PUBLIC_URL: 'http://perfcycle.test' }), signinMax: 1000 };
  const app = await buildApi({ cycles: client, settings, sender: outboxSender(join(dataDir, 'outbox')) });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // A home the CLI has to make itself, as ~/.config/perfcycle the first time.
  return { url, dataDir, env: { PERFCYCLE_API: url, PERFCYCLE_HOME: join(tempDir('cli-home'), 'perfcycle') }, close: () => app.close() };
}

/** A cycle as an operator and its coordinator would set it up: people in the directory, started, its people members. */
export async function startCycle(client: CycleClient, input: CycleInput): Promise<string> {
  await seedDirectory(client.store, input);
  const id = await client.start(input, input.roles.coordinator);
  await client.store.accounts.addMembers(id, input.people.map((p) => p.id));
  return id;
}

export const PASSWORD = 'correct horse battery';

/** Gives each person the test password, so that `perfcycle login <id> --password-stdin` signs them in. */
export async function setPasswords(client: CycleClient, ids: readonly string[]): Promise<void> {
  const hash = await hashPassword(PASSWORD);
  for (const id of ids) await client.store.accounts.setPassword(id, hash);
}

/**
 * Signs each person in with the test password, as `perfcycle login <id> --password-stdin` in the CLI's
 * environment `env`. A new password ends older sessions: sign everyone in before the test acts.
 */
export async function signInAll(client: CycleClient, env: Record<string, string>, ids: readonly string[]): Promise<void> {
  await setPasswords(client, ids);
  for (const id of ids) {
    const r = await runCli(['login', id, '--password-stdin'], env, `${PASSWORD}\n`);
    if (r.code !== 0) throw new Error(`login ${id}: ${r.stderr}`);
  }
}

export interface CliServer {
  env: TestWorkflowEnvironment;
  client: CycleClient;
  api: CliApi;
  /** What the CLI needs to reach it all: the API and a credentials home, Temporal, the database, a DATA_DIR of its own. */
  cliEnv: Record<string, string>;
  close(): Promise<void>;
}

/** One dev server per test file, its worker running here, the test file's database, and the API on a local port. */
export async function cliServer(dir: string): Promise<CliServer> {
  const env = await devServer();
  const { worker, client, taskQueue } = await testWorker(env, { sender: outboxSender(join(dir, 'outbox')), dataDir: join(dir, 'worker-data') });
  const running = worker.run();
  const api = await cliApi(client);
  const cliEnv = { DATA_DIR: join(dir, 'cli-data'), TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: (await sharedDb()).url, ...api.env };
  return {
    env, client, api, cliEnv,
    async close() {
      await api.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
