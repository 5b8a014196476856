// Which mails have gone out, keyed by their deterministic Message-ID: a retried activity looks here
// first and does not send again. Files under DATA_DIR so the ledger outlives worker restarts.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface SentLedger {
  has(messageId: string): Promise<boolean>;
  record(messageId: string, info: Record<string, unknown>): Promise<void>;
  /** Marks a send as under way; false while another attempt holds a fresh claim. */
  claim(messageId: string): Promise<boolean>;
  release(messageId: string): Promise<void>;
}

/** Longer than any one attempt may take (the activity's start-to-close timeout is 1 minute). */
export const CLAIM_TTL_MS = 2 * 60_000;

export function fileLedger(dir: string): SentLedger {
  const base = (id: string) => join(dir, createHash('sha256').update(id).digest('hex').slice(0, 40));
  const file = (id: string) => `${base(id)}.json`;
  const marker = (id: string) => `${base(id)}.sending`;
  return {
    async has(id) {
      try {
        await readFile(file(id));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
    async record(id, info) {
      await mkdir(dir, { recursive: true });
      await writeFile(file(id), JSON.stringify({ messageId: id, ...info }, null, 2));
    },
    async claim(id) {
      await mkdir(dir, { recursive: true });
      try {
        await writeFile(marker(id), String(process.pid), { flag: 'wx' });
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // A claim left by a crashed attempt expires; a live one stops this attempt.
        const age = Date.now() - (await stat(marker(id))).mtimeMs;
        if (age < CLAIM_TTL_MS) return false;
        await writeFile(marker(id), String(process.pid));
        return true;
      }
    },
    async release(id) {
      await rm(marker(id), { force: true });
    },
  };
}
