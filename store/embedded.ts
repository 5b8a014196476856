// The embedded database of `npm start`: PGlite (PostgreSQL compiled to WebAssembly) with its files
// under DATA_DIR/pglite, served on a Unix socket in DATA_DIR/run so the CLI in another terminal
// talks to it with the same PostgreSQL protocol and SQL as production.
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** PostgreSQL clients find a socket as <dir>/.s.PGSQL.<port>. */
export const EMBEDDED_PORT = 5432;

export function embeddedSocketDir(dataDir: string): string {
  return resolve(dataDir, 'run');
}

export function embeddedSocketPath(dataDir: string): string {
  return join(embeddedSocketDir(dataDir), `.s.PGSQL.${EMBEDDED_PORT}`);
}

export interface EmbeddedDatabase {
  /** Connection settings for node-postgres. */
  connection: { host: string; port: number; user: string; database: string };
  /** A copy of the database's files (PGlite's data-dir tarball), from which another starts as this one is now. */
  image(): Promise<Buffer>;
  stop(): Promise<void>;
}

async function listening(path: string): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); done(true); });
    s.once('error', () => done(false));
  });
}

/**
 * DATA_DIR holds the database, the outbox (live sign-in links), uploads and Temporal's SQLite file:
 * only the service's own user may enter it (0700), and so may reach the socket. A DATA_DIR made by an
 * older version is tightened; one this user does not own (a shared volume) is left to its owner.
 */
function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // not ours to change
  }
}

/**
 * `dataDir` undefined: in memory (tests); `image` (from `image()`) then gives its starting content, which
 * spares the seconds of CPU that making a database afresh costs.
 */
export async function startEmbeddedDatabase(opts: { dataDir?: string; socketDir: string; image?: Buffer }): Promise<EmbeddedDatabase> {
  if (opts.dataDir) privateDir(opts.dataDir);
  const db = opts.dataDir ? await PGlite.create(resolve(opts.dataDir, 'pglite'))
    // (A Buffer read from a file is backed by a plain ArrayBuffer, as a Blob wants.)
    : await PGlite.create(opts.image ? { loadDataDir: new Blob([opts.image as Uint8Array<ArrayBuffer>]) } : {});
  privateDir(opts.socketDir);
  const path = join(opts.socketDir, `.s.PGSQL.${EMBEDDED_PORT}`);
  if (existsSync(path)) {
    if (await listening(path)) {
      await db.close();
      throw new Error(`内置数据库已在运行 / the embedded database is already running (${path}): is another npm start running?`);
    }
    rmSync(path); // left by a process that did not stop cleanly
  }
  const server = new PGLiteSocketServer({ db, path, maxConnections: 64 });
  await server.start();
  return {
    connection: { host: opts.socketDir, port: EMBEDDED_PORT, user: 'postgres', database: 'postgres' },
    image: async () => Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
