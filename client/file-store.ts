// Files handed in with a submission, stored once under their SHA-256 so the same file is never kept twice
// and the record in the workflow (name, hash, size) proves which bytes were delivered.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileRef } from '../workflows/definitions.js';
import { UserError } from './errors.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export function fileStore(dataDir: string) {
  const dir = join(dataDir, 'files');
  const pathOf = (sha256: string) => join(dir, sha256);
  return {
    pathOf,
    async put(name: string, bytes: Buffer): Promise<FileRef> {
      if (bytes.length > MAX_FILE_BYTES) throw new UserError(`file: ${name} 超过 50 MB / larger than 50 MB`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await mkdir(dir, { recursive: true });
      const exists = await stat(pathOf(sha256)).then(() => true, () => false);
      if (!exists) {
        const tmp = `${pathOf(sha256)}.${process.pid}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, pathOf(sha256));
      }
      return { name: basename(name), sha256, size: bytes.length };
    },
    async putPath(path: string): Promise<FileRef> {
      const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
        throw new UserError(`file: 无法读取 / cannot read ${path}: ${err.code ?? err.message}`);
      });
      return this.put(path, bytes);
    },
    read: (sha256: string) => readFile(pathOf(sha256)),
  };
}
