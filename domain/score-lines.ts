// The score breakdown as labelled lines, in the order a reader checks the arithmetic; the CLI and the
// portal both print these, so a figure is named the same everywhere.
import type { Text } from './deliverables.js';
import type { ScoreBreakdown } from './scoring.js';

export interface ScoreLine { label: Text; value: number | null; sign?: '+' | '−' }

/** A weight or share as a percentage, without float noise (0.35 → 35%). */
export const pct = (x: number): string => `${Number((x * 100).toPrecision(12))}%`;

export function scoreLines(b: ScoreBreakdown): ScoreLine[] {
  return [
    { label: { zh: '职能工作目标得分', en: 'Functional targets (marks)' }, value: b.functionalScore },
    { label: { zh: '行政能力目标得分', en: 'Administrative capacity (marks)' }, value: b.administrativeScore },
    { label: { zh: `考评组评分（百分制）× ${pct(b.marksWeight)}`, en: `Marks score (0–100) × ${pct(b.marksWeight)}` }, value: b.marksScore },
    { label: { zh: `审批服务质量专项评价 × ${pct(b.approvalServiceWeight)}`, en: `Approval-service evaluation × ${pct(b.approvalServiceWeight)}` }, value: b.approvalServiceScore },
    { label: { zh: `机关党的建设专项评价 × ${pct(b.partyBuildingWeight)}`, en: `Party-building evaluation × ${pct(b.partyBuildingWeight)}` }, value: b.partyBuildingScore },
    { label: { zh: '目标考评得分', en: 'Target score' }, value: b.targetScore },
    { label: { zh: `统计局公众评议 × ${pct(b.statisticsReviewWeight)}`, en: `Statistics-bureau public review × ${pct(b.statisticsReviewWeight)}` }, value: b.statisticsReviewScore },
    { label: { zh: `窗口公众评议 × ${pct(b.windowReviewWeight)}`, en: `Window public review × ${pct(b.windowReviewWeight)}` }, value: b.windowReviewScore },
    { label: { zh: '公众评议得分', en: 'Public review score' }, value: b.publicReviewScore },
    { label: { zh: '目标考评（加权）', en: 'Target score, weighted' }, value: b.weightedTargetScore },
    { label: { zh: '公众评议（加权）', en: 'Public review, weighted' }, value: b.weightedPublicReviewScore },
    { label: { zh: '小计', en: 'Subtotal' }, value: b.subtotal },
    { label: { zh: '正向激励加分', en: 'Incentive bonus' }, value: b.incentiveBonus, sign: '+' },
    { label: { zh: '察访核验扣分', en: 'Inspection deduction' }, value: b.inspectionDeduction, sign: '−' },
    { label: { zh: '综合得分', en: 'Final score' }, value: b.finalScore },
  ];
}
