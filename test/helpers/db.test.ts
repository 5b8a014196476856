// The test files' PGlite databases: one a test has stopped is emptied and given to the next test of the
// process (test/helpers/per-file.ts turns that on), as the image of a new, migrated database has it.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../store/index.js';
import { pgliteDb } from './db.js';

async function rows(connection: pg.ClientConfig, query: string): Promise<unknown[]> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}

describe('a PGlite database of the tests, stopped and taken again', () => {
  it('is the same server, empty, its migrations in place', async () => {
    const first = await pgliteDb();
    const store = await openStore(first.connection);
    await store.directory.importDirectory({ units: [], departments: [], people: [{ id: 'li-ming', name: '李明', email: 'li@example.test' }] }, 'operator:test');
    await store.close();
    const [before] = await rows(first.connection as pg.ClientConfig, 'select count(*)::int as n from audit_entries') as { n: number }[];
    expect(before?.n).toBeGreaterThan(0);
    await first.stop();

    const again = await pgliteDb();
    try {
      expect(again.url).toBe(first.url);
      const reopened = await openStore(again.connection);
      await reopened.close();
      const c = again.connection as pg.ClientConfig;
      expect(await rows(c, 'select count(*)::int as n from audit_entries')).toEqual([{ n: 0 }]);
      expect(await rows(c, "select count(*)::int as n from accounts")).toEqual([{ n: 0 }]);
      expect(((await rows(c, 'select name from kysely_migration')) as { name: string }[]).length).toBeGreaterThanOrEqual(4);
    } finally {
      await again.stop();
    }
  });
});
