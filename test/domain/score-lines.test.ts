import { describe, expect, it } from 'vitest';
import { computeScore, type ScoreInput } from '../../domain/scoring.js';
import { pct, scoreLines } from '../../domain/score-lines.js';

const base: ScoreInput = {
  functionalScore: 52,
  administrativeScore: 28,
  publicReviewScore: 88,
  windowReviewScore: 92,
  approvalServiceScore: 90,
  partyBuildingScore: 95,
  incentiveBonus: 1.5,
  inspectionDeduction: 0.8,
};

describe('the score breakdown as lines', () => {
  it('runs from the marks to the final score, with the weights in the labels and signs on bonus and deduction', () => {
    const b = computeScore(base);
    const lines = scoreLines(b);
    expect(lines[0]?.value).toBe(b.functionalScore);
    expect(lines.at(-1)).toEqual({ label: { zh: '综合得分', en: 'Final score' }, value: b.finalScore });
    expect(lines.find((l) => l.sign === '−')?.value).toBe(b.inspectionDeduction);
    expect(lines.some((l) => l.label.zh.includes(`× ${pct(b.statisticsReviewWeight)}`))).toBe(true);
  });

  it('shows weights without float noise', () => {
    expect(pct(0.35)).toBe('35%');
    expect(pct(0.05 * 0.9)).toBe('4.5%');
  });
});
