// The city's grading across units and the use of its result: grading start/result, bonus. `grading start
// --as` goes through the API as the signed-in efficiency office; without it, in direct mode, it is
// recorded as the operator.
import { readFile } from 'node:fs/promises';
import { UNIT_GRADE_LABELS } from '../../domain/bonus.js';
import { bonusReport, bonusRows, writeBonusFile, type BonusReport } from '../bonus-list.js';
import { UserError } from '../errors.js';
import { operatorActor } from '../operator.js';
import type { GradingResult } from '../../workflows/definitions.js';
import { asPerson } from './api-client.js';
import { formatGradeTable } from './grade-command.js';
import { json, numberArg, out, withClient } from './io.js';
import { textTable } from './table.js';

async function readJson(file: string, option: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UserError(`${option}: 无法读取 / cannot read ${file}: ${e.code ?? e.message}`);
  });
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new UserError(`${option}: ${file} 不是有效的 JSON / is not valid JSON: ${(e as Error).message}`);
  }
}

const yearArg = (v: string) => {
  const y = numberArg('year', v);
  if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new UserError(`year: 应为年份 / expected a year (got "${v}")`);
  return y;
};

export function formatBonus(r: BonusReport, outPath?: string): string {
  const q = r.nextYearExcellent;
  return [
    `${r.unit.name} ${r.year}：${UNIT_GRADE_LABELS[r.grade]} ${r.grade}，第 ${r.rank} 名 rank，${r.score} 分 score`,
    textTable(['姓名 name', '发放 eligible', '月数 months', '金额 amount', '理由 reason'],
      r.lines.map((l) => [l.name, l.eligible ? '是 yes' : '否 no', String(l.months), String(l.amount), l.reasonZh])),
    '',
    `发放 ${r.eligible}/${r.lines.length} 人，合计 ${r.total} 元 / ${r.eligible} of ${r.lines.length} eligible, total ${r.total} yuan`,
    `下一年度优秀等次名额 / next year's excellent quota: ${q.quota}（${q.staff} 人 × ${Number((q.share * 100).toPrecision(12))}%，向下取整 rounded down）`,
    ...(r.sanctions.length ? ['“差”等次单位的后果 / sanctions of a poor unit:', ...r.sanctions.map((s) => `  - ${s.zh} / ${s.en}`)] : []),
    ...(outPath ? [`已写入 / written: ${outPath}（报送：perfcycle submit ${r.cycleId} bonus-list --file ${outPath} --as 局办公室）`] : []),
  ].join('\n');
}

// The actions (their command lines: register/grading.ts).

export async function startGrading(opts: { year: string; cycles: string; external?: string; rules?: string; as?: string; operator?: boolean; json?: boolean }): Promise<void> {
  const cycles = opts.cycles.split(',').map((s) => s.trim()).filter(Boolean);
  const external = opts.external ? await readJson(opts.external, '--external') : [];
  const rules = opts.rules ? await readJson(opts.rules, '--rules') : undefined;
  const year = yearArg(opts.year);
  if (opts.operator && opts.as !== undefined) throw new UserError('--operator: 操作员模式不能以他人身份 / the operator acts as the operator: drop --as');
  const r = opts.operator
    ? await withClient((c) => c.startGrading({ year, cycles, external, rules, actor: operatorActor() }))
    : await asPerson(opts.as, (api) => api.json<GradingResult>('POST', '/api/gradings', { year, cycles, external, ...(rules !== undefined && { rules }) }));
  if (opts.json) return json(r);
  out(formatGradeTable(r.units));
  const missed = r.units.filter((u) => u.cycleId && !u.delivered);
  if (missed.length) out(`未能通知 / not delivered to: ${missed.map((u) => u.cycleId).join(', ')}`);
}

export async function gradingResult(year: string, opts: { json?: boolean }): Promise<void> {
  const r = await withClient((c) => c.gradingResult(yearArg(year)));
  if (opts.json) return json(r);
  out(r ? formatGradeTable(r.units) : '正在收集得分 / still collecting scores');
}

export async function bonus(id: string, opts: { roster: string; out?: string; json?: boolean }): Promise<void> {
  const { report, names } = await withClient(async (c) => {
    const input = await c.cycleInput(id);
    return { report: await bonusReport(c, id, opts.roster), names: new Map(input.departments.map((d) => [d.id, d.name])) };
  });
  if (opts.out) await writeBonusFile(opts.out, bonusRows(report, (d) => names.get(d) ?? d), `${report.unit.name} ${report.year}`);
  if (opts.json) return json(report);
  out(formatBonus(report, opts.out));
}
