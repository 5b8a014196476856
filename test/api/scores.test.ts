// The target ledger and the score sheet over the API against a real Temporal dev server: a bad table is
// refused with its row and column and changes nothing; a good one imports (file or JSON rows); evidence
// only from a head of the target's departments; marks only from the review team, every refusal audited;
// the efficiency office's figures and vetoes; the score with its breakdown; the grade and the bonus list;
// the scores page in both languages.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { readTable } from '../../activities/tables.js';
import type { AuditEntry } from '../../domain/audit.js';
import { auditUntil, csrfHeaders, harness, multipart, signIn, type Harness } from './harness.js';
import { MARKS, pastCycle, ROSTER_CSV, TARGETS_CSV, until, walkToScoring } from './scored-cycle.js';

const EXTERNAL = JSON.parse(readFileSync(new URL('../fixtures/grading/jinjiang-2019-external.json', import.meta.url), 'utf8')) as unknown[];

let h: Harness;
let app: FastifyInstance;
let id: string;
let input2019: Awaited<ReturnType<typeof pastCycle>>;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('scores');
  app = await h.api();
  input2019 = await pastCycle(h, 'scores-2019');
  id = input2019.cycleId;
  for (const who of ['office-lin', 'efficiency-office', 'head-zheng', 'head-xu', 'review-gov', 'hr-reviewer']) {
    cookies[who] = await signIn(app, h.dataDir, who);
  }
});
afterAll(async () => {
  await h?.close();
});

const as = (who: string) => csrfHeaders(cookies[who]!);
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as(who) });
const put = (who: string, url: string, payload: object) => app.inject({ method: 'PUT', url, headers: as(who), payload });
function upload(who: string, url: string, parts: Parameters<typeof multipart>[0]) {
  const body = multipart(parts);
  return app.inject({ method: 'POST', url, headers: { ...as(who), ...body.headers }, payload: body.payload });
}
const refused = (entries: AuditEntry[], actor: string, action: string, subject: string) =>
  entries.some((e) => e.action === 'refused' && e.actor === actor && e.subject === subject && e.detail?.startsWith(`${action}:`));

