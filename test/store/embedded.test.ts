// The embedded database started from an image of another: it has what the other had when the image
// was taken, and from then on the two are separate (each test file starts its own from the run's image).
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../store/embedded.js';
import { openStore, type Store } from '../../store/index.js';
import { tempDir } from '../helpers/cycle.js';

const opened: { db: EmbeddedDatabase; store: Store }[] = [];
async function start(image?: Buffer) {
  const db = await startEmbeddedDatabase({ socketDir: tempDir('embedded-run'), ...(image && { image }) });
  const store = await openStore(db.connection);
  opened.push({ db, store });
  return { db, store };
}
afterAll(async () => {
  for (const o of opened) {
    await o.store.close();
    await o.db.stop();
  }
});

const person = (id: string) => ({ id, name: id, email: `${id}@jinjiang.example`, lang: 'zh-CN' as const });

it('a database started from an image has its rows and schema, and goes its own way after', async () => {
  const first = await start();
  await first.store.directory.importDirectory({ units: [], departments: [], people: [person('lin')] }, 'operator:test');
  const image = await first.db.image();

  const second = await start(image);
  expect((await second.store.accounts.get('lin'))?.email).toBe('lin@jinjiang.example');
  await second.store.directory.importDirectory({ units: [], departments: [], people: [person('lin'), person('wu')] }, 'operator:test');
  await first.store.directory.importDirectory({ units: [], departments: [], people: [person('lin'), person('cai')] }, 'operator:test');
  expect(await second.store.accounts.get('wu')).toBeDefined();
  expect(await second.store.accounts.get('cai')).toBeUndefined();
  expect(await first.store.accounts.get('wu')).toBeUndefined();
}, 60_000);
