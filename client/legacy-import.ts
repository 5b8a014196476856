// Before the application database, the portal kept its records as JSON files under DATA_DIR. On the
// first start with the database they are imported once, then renamed *.imported so that nothing
// reads or writes them again.
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleInput } from '../domain/cycle.js';
import type { RestoredAccount } from '../store/accounts.js';
import type { Store } from '../store/index.js';

async function importDirectory(store: Store, dataDir: string): Promise<number> {
  const dir = join(dataDir, 'portal', 'cycles');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  for (const name of names) {
    const input = JSON.parse(await readFile(join(dir, name), 'utf8')) as CycleInput;
    await store.cycles.save(input);
    await rename(join(dir, name), join(dir, `${name}.imported`));
  }
  return names.length;
}

/** DATA_DIR/users.json as the portal wrote it: {version: 1, users: {<id>: account}}. */
function legacyAccounts(text: string, path: string): RestoredAccount[] {
  const file = JSON.parse(text) as { version?: unknown; users?: unknown };
  if (file.version !== 1 || typeof file.users !== 'object' || file.users === null) {
    throw new Error(`${path}: 不是第 1 版账号文件 / not a version 1 accounts file`);
  }
  return Object.entries(file.users as Record<string, RestoredAccount>).map(([id, a]) => {
    if (a.id !== id || typeof a.email !== 'string' || typeof a.icalToken !== 'string' || !Array.isArray(a.cycles)) {
      throw new Error(`${path}: users.${id}: 账号记录不完整 / incomplete account`);
    }
    return { ...a, name: a.name ?? id, lang: a.lang === 'en' ? 'en' : 'zh-CN', epoch: Number(a.epoch) || 0 };
  });
}

/** Accounts with their password hashes, so nobody has to set a password again; their signed cookies end. */
async function importAccounts(store: Store, dataDir: string): Promise<number | undefined> {
  const path = join(dataDir, 'users.json');
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  const restored = await store.accounts.restore(legacyAccounts(text, path));
  await rename(path, `${path}.imported`);
  return restored.length;
}

/** What was imported, for the start-up banner. */
export async function importLegacyFiles(store: Store, dataDir: string): Promise<string[]> {
  const done: string[] = [];
  const cycles = await importDirectory(store, dataDir);
  if (cycles) done.push(`${cycles} cycle directories`);
  const accounts = await importAccounts(store, dataDir);
  if (accounts !== undefined) done.push(`${accounts} accounts`);
  // Sessions are database rows now: the secret that signed the old cookies signs nothing.
  await rm(join(dataDir, 'portal', 'session-secret'), { force: true });
  return done;
}
