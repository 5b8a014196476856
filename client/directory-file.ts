// An organisation directory file, for `perfcycle admin import` and the /admin page: JSON in the shape
// of DirectoryData, or a table (CSV, XLSX, a JSON array of rows) with one row per person. A bad file
// changes nothing, and every error names where it is: `people.3.email` in JSON, the row and the
// column in a table.
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { readTable, TableFileError } from '../activities/tables.js';
import { directoryFromRows, type DirectorySheet } from '../domain/directory-table.js';
import { DirectoryError, parseDirectory } from '../domain/directory.js';
import { LIMITS } from '../domain/limits.js';
import { formatRowErrors } from '../domain/target-ledger.js';
import { DirectoryNotFound } from '../store/directory.js';
import type { Store } from '../store/index.js';
import { UserError } from './errors.js';

const invalid = (source: string, issues: string) => new UserError(`${source}: 组织目录有误 / invalid directory:\n${issues}`);

/** The JSON document, unless it is an array (rows, read as a table). */
async function jsonDocument(path: string): Promise<unknown> {
  if ((await stat(path)).size > LIMITS.tableBytes) throw new TableFileError(path, `文件过大 / too large (at most ${LIMITS.tableBytes} bytes)`);
  try {
    return JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new TableFileError(path, `JSON 格式错误 / malformed JSON: ${(err as Error).message}`);
  }
}

export async function readDirectoryFile(path: string): Promise<DirectorySheet> {
  try {
    if (extname(path).toLowerCase() === '.json') {
      const doc = await jsonDocument(path);
      if (!Array.isArray(doc)) return { data: parseDirectory(doc), where: (p) => p };
    }
    const result = directoryFromRows(await readTable(path));
    if (!result.ok) throw invalid(path, formatRowErrors(result.errors));
    return result.sheet;
  } catch (err) {
    if (err instanceof TableFileError) throw new UserError(`${path}: ${err.reason}`);
    if (err instanceof DirectoryError) throw new UserError(`${path}: ${err.message}`);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${path}: 无法读取 / cannot read (ENOENT)`);
    throw err;
  }
}

/** The store's refusals as a user's errors: a bad value names its field (under `field`), an unknown person is a 404. */
export function directoryUserError(err: unknown, field?: string): unknown {
  if (err instanceof DirectoryError) return new UserError(field ? err.issues.map((i) => `${field}.${i.path}: ${i.message}`).join('\n') : err.message);
  if (err instanceof DirectoryNotFound) return new UserError(err.message, 'not-found');
  return err;
}

/** Imports in one transaction; what the database refuses (an unknown unit) is named where the file has it. */
export async function importDirectorySheet(store: Pick<Store, 'directory'>, sheet: DirectorySheet, actor: string, source: string) {
  try {
    return await store.directory.importDirectory(sheet.data, actor);
  } catch (err) {
    if (err instanceof DirectoryError) throw invalid(source, err.issues.map((i) => `  ${sheet.where(i.path)}: ${i.message}`).join('\n'));
    throw err;
  }
}
