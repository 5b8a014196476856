// Regenerates the example .xlsx from its CSV, so the two never drift apart by hand-editing.
// Points and dates become number and date cells, as in a workbook someone typed in Excel, so that
// loading the .xlsx exercises the typed-cell path of readTable, not just text.
// Usage: npx tsx scripts/make-example-xlsx.ts [in.csv [out.xlsx]]
import { fileURLToPath } from 'node:url';
import { readTable, writeXlsx } from '../activities/tables.js';

const examples = fileURLToPath(new URL('../examples/', import.meta.url));
const input = process.argv[2] ?? `${examples}jinjiang-2019-targets.csv`;
const output = process.argv[3] ?? input.replace(/\.csv$/i, '.xlsx');

const typed = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
};

const rows = (await readTable(input)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typed(v)])));
await writeXlsx(output, rows, '绩效管理目标考评表');
console.log(`${output}: ${rows.length} rows`);
