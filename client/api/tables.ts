// Tables uploaded through the API and the portal (the target table, a staff roster): read by the same
// reader as the CLI (activities/tables.ts), from a private temporary copy named like the upload so that
// its type is known; the copy is removed as soon as the table is read.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readTable, TableFileError, type Row } from '../../activities/tables.js';
import { UserError } from '../errors.js';
import type { Upload } from './uploads.js';

export const TABLE_TYPES: readonly string[] = ['csv', 'xlsx', 'json'];

/** Runs `run` on a temporary copy of the upload; messages naming the copy name the upload instead. */
export async function withTempCopy<T>(u: Pick<Upload, 'name' | 'bytes'>, run: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'perfcycle-upload-'));
  const path = join(dir, basename(u.name).replace(/[\\/\0]/g, '_') || 'upload');
  try {
    await writeFile(path, u.bytes, { mode: 0o600 });
    return await run(path);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message.split(path).join(u.name), err.code);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rows of an uploaded .csv/.xlsx/.json table; a file that is no table is a 400 naming `field`. */
export function uploadedRows(field: string, u: Pick<Upload, 'name' | 'bytes'>): Promise<Row[]> {
  return withTempCopy(u, async (path) => {
    try {
      return await readTable(path);
    } catch (err) {
      if (err instanceof TableFileError) throw new UserError(`${field}: 表格文件有误 / bad table file ${u.name}: ${err.reason}`);
      throw err;
    }
  });
}

/** The one table file of a form (field `field`), or a 400 naming it. */
export function oneUpload(uploads: Upload[], field: string): Upload {
  const mine = uploads.filter((u) => u.field === field);
  if (mine.length !== 1) throw new UserError(`${field}: 应上传一个文件（${TABLE_TYPES.join('、')}）/ expected exactly one file (${TABLE_TYPES.join(', ')})`);
  return mine[0]!;
}
