// Real databases for tests: the embedded PGlite (in memory, on a socket, as `npm start` serves it)
// and a throw-away PostgreSQL cluster from Debian's `postgresql` package, made with initdb/pg_ctl in
// a temp dir on a free port. PostgreSQL refuses to run as root: as root the cluster belongs to the
// `postgres` system user the package creates.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../store/embedded.js';
import { openStore, type Store } from '../../store/index.js';
import { tempDir } from './cycle.js';
import { freePort } from './net.js';

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = ['pglite', 'postgres'];

export interface TestDb {
  kind: DbKind;
  /** A connection string or settings any process can use. */
  connection: string | { host: string; port: number; user: string; database: string };
  /** For a child process: the value of DATABASE_URL. */
  url: string;
  /** The server's own process (PostgreSQL's postmaster), for what it costs; absent when in this process. */
  pid?: number;
  stop(): Promise<void>;
}

/**
 * Where the run's image of a new, migrated database is (test/helpers/global-setup.ts makes it, before
 * any test file): each file's PGlite starts from it in a fraction of the seconds of CPU a new one costs.
 */
export const PGLITE_IMAGE_ENV = 'PERFCYCLE_TEST_PGLITE_IMAGE';

interface Embedded { db: EmbeddedDatabase; socketDir: string }

/**
 * With reuse on (test/helpers/per-file.ts: the test files, which share processes), a PGlite database a
 * test has stopped is emptied and kept for the next one in this process: starting one, even from the
 * image, costs 0.6 s of CPU, emptying it a few milliseconds. Off (the benchmarks), stop stops it.
 */
const reuse = { on: false, idle: [] as Embedded[] };

export function reusePgliteDatabases(): void {
  reuse.on = true;
}

export async function pgliteDb(): Promise<TestDb> {
  const e = reuse.idle.pop() ?? await startPglite();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (reuse.on && await emptied(e)) reuse.idle.push(e);
    else await stopPglite(e);
  };
  return { kind: 'pglite', connection: e.db.connection, url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(e.socketDir)}`, stop };
}

async function startPglite(): Promise<Embedded> {
  const socketDir = tempDir('pglite-run');
  const imagePath = process.env[PGLITE_IMAGE_ENV];
  return { db: await startEmbeddedDatabase({ socketDir, ...(imagePath && { image: readFileSync(imagePath) }) }), socketDir };
}

async function stopPglite(e: Embedded): Promise<void> {
  await e.db.stop();
  rmSync(e.socketDir, { recursive: true, force: true });
}

/**
 * Every table but the migrations' own, emptied and its numbering restarted: the database as the image
 * has it. False when that fails or waits on a connection someone left in a transaction (then it is stopped).
 */
async function emptied(e: Embedded): Promise<boolean> {
  const client = new pg.Client({ ...e.db.connection, statement_timeout: 5_000, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ list: string | null }>(
      "select string_agg(format('%I', tablename), ', ') as list from pg_tables where schemaname = 'public' and tablename not like 'kysely\\_%'",
    );
    if (rows[0]?.list) await client.query(`truncate ${rows[0].list} restart identity cascade`);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((b) => existsSync(join(b, 'initdb')));
  if (!bin) throw new Error('PostgreSQL server binaries missing: run npm run setup (installs Debian\'s postgresql)');
  return bin;
}

export async function postgresDb(): Promise<TestDb> {
  const bin = postgresBin();
  const dir = tempDir('pg');
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const as = (cmd: string, args: string[]) => (root
    ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' })
    : execFileSync(join(bin, cmd), args, { stdio: 'pipe' }));
  const data = join(dir, 'data');
  as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--no-locale']);
  const port = await freePort();
  as('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // The cluster's files go with it (40 MB each: the benchmarks start one per run too).
  const stop = async () => {
    as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  return { kind: 'postgres', connection: url, url, pid, stop };
}

export function startTestDb(kind: DbKind): Promise<TestDb> {
  return kind === 'pglite' ? pgliteDb() : postgresDb();
}

/** A store on a fresh database of the kind; `close` stops both. */
export async function testStore(kind: DbKind = 'pglite'): Promise<{ store: Store; db: TestDb; close: () => Promise<void> }> {
  const db = await startTestDb(kind);
  const store = await openStore(db.connection);
  return { store, db, close: async () => { await store.close(); await db.stop(); } };
}

/** Writes the image of a new database with the schema in place to `path` (see PGLITE_IMAGE_ENV). */
export async function writePgliteImage(path: string): Promise<void> {
  const socketDir = tempDir('pglite-image');
  const db = await startEmbeddedDatabase({ socketDir });
  try {
    await (await openStore(db.connection)).close();
    writeFileSync(path, await db.image());
  } finally {
    await db.stop();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

let shared: Promise<{ store: Store; url: string; db: TestDb }> | undefined;

/**
 * One embedded database per test file, like one Temporal server per file; `url` lets a child process
 * (the CLI) use it too. Files share processes (vitest.config.ts): closeSharedDb ends it with its file.
 */
export function sharedDb(): Promise<{ store: Store; url: string }> {
  shared ??= pgliteDb().then(async (db) => ({ store: await openStore(db.connection), url: db.url, db }));
  return shared;
}

/** After a test file (test/helpers/per-file.ts): the next file in this process gets a database of its own. */
export async function closeSharedDb(): Promise<void> {
  const open = shared;
  shared = undefined;
  if (!open) return;
  const { store, db } = await open;
  await store.close();
  await db.stop();
}

export const sharedStore = async (): Promise<Store> => (await sharedDb()).store;