describe('targets, evidence, marks, figures and the score over the API', () => {
  it('refuses a bad table with row and column and changes nothing; imports a good one', { timeout: 120_000 }, async () => {
    await h.client.start(input2019, 'office-lin');
    const csv = readFileSync(TARGETS_CSV, 'utf8');

    const bad = await upload('office-lin', `/api/cycles/${id}/targets`, [{ name: 'file', filename: 'targets.csv', content: csv.replace(',2019-11-30,卫片', ',2019-11-31,卫片') }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid', field: 'file', rows: [{ row: 5, column: '完成时限' }] });
    expect(bad.json().error.message).toMatch(/第 5 行「完成时限」\/ row 5, column "完成时限"/);
    expect((await get('office-lin', `/api/cycles/${id}/targets`)).json()).toEqual({ targets: [] });
    const notATable = await upload('office-lin', `/api/cycles/${id}/targets`, [{ name: 'file', filename: 'targets.pdf', content: '%PDF' }]);
    expect(notATable.json()).toMatchObject({ error: { field: 'file' } });

    // Not the coordinator: refused by the API, audited, nothing read.
    const wrong = await upload('head-zheng', `/api/cycles/${id}/targets`, [{ name: 'file', filename: 'targets.csv', content: csv }]);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.message).toContain('head-zheng 无权导入考评表');
    expect(refused(await auditUntil(h.client, id, (e) => refused(e, 'head-zheng', 'importTargets', id)), 'head-zheng', 'importTargets', id)).toBe(true);

    // JSON rows: a table whose points do not add up is refused on the header row.
    const rows = await readTable(TARGETS_CSV);
    const short = await app.inject({ method: 'POST', url: `/api/cycles/${id}/targets`, headers: as('office-lin'), payload: { rows: rows.slice(1) } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ field: 'body.rows', rows: [{ row: 1, column: '分值' }] });
    expect((await get('office-lin', `/api/cycles/${id}/targets`)).json()).toEqual({ targets: [] });
    const fromJson = await app.inject({ method: 'POST', url: `/api/cycles/${id}/targets`, headers: as('office-lin'), payload: { rows } });
    expect(fromJson.statusCode).toBe(200);
    expect(fromJson.json().targets).toHaveLength(17);

    const ok = await upload('office-lin', `/api/cycles/${id}/targets`, [{ name: 'file', filename: 'jinjiang-2019-targets.csv', content: csv }]);
    expect(ok.statusCode).toBe(200);
    const view = ok.json() as { targets: { id: string; departments: string[]; leader: string }[]; importedBy: string; source: { name: string; sha256: string } };
    expect(view).toMatchObject({ importedBy: 'office-lin', source: { name: 'jinjiang-2019-targets.csv' } });
    expect(view.targets).toHaveLength(17);
    expect(view.targets.find((t) => t.id === 'T11')).toMatchObject({ departments: ['enforcement', 'mineral'], leader: 'leader-li' });
    expect((await get('office-lin', `/api/cycles/${id}`)).json().targets).toMatchObject({ count: 17, importedBy: 'office-lin' });
    // A department head sees the targets of their own departments only.
    const zheng = (await get('head-zheng', `/api/cycles/${id}/targets`)).json() as typeof view;
    expect(zheng.targets.length).toBeGreaterThan(0);
    expect(zheng.targets.every((t) => t.departments.includes('planning'))).toBe(true);
  });

  it('takes evidence from a head of the target\'s departments only, and marks from the review team only', { timeout: 60_000 }, async () => {
    const file = { name: 'file', filename: 'T14-复议台账.pdf', content: '%PDF 复议诉讼台账' };
    const filed = await upload('head-xu', `/api/cycles/${id}/targets/T14/evidence`, [file, { name: 'category', content: 'paper' }, { name: 'note', content: '全年台账' }]);
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({ seq: 1, targetId: 'T14', category: 'paper', by: 'head-xu', file: { name: 'T14-复议台账.pdf' } });
    const sha = (filed.json() as { file: { sha256: string } }).file.sha256;
    expect((await upload('head-xu', `/api/cycles/${id}/targets/T14/evidence`, [file, { name: 'category', content: 'paper-ish' }])).json())
      .toMatchObject({ error: { field: 'category' } });
    const wrongDept = await upload('head-zheng', `/api/cycles/${id}/targets/T14/evidence`, [file, { name: 'category', content: 'paper' }]);
    expect(wrongDept.statusCode).toBe(403);
    expect((await upload('head-xu', `/api/cycles/${id}/targets/T99/evidence`, [file, { name: 'category', content: 'paper' }])).statusCode).toBe(404);

    const evidence = (await get('review-gov', `/api/cycles/${id}/evidence`)).json() as { targetId: string; items: { by: string }[] }[];
    expect(evidence.find((t) => t.targetId === 'T14')?.items.map((e) => e.by)).toEqual(['head-xu']);
    const download = await get('review-gov', `/api/cycles/${id}/targets/T14/evidence/${sha}`);
    expect([download.statusCode, download.body]).toEqual([200, '%PDF 复议诉讼台账']);
    expect((await get('head-zheng', `/api/cycles/${id}/targets/T14/evidence/${sha}`)).statusCode).toBe(403);

    // A wrong actor's mark: refused by the API and audited; nothing marked.
    const mark = await put('head-xu', `/api/cycles/${id}/targets/T14/mark`, { mark: 6 });
    expect(mark.statusCode).toBe(403);
    expect(mark.json().error.message).toContain('head-xu 无权对目标打分');
    expect((await put('review-gov', `/api/cycles/${id}/targets/T14/mark`, { mark: 'six' })).json()).toMatchObject({ error: { field: 'body.mark' } });
    // The review team before the window: refused by the workflow, audited too.
    const early = await put('review-gov', `/api/cycles/${id}/targets/T14/mark`, { mark: 6 });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.message).toContain('marks are given in the review window or the scoring phase');
    const audit = await auditUntil(h.client, id, (e) => refused(e, 'head-xu', 'markTarget', 'T14') && refused(e, 'review-gov', 'markTarget', 'T14')
      && refused(e, 'head-zheng', 'fileEvidence', 'T14') && refused(e, 'head-zheng', 'download', 'T14'));
    expect(['head-xu', 'review-gov'].map((who) => refused(audit, who, 'markTarget', 'T14'))).toEqual([true, true]);
    expect(refused(audit, 'head-zheng', 'fileEvidence', 'T14')).toBe(true);
    expect((await get('office-lin', `/api/cycles/${id}/score`)).json().marks).toEqual([]);
  });

  it('enters the figures and returns the score with every intermediate figure', { timeout: 180_000 }, async () => {
    const fig = (who: string, name: string, payload: object) => put(who, `/api/cycles/${id}/figures/${name}`, payload);
    expect((await fig('office-lin', 'publicReview', { value: 90, source: '自评' })).statusCode).toBe(403);
    expect((await fig('efficiency-office', 'nonsense', { value: 90, source: 'x' })).json()).toMatchObject({ error: { field: 'params.name' } });
    expect((await fig('efficiency-office', 'publicReview', { value: 90 })).json()).toMatchObject({ error: { field: 'body.source' } });
    const tooHigh = await fig('efficiency-office', 'publicReview', { value: 120, source: '市统计局' });
    expect(tooHigh.json()).toMatchObject({ error: { field: 'value' } });
    expect((await fig('efficiency-office', 'publicReview', { value: 91, source: '市统计局 2020-03-05' })).statusCode).toBe(200);
    // A correction needs a reason.
    expect((await fig('efficiency-office', 'publicReview', { value: 90, source: '市统计局 2020-03-06' })).json()).toMatchObject({ error: { field: 'reason' } });
    const corrected = await fig('efficiency-office', 'publicReview', { value: 90, source: '市统计局 2020-03-06', reason: '统计口径更正' });
    expect(corrected.json()).toMatchObject({ figure: 'publicReview', value: 90, by: 'efficiency-office', reason: '统计口径更正' });
    for (const [name, value, source] of [['windowReview', null, '本单位无办事窗口'], ['approvalService', 88, '市审改办'], ['partyBuilding', 92, '市直机关工委'],
      ['incentive', 0.5, '市政府表彰'], ['inspection', 0.2, '察访核验通报']] as const) {
      expect((await fig('efficiency-office', name, { value, source })).statusCode).toBe(200);
    }
    expect((await put('office-lin', `/api/cycles/${id}/vetoes`, { vetoes: [], source: '自认' })).statusCode).toBe(403);
    expect((await put('efficiency-office', `/api/cycles/${id}/vetoes`, { vetoes: ['no-such-veto'], source: 'x' })).json()).toMatchObject({ error: { field: 'body.vetoes.0' } });
    expect((await put('efficiency-office', `/api/cycles/${id}/vetoes`, { vetoes: [], source: '市效能办认定' })).json()).toEqual([]);

    const missing = (await get('head-zheng', `/api/cycles/${id}/score`)).json();
    expect(missing.view.complete).toBe(false);
    expect(missing.view.missing.map((m: { en: string }) => m.en)).toEqual([expect.stringContaining('targets without a mark: T01')]);

    // Plan and summaries done: the window has passed and the review team marks in the scoring phase.
    await walkToScoring(h, await h.client.cycleInput(id));
    for (const [t, m] of Object.entries(MARKS)) {
      const r = await put('review-gov', `/api/cycles/${id}/targets/${t}/mark`, { mark: t === 'T14' ? 6 : m });
      expect(r.statusCode, r.body).toBe(200);
    }
    expect((await put('review-gov', `/api/cycles/${id}/targets/T14/mark`, { mark: 6.5 })).json()).toMatchObject({ error: { field: 'reason' } });
    expect((await put('review-gov', `/api/cycles/${id}/targets/T14/mark`, { mark: 7.5 })).json().error.message).toContain('between 0 and 7');
    expect((await put('review-gov', `/api/cycles/${id}/targets/T14/mark`, { mark: 6.5, reason: '复核佐证材料后更正' })).json())
      .toMatchObject({ targetId: 'T14', mark: 6.5, by: 'review-gov', reason: '复核佐证材料后更正' });

    const score = (await get('head-zheng', `/api/cycles/${id}/score`)).json();
    expect(score.view.complete).toBe(true);
    // By hand: marks 95 × 90% + 88 × 5% + 92 × 5% = 94.5; public review 90 (no window); 94.5 × 70% + 90 × 30% = 93.15; + 0.5 − 0.2.
    expect(score.view.breakdown).toEqual({
      functionalScore: 62, administrativeScore: 33, marksScore: 95, marksWeight: 0.9,
      approvalServiceScore: 88, approvalServiceWeight: 0.05, partyBuildingScore: 92, partyBuildingWeight: 0.05, targetScore: 94.5,
      statisticsReviewScore: 90, statisticsReviewWeight: 1, windowReviewScore: null, windowReviewWeight: 0, publicReviewScore: 90,
      weightedTargetScore: 66.15, weightedPublicReviewScore: 27, subtotal: 93.15, incentiveBonus: 0.5, inspectionDeduction: 0.2, finalScore: 93.45,
    });
    expect(score.figures).toHaveLength(7);
    expect(score).toMatchObject({ vetoes: [], vetoesSet: true });
    // head-zheng sees the unit's score, and the marks of his own department's targets only.
    expect(score.marks.length).toBeGreaterThan(0);
    expect(score.marks.length).toBeLessThan(18);
    expect((await get('office-lin', `/api/cycles/${id}/score`)).json().marks).toHaveLength(18);
    expect((await get('office-lin', `/api/cycles/${id}`)).json().finalScore).toBe(93.45);

    const page = await get('head-zheng', `/cycles/${id}/scores`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('得分构成');
    expect(page.body).toContain('93.45');
    expect(page.body).toContain('目标考评得分');
    expect(page.body).not.toContain('data-testid="mark-form"');
    const en = await get('review-gov', `/cycles/${id}/scores?lang=en`);
    expect(en.body).toContain('Score breakdown');
    expect(en.body).toContain('data-testid="mark-form"');
    expect(en.body).not.toContain('data-testid="figure-form"');
    expect((await get('efficiency-office', `/cycles/${id}/scores`)).body).toContain('data-testid="figure-form"');
  });

  it('shows the grade and makes the bonus list for the coordinator or the efficiency office', { timeout: 120_000 }, async () => {
    // Over HTTP: only the efficiency office grades (the office is refused, and audited in the cycle).
    const grade = (who: string) => app.inject({ method: 'POST', url: '/api/gradings', headers: as(who), payload: { year: 2019, cycles: [id], external: EXTERNAL } });
    const refused = await grade('office-lin');
    expect([refused.statusCode, refused.json().error.message]).toEqual([403, expect.stringContaining('only the efficiency office')]);
    const graded = await grade('efficiency-office');
    expect(graded.statusCode, graded.body).toBe(200);
    expect(graded.json()).toMatchObject({ year: 2019, startedBy: 'efficiency-office' });
    expect((await get('head-xu', '/api/gradings/2019')).json()).toMatchObject({ year: 2019, units: expect.any(Array) });
    await until('the grade in the status', async () => ((await h.client.status(id)).grade ? true : undefined));
    const score = (await get('office-lin', `/api/cycles/${id}/score`)).json();
    expect(score.grade).toMatchObject({ year: 2019, units: 38, score: 93.45, nextYearExcellentShare: expect.any(Number), sanctions: expect.any(Array) });
    expect(score.grade.reason).toBeTruthy();
    const page = await get('office-lin', `/cycles/${id}/scores`);
    expect(page.body).toContain('data-testid="grade"');
    expect(page.body).toContain(score.grade.reason.replace(/"/g, '&quot;').slice(0, 10));
    // The grade in words, with when it came; never the grading's workflow id.
    expect(page.body).not.toContain(score.grade.gradingId);
    expect(page.body).not.toContain('perfcycle-grading-');
    expect(page.body).toMatch(/\d{4}年\d+月\d+日 \d\d:\d\d 评定/);

    const roster = { name: 'roster', filename: 'jinjiang-2019-roster.csv', content: readFileSync(ROSTER_CSV) };
    expect((await upload('head-xu', `/api/cycles/${id}/bonus`, [roster])).statusCode).toBe(403);
    const json = await upload('efficiency-office', `/api/cycles/${id}/bonus?format=json`, [roster]);
    expect(json.statusCode, json.body).toBe(200);
    expect(json.json()).toMatchObject({ cycleId: id, grade: score.grade.grade, rank: score.grade.rank });
    const xlsx = await upload('office-lin', `/api/cycles/${id}/bonus`, [roster]);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toContain('bonus-list.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets[0]!.getRow(1).getCell(1).value).toBe('姓名 name');
    const csv = await upload('office-lin', `/api/cycles/${id}/bonus?format=csv`, [roster]);
    expect(csv.body).toMatch(/^\uFEFF姓名 name,/);
    const badRoster = await upload('office-lin', `/api/cycles/${id}/bonus`, [{ ...roster, content: '姓名,科室\n张三,不存在的科室\n' }]);
    expect(badRoster.statusCode).toBe(400);
    expect(badRoster.json()).toMatchObject({ error: { field: 'roster' } });
    expect(badRoster.json().error.message).not.toContain('perfcycle-upload-');
  });

  it('publishes the routes in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [['/api/cycles/{cycleId}/targets', 'post'], ['/api/cycles/{cycleId}/targets', 'get'], ['/api/cycles/{cycleId}/targets/{targetId}/evidence', 'post'],
      ['/api/cycles/{cycleId}/evidence', 'get'], ['/api/cycles/{cycleId}/targets/{targetId}/mark', 'put'], ['/api/cycles/{cycleId}/figures/{name}', 'put'],
      ['/api/cycles/{cycleId}/vetoes', 'put'], ['/api/cycles/{cycleId}/score', 'get'], ['/api/cycles/{cycleId}/bonus', 'post']] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const post = doc.paths['/api/cycles/{cycleId}/targets']!.post as { requestBody: { content: Record<string, unknown> } };
    expect(Object.keys(post.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
  });
});
