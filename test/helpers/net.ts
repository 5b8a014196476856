// A TCP port free on loopback right now, for a server a test or benchmark starts (PostgreSQL, Chromium's
// portal, a metrics endpoint). Another process could take it before it is used; on a test machine that
// has not happened.
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}
