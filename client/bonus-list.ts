// Using the results (评估结果运用) for one unit: the bonus list from its staff roster and its grade from the
// cycle, the next-year excellent quota and, for a poor unit, its sanctions. Rules are domain/bonus.ts's.
import { extname } from 'node:path';
import { readTable, TableFileError, writeCsv, writeXlsx, type Row } from '../activities/tables.js';
import { bonusList, nextYearExcellentQuota, poorUnitSanctions, UNIT_GRADE_LABELS, type BonusLine, type Sanction, type UnitGrade } from '../domain/bonus.js';
import { settingsOf } from '../domain/cycle.js';
import { APPRAISAL_GRADES, validateRoster } from '../domain/roster.js';
import { formatRowErrors } from '../domain/target-ledger.js';
import type { CycleClient } from './cycle-client.js';
import { UserError } from './errors.js';

export interface BonusReport {
  cycleId: string;
  unit: { id: string; name: string };
  year: number;
  grade: UnitGrade;
  rank: number;
  score: number;
  lines: BonusLine[];
  eligible: number;
  total: number;
  /** Next year's cap on staff rated excellent, over the staff still in post at the end of the year. */
  nextYearExcellent: { share: number; quota: number; staff: number };
  sanctions: Sanction[];
}

export async function readRows(path: string): Promise<Row[]> {
  try {
    return await readTable(path);
  } catch (err) {
    if (err instanceof TableFileError) throw new UserError(err.message);
    throw err;
  }
}

export async function bonusReport(cycles: CycleClient, cycleId: string, rosterPath: string): Promise<BonusReport> {
  const [input, status] = await Promise.all([cycles.cycleInput(cycleId), cycles.status(cycleId)]);
  const g = status.grade;
  if (!g) throw new UserError(`${cycleId} 尚未评定等次 / has not been graded yet (perfcycle grading start …)`, 'conflict');
  const { bonus } = settingsOf(input);
  if (!bonus) throw new UserError(`${cycleId}: 周期文件未设置绩效奖基数和系数 / the cycle file sets no bonus (bonus.baseAmount, bonus.coefficients)`, 'conflict');
  const roster = validateRoster(await readRows(rosterPath), { departments: input.departments });
  if (!roster.ok) throw new UserError(`花名册有误 / the roster is invalid (${rosterPath}):\n${formatRowErrors(roster.errors)}`);
  const lines = bonusList(roster.staff, { unitGrade: g.grade, year: input.year, coefficients: bonus.coefficients, baseAmount: bonus.baseAmount });
  const inPost = roster.staff.filter((s) => s.left === undefined && s.transferred === undefined).length;
  return {
    cycleId, unit: input.unit, year: input.year, grade: g.grade, rank: g.rank, score: g.score, lines,
    eligible: lines.filter((l) => l.eligible).length,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
    nextYearExcellent: { ...nextYearExcellentQuota(g.grade, inPost, bonus.defaultExcellentShare), staff: inPost },
    sanctions: g.grade === 'poor' ? poorUnitSanctions() : [],
  };
}

/** The list as finance reads it: zh-CN headers with English, department names rather than ids. */
export function bonusRows(r: BonusReport, departmentName: (id: string) => string = (id) => id): Row[] {
  return r.lines.map((l) => ({
    '姓名 name': l.name,
    '科室 department': departmentName(l.department),
    '年度考核等次 appraisal': `${APPRAISAL_GRADES[l.grade]} ${l.grade}`,
    '是否发放 eligible': l.eligible ? '是 yes' : '否 no',
    '在岗月数 months': l.months,
    '折算比例 factor': Number(l.factor.toFixed(4)),
    [`单位等次系数 coefficient (${UNIT_GRADE_LABELS[r.grade]})`]: l.coefficient,
    '金额（元）amount (yuan)': l.amount,
    '理由 reason': `${l.reasonZh} / ${l.reasonEn}`,
  }));
}

export async function writeBonusFile(path: string, rows: Row[], sheet: string): Promise<void> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') await writeXlsx(path, rows, sheet);
  else if (ext === '.csv') await writeCsv(path, rows);
  else throw new UserError(`--out: 应为 .xlsx 或 .csv 文件 / expected a .xlsx or .csv file (got "${path}")`);
}
