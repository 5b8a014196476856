// The 2019 cycle of 晋江市自然资源局 with its target table, on the time-skipping server from 2019-12-01:
// import, monthly progress, evidence, review marks, figures, the score worked by hand, the city's grading
// of 38 units, the publication mail and the bonus list.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../activities/tables.js';
import { bonusReport, bonusRows, writeBonusFile } from '../../client/bonus-list.js';
import { fileStore } from '../../client/file-store.js';
import { formatBonus } from '../../client/cli/grading-commands.js';
import { formatScore } from '../../client/cli/score-commands.js';
import type { AuditEntry } from '../../domain/audit.js';
import { gradingIdOf, importTargetsUpdate, type CycleStatus } from '../../workflows/definitions.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { recordHistories } from '../helpers/histories.js';
import { headerOf, mailsWith as mailsWithItem, recipientOf } from '../helpers/smtp.js';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { skipTo, testWorker } from '../helpers/worker.js';

const EXAMPLES = new URL('../../examples/', import.meta.url);
const TARGETS_CSV = new URL('jinjiang-2019-targets.csv', EXAMPLES).pathname;
const ROSTER_CSV = new URL('jinjiang-2019-roster.csv', EXAMPLES).pathname;
const EXTERNAL = JSON.parse(readFileSync(new URL('../fixtures/grading/jinjiang-2019-external.json', import.meta.url), 'utf8')) as unknown[];

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

const header = headerOf;
const to = recipientOf;
const mailsWith = (item: string) => mailsWithItem(t.smtp.messages, item);

