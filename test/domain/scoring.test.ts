import { describe, expect, it } from 'vitest';
import { computeScore, DEFAULT_SCHEME, round2, scoringSchemas, type ScoreInput } from '../../domain/scoring.js';

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

describe('computeScore, worked by hand', () => {
  it('applies the default scheme (70/30, 5% + 5% specials, 10% window review)', () => {
    // marks      = (52 + 28) / (65 + 35) × 100                 = 80
    // target     = 80 × 0.90 + 90 × 0.05 + 95 × 0.05 = 72 + 4.5 + 4.75 = 81.25
    // public     = 88 × 0.90 + 92 × 0.10 = 79.2 + 9.2           = 88.4
    // weighted   = 81.25 × 0.7 + 88.4 × 0.3 = 56.875 + 26.52    = 83.395
    // final      = 83.395 + 1.5 − 0.8                            = 84.095 → 84.10 (half away from zero)
    const s = computeScore(base);
    expect(s).toMatchObject({
      marksScore: 80,
      marksWeight: 0.9,
      targetScore: 81.25,
      publicReviewScore: 88.4,
      weightedTargetScore: 56.88, // 56.875 rounded for display only
      weightedPublicReviewScore: 26.52,
      subtotal: 83.4, // 83.395
      finalScore: 84.1,
    });
  });

  it('sums target marks by category and rounds only at the end', () => {
    // functional: key 30/35 + routine 18.5/20 + dynamic 9/10 = 57.5 of 65
    // administrative: 6.5 + 7 + 6 + 7 + 5.5 = 32 of 35 (7 points each)
    // marks  = 57.5 + 32 = 89.5
    // target = 89.5 × 0.9 + 100 × 0.05 + 88 × 0.05 = 80.55 + 5 + 4.4 = 89.95
    // public = 86.67 × 0.9 + 100 × 0.1 = 78.003 + 10 = 88.003 → 88.00
    // final  = 89.95 × 0.7 + 88.003 × 0.3 = 62.965 + 26.4009 = 89.3659 → + 0 − 2 = 87.3659 → 87.37
    const s = computeScore({
      targets: [
        { targetId: 'K1', category: 'key', points: 35, mark: 30 },
        { targetId: 'R1', category: 'routine', points: 20, mark: 18.5 },
        { targetId: 'D1', category: 'dynamic', points: 10, mark: 9 },
        { targetId: 'A1', category: 'scientific', points: 7, mark: 6.5 },
        { targetId: 'A2', category: 'lawful', points: 7, mark: 7 },
        { targetId: 'A3', category: 'efficient', points: 7, mark: 6 },
        { targetId: 'A4', category: 'clean', points: 7, mark: 7 },
        { targetId: 'A5', category: 'innovation', points: 7, mark: 5.5 },
      ],
      publicReviewScore: 86.67,
      windowReviewScore: 100,
      approvalServiceScore: 100,
      partyBuildingScore: 88,
      inspectionDeduction: 2,
    });
    expect(s.functionalScore).toBe(57.5);
    expect(s.administrativeScore).toBe(32);
    expect(s.targetScore).toBe(89.95);
    expect(s.publicReviewScore).toBe(88);
    expect(s.finalScore).toBe(87.37);
    expect(s.incentiveBonus).toBe(0);
  });

  it('gives the share of a figure that does not apply back to the marks or the statistics bureau', () => {
    // no approval window: target = 80 × 0.95 + 95 × 0.05 = 76 + 4.75 = 80.75
    // no window review:   public = 88
    // final = 80.75 × 0.7 + 88 × 0.3 = 56.525 + 26.4 = 82.925 → 82.93
    const s = computeScore({ ...base, approvalServiceScore: null, windowReviewScore: null, incentiveBonus: 0, inspectionDeduction: 0 });
    expect(s).toMatchObject({ marksWeight: 0.95, approvalServiceWeight: 0, targetScore: 80.75, statisticsReviewWeight: 1, publicReviewScore: 88, finalScore: 82.93 });
  });

  it('uses a custom scheme', () => {
    // 60/40, no special evaluations: target = 80, public = 88 × 0.9 + 92 × 0.1 = 88.4
    // final = 80 × 0.6 + 88.4 × 0.4 = 48 + 35.36 = 83.36 → + 1.5 − 0.8 = 84.06
    const scheme = scoringSchemas().scoringSchemeSchema.parse({ targetWeight: 0.6, publicReviewWeight: 0.4, approvalServiceShare: 0, partyBuildingShare: 0 });
    expect(computeScore(base, scheme).finalScore).toBe(84.06);
    expect(DEFAULT_SCHEME).toMatchObject({ targetWeight: 0.7, publicReviewWeight: 0.3, functionalPoints: 65, administrativePoints: 35 });
  });

  it('lets bonus and deduction move the final past 100 or down', () => {
    // 100 × 0.7 + 100 × 0.3 + 3 = 103
    const full = { ...base, functionalScore: 65, administrativeScore: 35, publicReviewScore: 100, windowReviewScore: 100, approvalServiceScore: 100, partyBuildingScore: 100, incentiveBonus: 3, inspectionDeduction: 0 };
    expect(computeScore(full).finalScore).toBe(103);
  });
});

