// The pool survives the server ending its idle connections (a restart, a failover, an idle timeout):
// pg reports that on the pool, and unheard it would have ended the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { openDb, type Db } from '../../store/db.js';
import { postgresDb, type TestDb } from '../helpers/db.js';

describe('the application database pool', () => {
  let server: TestDb;
  let db: Db;
  const lost: Error[] = [];
  beforeAll(async () => {
    server = await postgresDb();
    db = await openDb(server.connection, { onIdleError: (err) => lost.push(err) });
  });
  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
  });

  /** What a restart or a failover does to a session: the server ends it. */
  async function terminate(pid: number): Promise<void> {
    const admin = new pg.Client(server.connection as string);
    await admin.connect();
    try {
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
  }

  const backendPid = async () => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]!.pid;

  it('drops an idle connection the server ends and answers the next query on a new one', async () => {
    const before = await backendPid(); // one connection, now idle in the pool
    await terminate(before);
    await expect.poll(() => lost.length, { timeout: 5_000 }).toBe(1);
    expect(lost[0]!.message).toMatch(/terminat/i);
    const after = await backendPid();
    expect(after).not.toBe(before);
  });

  it('fails the transaction whose connection the server ends mid-statement, and goes on', async () => {
    let pid = 0;
    const running = db.transaction().execute(async (tx) => {
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid;
      await sql`select pg_sleep(30)`.execute(tx);
    });
    const failed = running.then(() => undefined, (err: unknown) => err);
    await expect.poll(() => pid, { timeout: 5_000 }).toBeGreaterThan(0);
    await terminate(pid);
    expect(await failed).toBeInstanceOf(Error);
    expect(await backendPid()).not.toBe(pid);
  });
});
