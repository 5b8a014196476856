// The cycle's score sheet: the review team's marks and the efficiency office's figures as entered
// (every entry kept, the latest counts), turned into computeScore's input. Pure, used inside the workflow.
import type { Text } from './deliverables.js';
import { computeScore, scoringSchemas, type ScoreBreakdown, type ScoreInput, type ScoringScheme } from './scoring.js';
import type { Target } from './targets.js';

/** The figures the efficiency office enters, each the input of computeScore named after it. */
export const FIGURES = {
  publicReview: { input: 'publicReviewScore', zh: '公众评议得分（统计局）', en: 'public review (statistics bureau)' },
  windowReview: { input: 'windowReviewScore', zh: '窗口公众评议得分', en: 'window public review' },
  approvalService: { input: 'approvalServiceScore', zh: '审批服务质量专项评价', en: 'approval-service quality evaluation' },
  partyBuilding: { input: 'partyBuildingScore', zh: '机关党的建设专项评价', en: 'Party-building evaluation' },
  incentive: { input: 'incentiveBonus', zh: '正向激励加分', en: 'incentive bonus' },
  inspection: { input: 'inspectionDeduction', zh: '察访核验扣分', en: 'inspection deduction' },
} as const;
export type FigureName = keyof typeof FIGURES;
export const FIGURE_NAMES = Object.keys(FIGURES) as FigureName[];
export const isFigureName = (f: string): f is FigureName => Object.hasOwn(FIGURES, f);
// Without an entry these count as 0: a unit with no bonus or deduction need not say so.
const ZERO_IF_ABSENT: readonly FigureName[] = ['incentive', 'inspection'];

export interface MarkEntry { targetId: string; mark: number; by: string; at: string; reason?: string; note?: string }
export interface FigureEntry { figure: FigureName; value: number | null; source: string; by: string; at: string; reason?: string }

/** Why a figure's value is not acceptable (computeScore's own rule for that input), or undefined. */
export function figureValueError(figure: FigureName, value: unknown): string | undefined {
  const key = FIGURES[figure].input;
  if (value === undefined) return 'value: 缺少数值 / a value is required';
  const r = scoringSchemas().scoreInputSchema.shape[key].safeParse(value);
  return r.success ? undefined : `value: ${FIGURES[figure].zh}数值无效 / invalid ${FIGURES[figure].en} (${String(value)}): ${r.error.issues.map((i) => i.message).join('; ')}`;
}

export function markError(target: Target, mark: unknown): string | undefined {
  if (typeof mark !== 'number' || !Number.isFinite(mark) || mark < 0 || mark > target.points) {
    return `mark: ${target.id} 的得分应在 0 到 ${target.points} 之间 / must be between 0 and ${target.points} (got ${String(mark)})`;
  }
  if (Math.abs(mark * 100 - Math.round(mark * 100)) > 1e-6) return 'mark: 最多两位小数 / at most 2 decimals';
  return undefined;
}

export const latest = <T>(entries: readonly T[], same: (e: T) => boolean): T | undefined => entries.filter(same).at(-1);

export type ScoreView =
  | { complete: true; breakdown: ScoreBreakdown; input: ScoreInput }
  | { complete: false; missing: Text[] };

export function scoreSheet(targets: readonly Target[], marks: readonly MarkEntry[], figures: readonly FigureEntry[], scheme: ScoringScheme): ScoreView {
  const missing: Text[] = [];
  if (!targets.length) missing.push({ zh: '尚未导入考评表', en: 'no target table imported' });
  const unmarked = targets.filter((t) => !latest(marks, (m) => m.targetId === t.id));
  if (unmarked.length) missing.push({ zh: `未打分的目标：${unmarked.map((t) => t.id).join('、')}`, en: `targets without a mark: ${unmarked.map((t) => t.id).join(', ')}` });
  const input: Record<string, unknown> = {
    targets: targets.map((t) => ({ targetId: t.id, category: t.category, points: t.points, mark: latest(marks, (m) => m.targetId === t.id)?.mark ?? 0 })),
  };
  for (const f of FIGURE_NAMES) {
    const e = latest(figures, (x) => x.figure === f);
    if (e) input[FIGURES[f].input] = e.value;
    else if (ZERO_IF_ABSENT.includes(f)) input[FIGURES[f].input] = 0;
    else missing.push({ zh: `未录入：${FIGURES[f].zh}`, en: `not entered: ${FIGURES[f].en}` });
  }
  if (missing.length) return { complete: false, missing };
  try {
    return { complete: true, breakdown: computeScore(input as ScoreInput, scheme), input: input as ScoreInput };
  } catch (err) {
    // Validated at entry, so only a scheme changed under a running cycle gets here: say so, do not fail the query.
    return { complete: false, missing: [{ zh: (err as Error).message, en: (err as Error).message }] };
  }
}