const without = (...keys: (keyof ScoreInput)[]) => Object.fromEntries(Object.entries(base).filter(([k]) => !(keys as string[]).includes(k)));

describe('computeScore validation names the field', () => {
  const err = (input: unknown, scheme = DEFAULT_SCHEME) => {
    try {
      computeScore(input as ScoreInput, scheme);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };
  it('rejects out-of-range and missing figures', () => {
    expect(err({ ...base, publicReviewScore: 120 })).toMatch(/^publicReviewScore: /m);
    expect(err({ ...base, incentiveBonus: -1 })).toMatch(/^incentiveBonus: /m);
    expect(err(without('windowReviewScore'))).toMatch(/^windowReviewScore: required \(null if not applicable/m);
    expect(err({ ...base, functionalScore: 70 })).toMatch(/^functionalScore: 70 exceeds 65/m);
    expect(err({ ...base, functionalScore: undefined })).toMatch(/^functionalScore: required/m);
  });
  it('checks target marks against their points and the scheme', () => {
    const rest = without('functionalScore', 'administrativeScore');
    const msg = err({
      ...rest,
      targets: [
        { targetId: 'K1', category: 'key', points: 60, mark: 61 },
        { targetId: 'K1', category: 'clean', points: 35, mark: 30 },
        { targetId: 'X', category: 'bogus', points: 5, mark: 1 },
      ],
    });
    expect(msg).toMatch(/^targets\[2\]\.category: /m);
    const msg2 = err({ ...rest, targets: [{ targetId: 'K1', category: 'key', points: 60, mark: 61 }, { targetId: 'K1', category: 'clean', points: 35, mark: 30 }] });
    expect(msg2).toMatch(/^targets\[0\]\.mark: 61 exceeds/m);
    expect(msg2).toMatch(/^targets\[1\]\.targetId: duplicate/m);
    expect(msg2).toMatch(/^targets: functional points add up to 60, the scheme requires 65/m);
    expect(err({ ...base, targets: [] })).toMatch(/not both/);
  });
  it('rejects an inconsistent scheme', () => {
    expect(err(base, { ...DEFAULT_SCHEME, targetWeight: 0.8 })).toMatch(/^scheme\.publicReviewWeight: /m);
  });
});

describe('round2', () => {
  it('rounds half away from zero despite binary noise', () => {
    expect(round2(1.005)).toBe(1.01); // 1.005 × 100 = 100.49999999999999 in binary
    expect(round2(-1.005)).toBe(-1.01);
    expect(round2(83.395 + 1.5 - 0.8)).toBe(84.1);
    expect(round2(84.094)).toBe(84.09);
    expect(round2(-0.001)).toBe(0);
  });
});

describe('the default scheme', () => {
  // The defaults are written once, as data the schema reads; the constant is not parsed at import (domain/lazy.ts).
  it('is what the schema gives an empty scheme', () => {
    expect(scoringSchemas().scoringSchemeSchema.parse({})).toEqual(DEFAULT_SCHEME);
  });
});
