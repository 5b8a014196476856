// Output and connection helpers shared by the CLI's commands.
import { parseConfig } from '../../domain/config.js';
import type { Store } from '../../store/index.js';
import type { CycleClient } from '../cycle-client.js';
import { UserError } from '../errors.js';

export const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
export const json = (value: unknown): void => out(JSON.stringify(value, null, 2));

export async function withClient<T>(run: (cycles: CycleClient) => Promise<T>): Promise<T> {
  // Imported here, not above: the person commands use `out` too, and they need neither Temporal nor the database.
  const { connect } = await import('../connect.js');
  const { cycles, close } = await connect(parseConfig(process.env));
  try {
    return await run(cycles);
  } finally {
    await close();
  }
}

/** For what only the database holds (the audit chain's check): no Temporal connection, so it answers while Temporal is down. */
export async function withStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const { openConfiguredStore } = await import('../open-store.js');
  const store = await openConfiguredStore(parseConfig(process.env));
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
