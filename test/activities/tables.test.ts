import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { LIMITS } from '../../domain/limits.js';
import { readTable, TableFileError, writeCsv, writeXlsx } from '../../activities/tables.js';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'perfcycle-tables-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
const at = (name: string) => join(dir, name);

const rows = [
  { 编号: 'T01', 指标: '含逗号, "引号" 和\n换行', 分值: 8, 完成时限: new Date('2019-12-31T00:00:00Z'), 备注: null },
  { 编号: 'T02', 指标: '保障重点项目用地', 分值: 2.5, 完成时限: '2019-06-30', 备注: '' },
];

describe('readTable: CSV', () => {
  it('reads UTF-8 with and without BOM', async () => {
    await writeFile(at('bom.csv'), '\uFEFF类别,分值\n重点,8\n');
    await writeFile(at('plain.csv'), '类别,分值\r\n重点,8\r\n');
    expect(await readTable(at('bom.csv'))).toEqual([{ 类别: '重点', 分值: '8' }]);
    expect(await readTable(at('plain.csv'))).toEqual([{ 类别: '重点', 分值: '8' }]);
  });

  it('reads the GB18030 that Excel writes on Chinese Windows', async () => {
    // "类别,分值\n重点,8\n" encoded in GB18030
    const gbk = Buffer.from('c0e0b1f02cb7d6d6b50ad6d8b5e32c380a', 'hex');
    await writeFile(at('gbk.csv'), gbk);
    expect(await readTable(at('gbk.csv'))).toEqual([{ 类别: '重点', 分值: '8' }]);
  });

  it('keeps blank rows inside the table so row numbers match, and drops trailing ones', async () => {
    await writeFile(at('blank.csv'), 'a,b\n1,2\n\n3,4\n,\n\n');
    expect(await readTable(at('blank.csv'))).toEqual([{ a: '1', b: '2' }, { a: '', b: '' }, { a: '3', b: '4' }]);
  });

  it('names the file and the reason when it cannot read it', async () => {
    await writeFile(at('wide.csv'), 'a,b\n1,2\n1,2,3\n');
    await writeFile(at('dup.csv'), 'a,a\n1,2\n');
    await writeFile(at('quote.csv'), 'a,b\n"1,2\n');
    for (const [f, reason] of [['wide.csv', /row 3/], ['dup.csv', /"a"/], ['quote.csv', /malformed CSV/], ['missing.csv', /ENOENT/], ['x.txt', /unsupported/]] as const) {
      const err = await readTable(at(f)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TableFileError);
      expect((err as Error).message).toContain(at(f));
      expect((err as Error).message).toMatch(reason);
    }
  });

  it('recognises a workbook saved under a .csv name', async () => {
    await writeXlsx(at('real.xlsx'), rows);
    await writeFile(at('renamed.csv'), await readFile(at('real.xlsx')));
    await expect(readTable(at('renamed.csv'))).rejects.toThrow(/\.xlsx/);
  });
});

describe('readTable: JSON', () => {
  it('reads an array of objects and refuses anything else', async () => {
    await writeFile(at('ok.json'), JSON.stringify([{ a: 1 }, { a: 2 }]));
    await writeFile(at('obj.json'), '{"a":1}');
    await writeFile(at('bad.json'), '[{"a":1},');
    expect(await readTable(at('ok.json'))).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(readTable(at('obj.json'))).rejects.toThrow(/obj\.json.*array of objects/);
    await expect(readTable(at('bad.json'))).rejects.toThrow(/bad\.json.*malformed JSON/);
  });
});

