// Before the application database, the portal kept its records as JSON files under DATA_DIR. On the
// first start with the database they are imported once, then renamed *.imported so that nothing
// reads or writes them again.
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleInput } from '../domain/cycle.js';
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

/** What was imported, for the start-up banner. */
export async function importLegacyFiles(store: Store, dataDir: string): Promise<string[]> {
  const done: string[] = [];
  const cycles = await importDirectory(store, dataDir);
  if (cycles) done.push(`${cycles} cycle directories`);
  return done;
}