// Marks by hand: functional 62 of 65, administrative 33 of 35, so the marks score is 95.
const MARKS: Record<string, number> = {
  T01: 8, T02: 7.5, T03: 6, T04: 5, T05: 6, T06: 5.5, T07: 5, T08: 4.5, T09: 4, T10: 5, T11: 3, T12: 2.5,
  T13: 7, T14: 6.5, T15: 6, T16: 7, T17: 6.5,
};

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('targets, tracking, scores, grading and the bonus list of the 2019 cycle', () => {
  it('runs from target import to the bonus list', { timeout: 240_000 }, async () => {
    const cycle = exampleCycle('t2019', (f) => {
      f.people.push({ id: 'reviewer-guo', name: '郭敏（考评组）', email: 'reviewer-guo@gov.example', lang: 'zh-CN' },
        { id: 'reviewer-he', name: '何平（考评组）', email: 'reviewer-he@gov.example', lang: 'zh-CN' });
      f.roles.reviewTeam = ['reviewer-guo', 'reviewer-he'];
      f.bonus = { baseAmount: 10000, coefficients: { excellent: 1.2, good: 1.1, fair: 1 } };
    });
    const id = cycle.cycleId;
    const dir = tempDir('targets');
    const { worker, client, dataDir } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const store = fileStore(dataDir);
    const at = (iso: string) => skipTo(t.env, iso);
    const owner = (dept: string) => cycle.departments.find((d) => d.id === dept)!.owner;
    const leader = (dept: string) => cycle.departments.find((d) => d.id === dept)!.leader;
    const deliver = async (ids: string[]) => {
      for (const d of ids) {
        const dept = d.replace(/^(summary|evidence|progress)-/, '').replace(/-\d{4}-\d{2}$/, '');
        await client.submit(id, d, { actor: owner(dept) });
        await client.approve(id, d, { actor: d.startsWith('evidence-') ? 'office-lin' : leader(dept) });
      }
    };
    let audit: AuditEntry[] = [];
    let status: CycleStatus | undefined;

    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');

      // ---- target import: a bad file is refused with row and column and changes nothing ----
      await at('2019-12-02T10:00:00+08:00');
      const good = await readTable(TARGETS_CSV);
      const badCsv = join(dir, 'bad.csv');
      writeFileSync(badCsv, readFileSync(TARGETS_CSV, 'utf8').replace('T04,重点,土地卫片执法检查和“大棚房”问题清理整治,6,', 'T04,重点,土地卫片执法检查和“大棚房”问题清理整治,六分,'));
      await expect(client.importTargets(id, await readTable(badCsv), 'office-lin')).rejects.toThrow(/第 5 行「分值」.*row 5, column "分值"/);
      expect((await client.targets(id)).targets).toEqual([]);
      await expect(client.importTargets(id, good, 'head-zheng')).rejects.toThrow(/head-zheng 无权导入考评表/);
      const imported = await client.importTargets(id, good, 'office-lin', await store.putPath(TARGETS_CSV));
      expect(imported.targets.map((t) => t.id)).toEqual(Object.keys(MARKS));
      expect(imported.targets.find((t) => t.id === 'T11')).toMatchObject({ leadDepartment: 'enforcement', departments: ['enforcement', 'mineral'] });
      await expect(client.importTargets(id, await readTable(badCsv), 'office-lin')).rejects.toThrow(/row 5/);
      // The workflow's validator checks the sums again, whoever bypasses the client.
      await expect(t.env.client.workflow.getHandle(id).executeUpdate(importTargetsUpdate, { args: [{ actor: 'office-lin', targets: imported.targets.slice(1) }] }))
        .rejects.toMatchObject({ cause: { type: 'Invalid', message: expect.stringContaining('functional 57 (expected 65)') } });
      expect((await client.targets(id)).targets).toEqual(imported.targets);

      // ---- tracking: a December report per lead department, due on the 25th ----
      const s1 = await client.status(id);
      const progress = s1.deliverables.filter((d) => d.kind === 'progress');
      expect(progress.map((d) => d.id).sort()).toEqual(cycle.departments.map((d) => `progress-${d.id}-2019-12`).sort());
      expect(progress.every((d) => d.due === '2019-12-25T23:59:59.999+08:00')).toBe(true);
      expect(s1.targets?.count).toBe(17);

      // ---- evidence, by a head of one of the target's departments ----
      await at('2019-12-19T10:00:00+08:00');
      const paper = await store.put('T02-规划初步成果.pdf', Buffer.from('%PDF-1.4 规划初步成果'));
      await client.fileEvidence(id, { actor: 'head-zheng', targetId: 'T02', category: 'paper', file: paper, note: '初步成果' });
      await client.fileEvidence(id, { actor: 'head-zheng', targetId: 'T01', category: 'image', file: await store.put('T01-现场.jpg', Buffer.from('jpeg')) });
      await expect(client.fileEvidence(id, { actor: 'head-hong', targetId: 'T02', category: 'paper', file: paper })).rejects.toThrow(/head-hong/);
      await deliver(progress.map((d) => d.id));

      // ---- plan, January reports, summaries, evidence dossiers ----
      await at('2019-12-20T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin' });
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      await at('2020-01-17T10:00:00+08:00');
      const s2 = await client.status(id);
      const january = s2.deliverables.filter((d) => d.kind === 'progress' && d.id.endsWith('2020-01'));
      expect(january).toHaveLength(8);
      expect(january[0]?.due).toBe('2020-01-25T23:59:59.999+08:00');
      expect(s2.deliverables.some((d) => d.id.endsWith('2020-02'))).toBe(false);
      await deliver(january.map((d) => d.id));
      await deliver(cycle.departments.flatMap((d) => [`summary-${d.id}`, `evidence-${d.id}`]));

      // ---- review window: marks by the review team, corrections only with a reason ----
      await at('2020-02-10T10:00:00+08:00');
      expect((await client.status(id)).reviewWindow).toBe('open');
      await expect(client.markTarget(id, { actor: 'head-zheng', targetId: 'T02', mark: 8 })).rejects.toThrow(/head-zheng 不是考评组成员/);
      // Bad input, not a refusal (issue 8, finding 15): 400 / 404, and not in the audit (checked below).
      await expect(client.markTarget(id, { actor: 'reviewer-guo', targetId: 'T11', mark: 3.5 })).rejects.toMatchObject({ code: 'invalid', message: expect.stringMatching(/0 到 3/) });
      await expect(client.markTarget(id, { actor: 'reviewer-guo', targetId: 'T99', mark: 1 })).rejects.toMatchObject({ code: 'not-found', message: expect.stringMatching(/^targetId: /) });
      await client.markTarget(id, { actor: 'reviewer-guo', targetId: 'T04', mark: 4.5 });
      await expect(client.markTarget(id, { actor: 'reviewer-he', targetId: 'T04', mark: 5 })).rejects.toThrow(/reason/);
      await client.markTarget(id, { actor: 'reviewer-he', targetId: 'T04', mark: 5, reason: '补充材料证明 11 月底前整改完毕' });
      for (const [t, mark] of Object.entries(MARKS)) {
        if (t !== 'T04') await client.markTarget(id, { actor: t < 'T10' ? 'reviewer-guo' : 'reviewer-he', targetId: t, mark });
      }
      const partial = await client.score(id);
      expect(partial.view.complete).toBe(false);

      // ---- scoring: figures by the efficiency office, the score by hand ----
      await at('2020-02-15T10:00:00+08:00');
      expect((await client.status(id)).phase).toBe('scoring');
      await expect(client.enterFigure(id, { actor: 'office-lin', figure: 'publicReview', value: 99, source: '自评' })).rejects.toThrow(/office-lin 无权录入考评数据/);
      await client.enterFigure(id, { actor: 'efficiency-office', figure: 'publicReview', value: 85, source: '市统计局 2019 年度公众评议' });
      await expect(client.enterFigure(id, { actor: 'efficiency-office', figure: 'publicReview', value: 86, source: '市统计局' })).rejects.toThrow(/reason/);
      await client.enterFigure(id, { actor: 'efficiency-office', figure: 'publicReview', value: 86, source: '市统计局（复核）', reason: '电话调查样本补录' });
      const figures = { windowReview: 94, approvalService: 92, partyBuilding: 90, incentive: 1.2, inspection: 0.5 } as const;
      for (const [figure, value] of Object.entries(figures)) {
        await client.enterFigure(id, { actor: 'efficiency-office', figure: figure as keyof typeof figures, value, source: `市效能办 ${figure}` });
      }
      await client.setVetoes(id, { actor: 'efficiency-office', vetoes: [], source: '市效能办认定' });
      const score = await client.score(id);
      if (!score.view.complete) throw new Error(JSON.stringify(score.view.missing));
      // marks 95; target = 95 × 0.9 + 92 × 0.05 + 90 × 0.05 = 94.6; public = 86 × 0.9 + 94 × 0.1 = 86.8;
      // final = 94.6 × 0.7 + 86.8 × 0.3 + 1.2 − 0.5 = 66.22 + 26.04 + 0.7 = 92.96
      expect(score.view.breakdown).toMatchObject({
        functionalScore: 62, administrativeScore: 33, marksScore: 95, targetScore: 94.6, publicReviewScore: 86.8,
        weightedTargetScore: 66.22, weightedPublicReviewScore: 26.04, finalScore: 92.96,
      });
      expect(formatScore(score)).toMatch(/^综合得分 Final score\s+92\.96$/m);
      await at('2020-03-20T10:00:00+08:00');
      await client.submit(id, 'result', { actor: 'efficiency-office', note: '综合得分 92.96' });

      // ---- the city grades 38 units; the unit is told ----
      await at('2020-04-10T10:00:00+08:00');
      await expect(client.startGrading({ year: 2019, cycles: [id], external: EXTERNAL, actor: 'office-lin' })).rejects.toThrow(/office-lin 无权评定等次/);
      const graded = await client.startGrading({ year: 2019, cycles: [id], external: EXTERNAL, actor: 'efficiency-office' });
      expect(graded.units).toHaveLength(38);
      expect(graded.units.filter((u) => u.grade === 'excellent').length).toBeLessThanOrEqual(11);
      const own = graded.units.find((u) => u.cycleId === id);
      expect(own).toMatchObject({ unit: '晋江市自然资源局', score: 92.96, rank: 4, grade: 'excellent', delivered: true });
      expect(graded.units.find((u) => u.unit === '晋江市生态环境局')?.grade).toBe('poor');
      expect(await client.gradingResult(2019)).toEqual(graded);
      await expect(client.markTarget(id, { actor: 'reviewer-guo', targetId: 'T01', mark: 7, reason: '迟到的更正' })).rejects.toThrow(/已评定等次/);
      status = await until('the grade in the status', async () => ((await client.status(id)).grade ? client.status(id) : undefined));
      await until('the publication mails', () => (mailsWith('result:excellent').length >= 2 ? true : undefined));

      // ---- the bonus list, written as XLSX and read back ----
      const report = await bonusReport(client, id, ROSTER_CSV);
      const xlsx = join(dir, '绩效奖名单.xlsx');
      await writeBonusFile(xlsx, bonusRows(report), 'bonus');
      const back = await readTable(xlsx);
      expect(back).toHaveLength(22);
      const amount = (name: string) => back.find((r) => r['姓名 name'] === name)?.['金额（元）amount (yuan)'];
      // base 10000 × excellent 1.2 = 12000 a year
      expect([amount('林晓燕'), amount('周晓燕'), amount('高志远'), amount('林国栋'), amount('谢文华'), amount('黄志明'), amount('杨秀英')])
        .toEqual([12000, 5000, 9000, 6000, 8000, 0, 0]);
      expect([report.eligible, report.total]).toEqual([16, 172000]);
      // 20 staff in post at the year's end; an excellent unit may rate 20% of them excellent
      expect(report.nextYearExcellent).toEqual({ share: 0.2, quota: 4, staff: 20 });
      expect(report.sanctions).toEqual([]);
      expect(formatBonus(report)).toContain('total 172000 yuan');

      // ---- the rest of the year, so the recorded history is a whole cycle ----
      await client.submit(id, 'bonus-list', { actor: 'office-lin', files: [await store.putPath(xlsx)] });
      await client.approve(id, 'bonus-list', { actor: 'efficiency-office' });
      await at('2020-05-10T10:00:00+08:00');
      await client.submit(id, 'rectification', { actor: 'office-lin' });
      await client.approve(id, 'rectification', { actor: 'hr-reviewer' });
      await at('2020-05-31T00:00:00+08:00');
      expect(((await t.env.client.workflow.getHandle(id).result()) as CycleStatus).phase).toBe('closed');
      audit = await client.audit(id);
      if (process.env.RECORD_HISTORIES) await recordHistories(t.env, [id, gradingIdOf(2019)]);
    });

    // A reminder for a progress report: 7 days before the 25th, to the department head.
    const reminders = mailsWith('progress-planning-2019-12:reminder');
    expect(reminders.map((m) => [to(m), header(m, 'x-perfcycle-slot')])).toEqual([['head-zheng@jinjiang.example', '2019-12-18T09:00:00+08:00']]);
    expect(status?.grade).toMatchObject({ grade: 'excellent', rank: 4, units: 38, nextYearExcellentShare: 0.2, sanctions: [] });
    const published = mailsWith('result:excellent');
    expect(published.map(to).sort()).toEqual(['director-zhang@jinjiang.example', 'office-lin@jinjiang.example']);
    expect(published[0]?.subject).toContain('优秀');
    expect(published[0]?.text).toContain('92.96');

    const lines = audit.map((e) => `${e.actor} ${e.action} ${e.subject}`);
    for (const l of ['office-lin targets-imported', 'head-zheng refused', 'head-zheng evidence-filed T02', 'head-hong refused T02',
      'reviewer-guo target-marked T04', 'reviewer-he refused T04', 'reviewer-he mark-corrected T04', 'office-lin refused figure:publicReview',
      'efficiency-office figure-corrected figure:publicReview', 'efficiency-office vetoes-set', 'efficiency-office graded', 'system result-published']) {
      expect(lines.some((x) => x.startsWith(l)), l).toBe(true);
    }
    expect(audit.find((e) => e.action === 'mark-corrected')).toMatchObject({ role: 'reviewTeam', detail: expect.stringContaining('补充材料证明') });
    expect(audit.find((e) => e.action === 'refused' && e.actor === 'head-zheng' && e.subject === 'T02')?.detail).toMatch(/^markTarget: /);
    expect(audit.filter((e) => e.action === 'refused' && ['T11', 'T99'].includes(e.subject))).toEqual([]);
  });
});
