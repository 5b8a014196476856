// Files handed in with a submission, stored once under their SHA-256 so the same file is never kept twice
// and the record in the workflow (name, hash, size) proves which bytes were delivered. With the
// application database, every upload records who made it (store/files.ts): a person may then name
// by hash only the files they uploaded, and downloads go through the recorded uses.
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileUseKind } from '../store/files.js';
import type { Store } from '../store/index.js';
import type { FileRef } from '../workflows/definitions.js';
import { UserError } from './errors.js';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** The bytes only, under their hash (reading, and the workflow tests that have no database). */
export interface ContentStore {
  pathOf(sha256: string): string;
  read(sha256: string): Promise<Buffer>;
  put(name: string, bytes: Buffer): Promise<FileRef>;
  putPath(path: string): Promise<FileRef>;
}

/** The bytes, and in the database who uploaded them. */
export interface UploadStore {
  pathOf(sha256: string): string;
  read(sha256: string): Promise<Buffer>;
  put(name: string, bytes: Buffer, by: string): Promise<FileRef>;
  putPath(path: string, by: string): Promise<FileRef>;
}

// The recording form first: overloads resolve in order, and ReturnType<typeof fileStore> (the API
// context's `files`) is the last one, whose `put` cannot be handed an uploader it would not record.
export function fileStore(dataDir: string, store: Pick<Store, 'files'>): UploadStore;
export function fileStore(dataDir: string): ContentStore;
export function fileStore(dataDir: string, store?: Pick<Store, 'files'>): ContentStore | UploadStore {
  const dir = join(dataDir, 'files');
  const pathOf = (sha256: string) => join(dir, sha256);
  // Uploads are people's documents: only the service's own user reads them (directory 0700, files
  // 0600). A directory made by an older version is tightened once (not where another user owns it).
  let tightened = false;
  const put = async (name: string, bytes: Buffer, by?: string): Promise<FileRef> => {
    if (bytes.length > MAX_FILE_BYTES) throw new UserError(`file: ${name} 超过 50 MB / larger than 50 MB`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (!tightened) {
      tightened = true;
      await chmod(dir, 0o700).catch(() => undefined);
    }
    const exists = await stat(pathOf(sha256)).then(() => true, () => false);
    if (!exists) {
      const tmp = `${pathOf(sha256)}.${process.pid}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, pathOf(sha256));
    }
    const ref = { name: basename(name), sha256, size: bytes.length };
    // After the bytes are in place: a record never points at a file that is not there.
    if (store && by) await store.files.uploaded(ref, by);
    return ref;
  };
  const putPath = async (path: string, by?: string): Promise<FileRef> => {
    const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new UserError(`file: 无法读取 / cannot read ${path}: ${err.code ?? err.message}`);
    });
    return put(path, bytes, by);
  };
  return { pathOf, put, putPath, read: (sha256: string) => readFile(pathOf(sha256)) };
}

/** After the action they were handed in with has succeeded: the files now belong to `subject` of the cycle. */
export function recordUses(store: Pick<Store, 'files'>, on: { cycleId: string; subject: string; kind: FileUseKind; by: string }, files: readonly FileRef[]): Promise<void> {
  return store.files.used(files.map((f) => ({ sha256: f.sha256, cycleId: on.cycleId, subject: on.subject, kind: on.kind, usedBy: on.by })));
}