describe('round trips', () => {
  it('CSV: values come back as the text a spreadsheet shows, with a BOM for Excel', async () => {
    await writeCsv(at('out/rt.csv'), rows);
    expect((await readFile(at('out/rt.csv'))).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(await readTable(at('out/rt.csv'))).toEqual([
      { 编号: 'T01', 指标: rows[0]!.指标, 分值: '8', 完成时限: '2019-12-31', 备注: '' },
      { 编号: 'T02', 指标: '保障重点项目用地', 分值: '2.5', 完成时限: '2019-06-30', 备注: '' },
    ]);
  });

  it('XLSX: numbers stay numbers, dates come back as YYYY-MM-DD, empty cells are absent', async () => {
    await writeXlsx(at('out/rt.xlsx'), rows, '考评表');
    expect(await readTable(at('out/rt.xlsx'))).toEqual([
      { 编号: 'T01', 指标: rows[0]!.指标, 分值: 8, 完成时限: '2019-12-31' },
      // An empty text cell reads as an empty cell.
      { 编号: 'T02', 指标: '保障重点项目用地', 分值: 2.5, 完成时限: '2019-06-30' },
    ]);
  });

  it('CSV and XLSX keep any text (CSV: neutralised formulas aside)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r\n', ' ', '、', '\t'), maxLength: 12 });
    const table = fc.array(fc.record({ id: fc.stringMatching(/^[a-z]{1,4}$/), 文本: text }), { minLength: 1, maxLength: 5 });
    let n = 0;
    await fc.assert(fc.asyncProperty(table, async (t) => {
      const base = at(`prop-${n++}`);
      await writeCsv(`${base}.csv`, t);
      await writeXlsx(`${base}.xlsx`, t);
      // A cell a spreadsheet would run as a formula comes back with the apostrophe that keeps it text.
      expect(await readTable(`${base}.csv`)).toEqual(t.map((r) => ({ ...r, 文本: /^[\t\r]/.test(r.文本) ? `'${r.文本}` : r.文本 })));
      const fromXlsx = await readTable(`${base}.xlsx`);
      // XML normalises line ends: a CRLF typed into a cell comes back as LF
      expect(fromXlsx.map((r) => ({ 文本: '', ...r }))).toEqual(t.map((r) => ({ ...r, 文本: r.文本.replace(/\r\n/g, '\n') })));
    }), { numRuns: 30 });
  });
});

// Issue 8, finding 9: a 16 MB workbook of 3 M rows took 37 s and 4.2 GB before its 400.
describe('caps on uploaded tables', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ 编号: `T${i}`, 分值: i }));

  it('refuses a CSV, an XLSX and a JSON table one row over the cap, naming the cap', async () => {
    const rows = many(LIMITS.tableRows + 1);
    await writeCsv(at('caps/many.csv'), rows);
    await writeXlsx(at('caps/many.xlsx'), rows);
    await writeFile(at('caps/many.json'), JSON.stringify(rows));
    for (const f of ['many.csv', 'many.xlsx', 'many.json']) {
      await expect(readTable(at(`caps/${f}`))).rejects.toThrow(new RegExp(`too many rows \\(at most ${LIMITS.tableRows}\\)`));
    }
    // At the cap: read whole.
    await writeXlsx(at('caps/full.xlsx'), many(LIMITS.tableRows));
    expect(await readTable(at('caps/full.xlsx'))).toHaveLength(LIMITS.tableRows);
  });

  it('stops reading a workbook at the cap: a million rows are refused with the memory of ten thousand', async () => {
    // Written by a streaming writer, as a big export would be; about 5 MB zipped.
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: at('caps/million.xlsx') });
    const ws = wb.addWorksheet('s');
    ws.addRow(['编号', '分值']).commit();
    for (let i = 0; i < 1_000_000; i += 1) ws.addRow([`T${i}`, i]).commit();
    await wb.commit();
    const before = process.memoryUsage().rss;
    await expect(readTable(at('caps/million.xlsx'))).rejects.toThrow(/too many rows|too large/);
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);

  it('refuses too many columns and too many bytes', async () => {
    const wide = [Object.fromEntries(Array.from({ length: LIMITS.tableColumns + 1 }, (_, c) => [`c${c}`, c]))];
    await writeCsv(at('caps/wide.csv'), wide);
    await expect(readTable(at('caps/wide.csv'))).rejects.toThrow(/too many columns/);
    await writeXlsx(at('caps/wide.xlsx'), wide);
    await expect(readTable(at('caps/wide.xlsx'))).rejects.toThrow(/too many columns/);
    await writeFile(at('caps/big.csv'), `a\n${'x'.repeat(LIMITS.tableBytes)}\n`);
    await expect(readTable(at('caps/big.csv'))).rejects.toThrow(/too large/);
  });
});
