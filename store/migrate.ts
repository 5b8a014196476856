// Versioned migrations, run at every start: each file in ./migrations once, in name order, under
// Kysely's migration lock, so two processes starting together migrate once.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import * as initial from './migrations/0001-initial.js';
import * as directory from './migrations/0002-directory.js';
import * as onBehalfOf from './migrations/0003-on-behalf-of.js';
import * as noticeChannels from './migrations/0004-notice-channels.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-directory': directory,
  '0003-on-behalf-of': onBehalfOf,
  '0004-notice-channels': noticeChannels,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/**
 * Which migrations are not applied yet, read in one transaction. The migrator itself sends queries
 * outside transactions, which the embedded server's multiplexed connections must not interleave:
 * a process that finds nothing to do (the CLI, once `npm start` has migrated) never runs it.
 */
async function pending(db: Kysely<unknown>): Promise<string[]> {
  const applied = await db.transaction().execute(async (tx) => {
    const table = await sql<{ t: string | null }>`select to_regclass('kysely_migration')::text as t`.execute(tx);
    if (!table.rows[0]?.t) return [];
    return (await sql<{ name: string }>`select name from kysely_migration`.execute(tx)).rows.map((r) => r.name);
  });
  return Object.keys(MIGRATIONS).filter((name) => !applied.includes(name));
}

export async function migrate(db: Kysely<unknown>): Promise<string[]> {
  if ((await pending(db)).length === 0) return [];
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw new Error(`数据库迁移失败 / database migration failed: ${(error as Error).message}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
