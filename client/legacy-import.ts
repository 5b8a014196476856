// Before the application database, the portal kept its records as JSON files under DATA_DIR. On the
// first start with the database they are imported once, then renamed *.imported so that nothing
// reads or writes them again. Their people become the organisation directory's, recorded in its
// audit as the upgrade's doing.
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleInput } from '../domain/cycle.js';
import { directoryOfCycle } from '../domain/directory.js';
import type { RestoredAccount } from '../store/accounts.js';
import { CycleConflict } from '../store/cycles.js';
import { OPERATOR_PREFIX } from './operator.js';
import type { Store } from '../store/index.js';

/** Each legacy cycle's people go into the directory (audited as the upgrade), then the cycle is registered. */
/** The upgrade did it, not a person: an operator's actor, which no directory id can be. */
export const UPGRADE_ACTOR = `${OPERATOR_PREFIX}upgrade`;

async function importCycles(store: Store, dataDir: string): Promise<number> {
  const dir = join(dataDir, 'portal', 'cycles');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
  for (const name of names) {
    const input = JSON.parse(await readFile(join(dir, name), 'utf8')) as CycleInput;
    await store.directory.importDirectory(directoryOfCycle(input), UPGRADE_ACTOR);
    try {
      await store.cycles.save(input);
    } catch (err) {
      // The database's record is newer than the file: it stays.
      if (!(err instanceof CycleConflict)) throw err;
    }
    await store.accounts.addMembers(input.cycleId, input.people.map((p) => p.id));
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
  // Accounts first: the directory import would otherwise create them without their password hashes.
  const accounts = await importAccounts(store, dataDir);
  if (accounts !== undefined) done.push(`${accounts} accounts`);
  const cycles = await importCycles(store, dataDir);
  if (cycles) done.push(`${cycles} cycle directories`);
  // Sessions are database rows now: the secret that signed the old cookies signs nothing.
  await rm(join(dataDir, 'portal', 'session-secret'), { force: true });
  return done;
}
