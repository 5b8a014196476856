// The phases of the source document, in order. A phase ends when its deliverables are accepted
// (or, for the review, when the window closes) — never silently at a calendar date.
export const PHASES = ['plan', 'summary', 'review', 'scoring', 'publication', 'rectification', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Record<Phase, { zh: string; en: string }> = {
  plan: { zh: '制订方案', en: 'Work plan' },
  summary: { zh: '分析总结', en: 'Analysis and summary' },
  review: { zh: '综合考评', en: 'Comprehensive review' },
  scoring: { zh: '计分评定', en: 'Scoring' },
  publication: { zh: '公布结果', en: 'Publication' },
  rectification: { zh: '总结完善', en: 'Rectification' },
  closed: { zh: '已结束', en: 'Closed' },
};
