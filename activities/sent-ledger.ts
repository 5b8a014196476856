// Which mails have gone out, keyed by their deterministic Message-ID: a retried activity looks here
// first and does not send again. Files under DATA_DIR so the ledger outlives worker restarts.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export interface SentLedger {
  has(messageId: string): Promise<boolean>;
  record(messageId: string, info: Record<string, unknown>): Promise<void>;
}

export function fileLedger(dir: string): SentLedger {
  const file = (id: string) => join(dir, `${createHash('sha256').update(id).digest('hex').slice(0, 40)}.json`);
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
  };
}
