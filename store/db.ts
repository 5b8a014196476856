// Opens the application database: PostgreSQL at DATABASE_URL, or the embedded PGlite that
// `npm start` serves under DATA_DIR. One dialect (PostgreSQL, through node-postgres) for both.
import { existsSync } from 'node:fs';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { embeddedSocketDir, embeddedSocketPath, EMBEDDED_PORT } from './embedded.js';
import { migrate } from './migrate.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

// bigint columns (file sizes) fit in a JS number for any file this service accepts.
pg.types.setTypeParser(20, (v) => Number(v));

export type Connection = string | pg.PoolConfig;

export function connectionFor(env: { DATABASE_URL?: string | undefined; DATA_DIR: string }): Connection {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  if (!existsSync(embeddedSocketPath(env.DATA_DIR))) {
    throw new Error(`内置数据库未运行，请先运行 npm start（或设置 DATABASE_URL）/ the embedded database is not running: start \`npm start\` first, or set DATABASE_URL (looked for ${embeddedSocketPath(env.DATA_DIR)})`);
  }
  return { host: embeddedSocketDir(env.DATA_DIR), port: EMBEDDED_PORT, user: 'postgres', database: 'postgres' };
}

export interface OpenOptions {
  max?: number;
  acquireMs?: number;
  /** Where an idle connection's loss is reported (default: one line on stderr). */
  onIdleError?: (err: Error) => void;
}

const reportIdleError = (err: Error) => console.error(`数据库空闲连接断开，已丢弃 / an idle database connection was lost and dropped: ${err.message}`);

/** Connects and brings the schema up to date. */
export async function openDb(connection: Connection, opts: OpenOptions = {}): Promise<Db> {
  const config = typeof connection === 'string' ? { connectionString: connection } : connection;
  const pool = new pg.Pool({ ...config, max: opts.max ?? 10, connectionTimeoutMillis: opts.acquireMs ?? 10_000 });
  // A server that restarts, fails over or ends idle sessions errors the pool's idle connections; pg
  // emits that on the pool, and unheard it would end the worker or the API. The pool has dropped the
  // connection already: the next query opens a new one.
  pool.on('error', opts.onIdleError ?? reportIdleError);
  // A connection lost while in use fails the statement it was running, which its caller sees (the
  // transaction rejects); pg also emits it on the connection, where the pool no longer listens.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db as unknown as Kysely<unknown>);
  return db;
}

/**
 * No connection came free in time: the database is overloaded, not broken. Callers answer "busy, try
 * again shortly" (HTTP 503 with Retry-After) rather than an internal error.
 */
export class StoreBusy extends Error {
  constructor(cause: unknown) {
    super('数据库繁忙 / the database is busy', { cause });
    this.name = 'StoreBusy';
  }
}

// pg-pool's words when connectionTimeoutMillis passes with every connection in use.
const POOL_TIMEOUT = /timeout exceeded when trying to connect/i;

/**
 * Every unit of work is one transaction. Besides atomicity this keeps the embedded server correct: it
 * multiplexes connections onto one PGlite session and keeps a transaction's statements together.
 */
export function inTx<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(work).catch((err: unknown) => {
    throw err instanceof Error && POOL_TIMEOUT.test(err.message) ? new StoreBusy(err) : err;
  });
}
