// The issue-3 commands as a user runs them (`node bin/perfcycle.js …` in a child process) against a dev
// server whose worker runs here, each person signed in to the API: a bad target table changes nothing,
// refusals are audited, the score says what is missing, grading and the bonus list refuse what is not ready.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleClient } from '../../client/cycle-client.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { cliServer, ROOT, runCli, signInAll, startCycle, type CliRun, type CliServer } from '../helpers/cli.js';

const TARGETS = join(ROOT, 'examples/jinjiang-2019-targets.csv');
const dir = tempDir('score-cli');

let server: CliServer;
let client: CycleClient;

beforeAll(async () => {
  server = await cliServer(dir);
  ({ client } = server);
}, 120_000);
afterAll(() => server?.close(), 60_000);

const cli = (...args: string[]): Promise<CliRun> => runCli(args, server.cliEnv);

describe('perfcycle targets, evidence, mark, figure, score, grading, bonus', () => {
  it('imports a table only when every row is right, and audits who was refused', { timeout: 120_000 }, async () => {
    // Next year's cycle: its review window is far off, so marks are refused by person first, then by state.
    const YEAR = new Date().getFullYear() + 1;
    const cycle = exampleCycle('cli-targets', (f) => {
      f.year = YEAR;
      f.calendar = {};
      f.people.push({ id: 'reviewer-guo', name: '郭敏', email: 'guo@gov.example', lang: 'zh-CN' });
      f.roles.reviewTeam = ['reviewer-guo'];
    });
    const id = cycle.cycleId;
    await startCycle(client, cycle);
    await signInAll(client, server.cliEnv, ['office-lin', 'head-xu', 'head-zheng', 'reviewer-guo', 'efficiency-office']);

    const bad = join(dir, 'bad-targets.csv');
    writeFileSync(bad, readFileSync(TARGETS, 'utf8').replace(',2019-11-30,卫片', ',2019-11-31,卫片'));
    const refused = await cli('targets', 'import', id, '--file', bad, '--as', 'office-lin');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/第 5 行「完成时限」\/ row 5, column "完成时限": /);
    expect(JSON.parse((await cli('targets', 'list', id, '--json')).stdout)).toEqual({ targets: [] });

    const imported = await cli('targets', 'import', id, '--file', TARGETS, '--as', 'office-lin');
    expect(imported.stderr).toBe('');
    // The file by its name; its hash stays in --json.
    expect(imported.stdout).toContain('imported 17 targets（文件 / file: jinjiang-2019-targets.csv）');
    expect(imported.stdout).not.toMatch(/sha256|[0-9a-f]{16}/);
    // The same table from Excel replaces it before any mark is given, and reads the same.
    const fromCsv = JSON.parse((await cli('targets', 'list', id, '--json')).stdout) as { targets: unknown[] };
    expect((await cli('targets', 'import', id, '--file', TARGETS.replace(/\.csv$/, '.xlsx'), '--as', 'office-lin')).stdout).toContain('imported 17 targets');
    const fromXlsx = JSON.parse((await cli('targets', 'list', id, '--json')).stdout) as { targets: unknown[]; source: { name: string } };
    expect([fromXlsx.targets, fromXlsx.source.name]).toEqual([fromCsv.targets, 'jinjiang-2019-targets.xlsx']);

    const evidenceFile = join(dir, 'T14-复议台账.pdf');
    writeFileSync(evidenceFile, '%PDF 复议诉讼台账');
    const [list, filed, wrongDept, mark, figure, score] = await Promise.all([
      cli('targets', 'list', id),
      cli('evidence', 'add', id, 'T14', '--category', 'paper', '--file', evidenceFile, '--as', 'head-xu'),
      cli('evidence', 'add', id, 'T14', '--category', 'paper', '--file', evidenceFile, '--as', 'head-zheng'),
      cli('mark', id, 'T14', '6', '--as', 'head-xu'),
      cli('figure', id, 'publicReview', '90', '--source', '自评', '--as', 'office-lin'),
      cli('score', id),
    ]);
    // People and departments by name, dates as people write them; no id of the directory.
    expect(list.stdout).toMatch(/^T11\s+动态\s+3\s+执法大队\s+执法大队、矿产资源管理科\s+李春华（副局长）\s+黄志明\s+2019年12月31日\s/m);
    expect(list.stdout).not.toMatch(/enforcement|leader-li|head-/);
    expect(filed.stdout).toBe('已报送目标 T14 的佐证材料（纸质）：T14-复议台账.pdf，报送人 许志强（政策法规科科长兼执法大队队长） / filed evidence (paper) for target T14: T14-复议台账.pdf, by 许志强（政策法规科科长兼执法大队队长）\n');
    expect([wrongDept.code, wrongDept.stderr]).toEqual([1, expect.stringContaining('郑伟（规划科科长） may not file evidence for this target; only 许志强（政策法规科科长兼执法大队队长） may')]);
    expect([mark.code, mark.stderr]).toEqual([1, expect.stringContaining('许志强（政策法规科科长兼执法大队队长） may not mark targets')]);
    expect([figure.code, figure.stderr]).toEqual([1, expect.stringContaining('林晓燕（局办公室） 无权录入考评数据')]);
    expect(score.stdout).toContain('targets without a mark: T01, T02');
    expect(score.stdout).toContain('not entered: public review (statistics bureau)');

    const [outOfWindow, badFigure] = await Promise.all([
      cli('mark', id, 'T14', '6', '--as', 'reviewer-guo'),
      cli('figure', id, 'publicReview', '120', '--source', '市统计局', '--as', 'efficiency-office'),
    ]);
    expect(outOfWindow.stderr).toContain('marks are given in the review window or the scoring phase');
    expect(badFigure.stderr).toContain('value: 公众评议得分（统计局）数值无效');
    const [entered, evidence, audit, evidenceTable] = await Promise.all([
      cli('figure', id, 'windowReview', 'n/a', '--source', '本单位无办事窗口', '--as', 'efficiency-office'),
      cli('evidence', 'list', id, '--json'),
      cli('audit', id, '--format', 'json'),
      cli('evidence', 'list', id),
    ]);
    expect(entered.stdout).toContain('windowReview: 不适用 n/a');
    expect(evidenceTable.stdout).toMatch(/^T14\s+纸质 paper\s+T14-复议台账\.pdf\s+许志强（政策法规科科长兼执法大队队长）\s+\d{4}年\d+月\d+日 \d\d:\d\d/m);
    expect(evidenceTable.stdout).not.toMatch(/head-xu|[0-9a-f]{16}/);
    const t14 = (JSON.parse(evidence.stdout) as { targetId: string; items: { by: string; file: { sha256: string } }[] }[]).find((t) => t.targetId === 'T14');
    expect(t14?.items.map((e) => e.by)).toEqual(['head-xu']);
    const refusals = (JSON.parse(audit.stdout) as { actor: string; action: string; subject: string; detail: string }[])
      .filter((e) => e.action === 'refused').map((e) => `${e.actor} ${e.subject} ${e.detail.split(':')[0]}`);
    // The figure out of range is bad input (a 400), not a refusal: not audited (issue 8, finding 15).
    expect(refusals.sort()).toEqual([
      'head-xu T14 markTarget', 'head-zheng T14 fileEvidence', 'office-lin figure:publicReview enterFigure', 'reviewer-guo T14 markTarget',
    ]);

    // Grading: the efficiency office through the API, anyone else refused there; an operator directly.
    const [operator, office, asPerson, result, bonus] = await Promise.all([
      cli('grading', 'start', '--year', String(YEAR), '--cycles', id, '--operator'),
      cli('grading', 'start', '--year', String(YEAR), '--cycles', id, '--as', 'efficiency-office'),
      cli('grading', 'start', '--year', String(YEAR), '--cycles', id, '--as', 'office-lin'),
      cli('grading', 'result', '2099'),
      cli('bonus', id, '--roster', join(ROOT, 'examples/jinjiang-2019-roster.csv'), '--out', join(dir, 'b.xlsx')),
    ]);
    expect([operator.code, operator.stderr]).toEqual([1, expect.stringContaining('incomplete score')]);
    expect([office.code, office.stderr]).toEqual([1, expect.stringContaining('incomplete score')]);
    expect([asPerson.code, asPerson.stderr]).toEqual([1, expect.stringContaining('only the efficiency office')]);
    expect([result.code, result.stderr]).toEqual([1, expect.stringContaining('no grading for 2099')]);
    expect([bonus.code, bonus.stderr]).toEqual([1, expect.stringContaining('has not been graded yet')]);
  });
});
