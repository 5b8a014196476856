// The publication mail (公布结果) a unit gets once the city has graded it: zh-CN first, English below.
import type { Person } from './cycle-file.js';
import type { Sanction } from './bonus.js';
import { gradeLabel, type Grade } from './grading.js';
import type { ScoreBreakdown } from './scoring.js';

export interface ResultMail {
  unitName: string;
  cycleId: string;
  year: number;
  to: Person;
  grade: Grade;
  rank: number;
  units: number;
  score: number;
  reason: string;
  breakdown?: ScoreBreakdown;
  nextYearExcellentShare: number;
  sanctions: Sanction[];
}

const pct = (x: number) => `${Number((x * 100).toPrecision(12))}%`;

export function renderResult(m: ResultMail): { subject: string; text: string } {
  const [reasonZh, reasonEn] = [m.reason.split(' / ')[0] ?? m.reason, m.reason.split(' / ').slice(1).join(' / ') || m.reason];
  const b = m.breakdown;
  // weighted parts rather than the weights: the scheme is the cycle's, not necessarily 70/30
  const formulaZh = b && `目标考评 ${b.targetScore}（计 ${b.weightedTargetScore}）+ 公众评议 ${b.publicReviewScore}（计 ${b.weightedPublicReviewScore}）+ 正向激励 ${b.incentiveBonus} − 察访核验 ${b.inspectionDeduction} = ${b.finalScore}`;
  const formulaEn = b && `target ${b.targetScore} (weighted ${b.weightedTargetScore}) + public review ${b.publicReviewScore} (weighted ${b.weightedPublicReviewScore}) + incentive ${b.incentiveBonus} − inspection ${b.inspectionDeduction} = ${b.finalScore}`;
  const bonusCmd = `npx perfcycle bonus ${m.cycleId} --roster 花名册.xlsx --out 绩效奖名单.xlsx`;
  const zh = [
    `${m.to.name}，您好：`, '',
    `${m.unitName} ${m.year} 年度绩效评估结果已公布：`,
    `  综合得分：${m.score}`,
    `  排名：第 ${m.rank} 名（共 ${m.units} 个参评单位）`,
    `  等次：${gradeLabel(m.grade)}`,
    `  评定理由：${reasonZh}`,
    ...(formulaZh ? [`  得分构成：${formulaZh}`] : []),
    `下一年度本单位年度考核优秀等次比例：${pct(m.nextYearExcellentShare)}`,
    ...(m.sanctions.length ? ['评为“差”等次的后果：', ...m.sanctions.map((s) => `  - ${s.zh}`)] : []),
    m.grade === 'poor' ? '' : `绩效奖发放名单：${bonusCmd}`,
  ];
  const en = [
    `Dear ${m.to.name},`, '',
    `The ${m.year} performance evaluation of ${m.unitName} has been published:`,
    `  Final score: ${m.score}`,
    `  Rank: ${m.rank} of ${m.units} participating units`,
    `  Grade: ${m.grade}`,
    `  Reason: ${reasonEn}`,
    ...(formulaEn ? [`  Breakdown: ${formulaEn}`] : []),
    `Next year's share of staff that may be rated excellent: ${pct(m.nextYearExcellentShare)}`,
    ...(m.sanctions.length ? ['As a poor unit:', ...m.sanctions.map((s) => `  - ${s.en}`)] : []),
    m.grade === 'poor' ? '' : `Bonus list: ${bonusCmd.replace('花名册', 'roster').replace('绩效奖名单', 'bonus-list')}`,
  ];
  return {
    subject: `【绩效评估结果】${m.unitName} ${m.year} 年度：${gradeLabel(m.grade)}（第 ${m.rank}/${m.units} 名）/ ${m.grade}, rank ${m.rank} of ${m.units}`,
    text: [...zh, '', '—— English ——', ...en, '', '本邮件由 perfcycle 自动发送 / sent by perfcycle'].join('\n'),
  };
}
