// `perfcycle grade`: grades a JSON list of units offline with the same domain code the grading workflow uses,
// so a city office can check a result, or grade units outside the system, without a server.
// Errors are thrown as Error(user text): the main CLI prints them and exits 1; tests can catch them.
import { readFile } from 'node:fs/promises';
import { io } from './io.js';
import { textTable } from './table.js';
import { gradeLabel, gradeUnits, parseGradingRules, parseUnits, type GradedUnit } from '../../domain/grading.js';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`无法读取${what}文件 ${file} / cannot read ${what === '输入' ? 'input' : 'rules'} file ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw new Error(`${file} 不是有效的 JSON / ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

// The table already shows rank and score: keep the zh-CN reason without its first clause.
const tableReason = (reason: string) => (reason.split(' / ')[0] ?? '').split('；').slice(1).join('；');

export function formatGradeTable(rows: readonly GradedUnit[]): string {
  if (rows.length === 0) return '（没有参评单位）\n';
  const cells = rows.map((r) => [String(r.rank), r.unit, String(r.score), gradeLabel(r.grade), tableReason(r.reason)]);
  const counts = (['excellent', 'good', 'fair', 'poor'] as const).map((g) => `${gradeLabel(g)} ${rows.filter((r) => r.grade === g).length}`);
  return [textTable(['排名', '单位', '得分', '等次', '理由'], cells), '', `共 ${rows.length} 个参评单位：${counts.join('，')}`, ''].join('\n');
}

// The action; its command line is register/grade.ts, here too for test/client/grade-command.test.ts.
export { registerGradeCommand } from './register/grade.js';

export async function grade(opts: { input: string; json?: boolean; rules?: string }): Promise<void> {
  const units = parseUnits(await readJson(opts.input, '输入'));
  const rules = opts.rules ? parseGradingRules(await readJson(opts.rules, '规则')) : undefined;
  const graded = gradeUnits(units, rules);
  io().write(opts.json ? `${JSON.stringify(graded, null, 2)}\n` : formatGradeTable(graded));
}
