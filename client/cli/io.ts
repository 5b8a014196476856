// Output and connection helpers shared by the CLI's commands.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseConfig } from '../../domain/config.js';
import type { Store } from '../../store/index.js';
import type { CycleClient } from '../cycle-client.js';
import { UserError } from '../errors.js';

/**
 * What a command reads and writes besides its arguments. A command run from the shell has the process's
 * own (processIo); one run through client/cli/run.ts inside another program (the tests) has its own,
 * so that it neither reads that program's environment nor writes to its output.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  write(text: string): void;
  writeErr(text: string): void;
  /** Set by a command that finished but found something wrong (a broken audit chain). */
  exitCode: number;
}

export const processIo = (): CliIo => ({
  env: process.env,
  stdin: process.stdin,
  write: (text) => void process.stdout.write(text),
  writeErr: (text) => void process.stderr.write(text),
  exitCode: 0,
});

const running = new AsyncLocalStorage<CliIo>();
let outside: CliIo | undefined;

/** The io of the command running now. */
export const io = (): CliIo => running.getStore() ?? (outside ??= processIo());
export const withIo = <T>(value: CliIo, run: () => Promise<T>): Promise<T> => running.run(value, run);

export const out = (text: string): void => io().write(text.endsWith('\n') ? text : `${text}\n`);
export const json = (value: unknown): void => out(JSON.stringify(value, null, 2));

export async function withClient<T>(run: (cycles: CycleClient) => Promise<T>): Promise<T> {
  // Imported here, not above: the person commands use `out` too, and they need neither Temporal nor the database.
  const { connect } = await import('../connect.js');
  const { cycles, close } = await connect(parseConfig(io().env));
  try {
    return await run(cycles);
  } finally {
    await close();
  }
}

/** For what only the database holds (the audit chain's check): no Temporal connection, so it answers while Temporal is down. */
export async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const { openConfiguredStore } = await import('../open-store.js');
  const store = await openConfiguredStore(parseConfig(io().env));
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}

/** A number argument, or a user error naming the option. */
export function numberArg(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UserError(`${name}: 应为数字 / expected a number (got "${value}")`);
  return n;
}
