// Issue 8, finding 13: what perfcycle writes under DATA_DIR is readable by its own user only. The outbox
// holds live sign-in links, the file store people's documents, DATA_DIR the database and Temporal's
// SQLite file: directories 0700, files 0600, and directories of an older version tightened.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outboxSender } from '../../activities/mail-sender.js';
import { fileStore } from '../../client/file-store.js';
import { embeddedSocketDir, startEmbeddedDatabase } from '../../store/embedded.js';
import { tempDir } from '../helpers/cycle.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('modes under DATA_DIR', () => {
  it('the outbox: 0700, its .eml files 0600; an outbox made world-readable before is tightened', async () => {
    const dataDir = tempDir('modes-outbox');
    const fresh = join(dataDir, 'outbox');
    await outboxSender(fresh).send({ from: 'a@test', to: { name: 'Lin', address: 'lin@test' }, subject: 's', text: 'http://portal.test/auth/link/secret' });
    expect(mode(fresh)).toBe(0o700);
    expect(readdirSync(fresh).map((f) => mode(join(fresh, f)))).toEqual([0o600]);

    const old = join(dataDir, 'old-outbox');
    mkdirSync(old, { mode: 0o755 });
    await outboxSender(old).send({ from: 'a@test', to: 'lin@test', subject: 's', text: 't' });
    expect(mode(old)).toBe(0o700);
  });

  it('the file store: 0700, each file 0600', async () => {
    const dataDir = tempDir('modes-files');
    const ref = await fileStore(dataDir).put('方案.pdf', Buffer.from('%PDF 方案'));
    expect(mode(join(dataDir, 'files'))).toBe(0o700);
    expect(mode(join(dataDir, 'files', ref.sha256))).toBe(0o600);
  });

  it('the embedded database makes DATA_DIR and its socket directory 0700, tightening an existing DATA_DIR', { timeout: 120_000 }, async () => {
    const dataDir = join(tempDir('modes-db'), 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    expect(mode(dataDir)).toBe(0o755);
    const db = await startEmbeddedDatabase({ dataDir, socketDir: embeddedSocketDir(dataDir) });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(embeddedSocketDir(dataDir))).toBe(0o700);
    } finally {
      await db.stop();
    }
  });
});
