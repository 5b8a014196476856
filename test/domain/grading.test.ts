import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GRADING_RULES, gradeUnits, gradingRulesSchema, quotaCount, VETOES,
  type Grade, type GradedUnit, type GradingRules, type UnitScore,
} from '../../domain/grading.js';

const ORDER: Record<Grade, number> = { excellent: 3, good: 2, fair: 1, poor: 0 };
const NEVER_EXCELLENT = VETOES.filter((v) => v.kind === 'never-excellent').map((v) => v.name as string);
const DIRECTLY_POOR = VETOES.filter((v) => v.kind === 'directly-poor').map((v) => v.name as string);
const byUnit = (out: GradedUnit[]) => new Map(out.map((g) => [g.unit, g]));
const count = (out: GradedUnit[], g: Grade) => out.filter((x) => x.grade === g).length;
const named = (scores: number[]): UnitScore[] => scores.map((score, i) => ({ unit: `U${String(i + 1).padStart(2, '0')}`, score, vetoes: [] }));

describe('gradeUnits examples', () => {
  it('grades 38 units with floored quotas: 11 excellent (11.4), 19 good', () => {
    const out = gradeUnits(named(Array.from({ length: 38 }, (_, i) => 99 - i))); // 99 … 62
    expect(count(out, 'excellent')).toBe(11); // 99 … 89
    expect(count(out, 'good')).toBe(9); // 88 … 80: all ≥ 80 left, within 19
    expect(count(out, 'fair')).toBe(10); // 79 … 70
    expect(count(out, 'poor')).toBe(8); // 69 … 62
    expect(out[0]).toMatchObject({ unit: 'U01', rank: 1, grade: 'excellent' });
    expect(out[0]!.reason).toContain('38 × 30% = 11.4，向下取整');
    expect(out[0]!.reason).toMatch(/^[^/]+ \/ rank 1, score 99; .*excellent$/);
    expect(out[11]).toMatchObject({ score: 88, grade: 'good' });
  });

  it('keeps tied units at the excellent boundary out of the grade (exclude-all), or takes all (include-all)', () => {
    // 10 clear excellents, then U11 and U12 tied at 88 for the 11th place
    const scores = [...Array.from({ length: 10 }, (_, i) => 99 - i), 88, 88, ...Array.from({ length: 26 }, () => 75)];
    const out = gradeUnits(named(scores));
    expect(count(out, 'excellent')).toBe(10);
    const u11 = byUnit(out).get('U11')!;
    expect(u11).toMatchObject({ grade: 'good', rank: 11 });
    expect(u11.reason).toContain('同分均不入选');
    expect(byUnit(out).get('U12')!.rank).toBe(11);
    expect(out[12]!.rank).toBe(13); // competition ranking 11, 11, 13

    const incl = gradeUnits(named(scores), { ...DEFAULT_GRADING_RULES, tieRule: 'include-all' });
    expect(count(incl, 'excellent')).toBe(12);
    expect(byUnit(incl).get('U12')!.reason).toContain('include-all');
  });

  it('applies ties at the good boundary too', () => {
    // 10 units: excellent quota 3, good quota 5. 3 excellent; good places 5 for 4 units at 84 + 2 at 82
    const out = gradeUnits(named([95, 94, 93, 84, 84, 84, 84, 82, 82, 60]));
    expect(out.map((g) => g.grade)).toEqual(['excellent', 'excellent', 'excellent', 'good', 'good', 'good', 'good', 'fair', 'fair', 'poor']);
  });

  it('never-excellent units take a good place; directly-poor units take none', () => {
    const units = named([95, 94, 93, 92, 91, 90, 89, 88, 87, 86]); // quotas: 3 excellent, 5 good
    units[0]!.vetoes = ['efficiency-accountability'];
    units[1]!.vetoes = ['mass-incident', 'public-criticism'];
    const out = byUnit(gradeUnits(units));
    expect(out.get('U01')).toMatchObject({ grade: 'good', rank: 1 });
    expect(out.get('U01')!.reason).toContain('不得评为优秀：单位被效能问责');
    expect(out.get('U02')).toMatchObject({ grade: 'poor' });
    expect(out.get('U02')!.reason).toContain('directly poor: unlawful action or inaction causing a mass incident');
    expect(['U03', 'U04', 'U05'].map((u) => out.get(u)!.grade)).toEqual(['excellent', 'excellent', 'excellent']);
    // good places: U01 (veto) + U06..U09; U10 finds the good quota filled
    expect(['U06', 'U07', 'U08', 'U09'].map((u) => out.get(u)!.grade)).toEqual(['good', 'good', 'good', 'good']);
    expect(out.get('U10')).toMatchObject({ grade: 'fair' });
    expect(out.get('U10')!.reason).toContain('良好名额 5 个');
  });

  it('can count excellent units in the good quota', () => {
    const rules: GradingRules = { ...DEFAULT_GRADING_RULES, goodQuotaIncludesExcellent: true };
    const out = gradeUnits(named([95, 94, 93, 92, 91, 90, 89, 88, 87, 86]), rules);
    expect([count(out, 'excellent'), count(out, 'good'), count(out, 'fair')]).toEqual([3, 2, 5]);
  });

  it('handles all under 70, an empty list, 85 exactly and small lists', () => {
    expect(gradeUnits(named([69.99, 50, 0])).map((g) => g.grade)).toEqual(['poor', 'poor', 'poor']);
    expect(gradeUnits([])).toEqual([]);
    // 10 units tied at 85 straddle both the 3 excellent and the 5 good places: exclude-all leaves them fair
    expect(gradeUnits(named(Array(10).fill(85))).map((g) => g.grade)).toEqual(Array(10).fill('fair'));
    expect(gradeUnits(named([85, 80]), { quotaRounding: 'ceil' }).map((g) => g.grade)).toEqual(['excellent', 'good']); // ≥ is inclusive
    expect(gradeUnits(named([99]))[0]!.grade).toBe('fair'); // 1 × 30% floors to 0, 1 × 50% floors to 0
    expect(gradeUnits(named([99]), { ...DEFAULT_GRADING_RULES, quotaRounding: 'ceil' })[0]!.grade).toBe('excellent');
  });

  it('rounds quotas as configured, without float noise', () => {
    expect([quotaCount(38, 0.3, 'floor'), quotaCount(38, 0.3, 'round'), quotaCount(38, 0.3, 'ceil')]).toEqual([11, 11, 12]);
    expect(quotaCount(10, 0.3, 'ceil')).toBe(3); // 10 × 0.3 = 3.0000000000000004 in binary
    expect(quotaCount(5, 0.5, 'round')).toBe(3);
  });

  it('rejects unknown vetoes, duplicates and bad rules, naming unit and field', () => {
    expect(() => gradeUnits([{ unit: '甲局', score: 90, vetoes: ['bribery'] }])).toThrow(/\[0\]\.vetoes\[0\]: unknown veto "bribery" for unit "甲局"/);
    expect(() => gradeUnits([...named([90]), ...named([80])])).toThrow(/\[1\]\.unit: duplicate unit "U01"/);
    expect(() => gradeUnits([{ unit: 'A', score: Number.NaN, vetoes: [] }])).toThrow(/\[0\]\.score: expected number/);
    expect(() => gradeUnits([], { thresholds: { excellent: 70, good: 80, fair: 60 } })).toThrow(/thresholds/);
    expect(() => gradeUnits([], { tieRule: 'coin-flip' } as never)).toThrow(/tieRule/);
    expect(gradingRulesSchema().parse({ quotas: { excellent: 0.2 } }).quotas).toEqual({ excellent: 0.2, good: 0.5 });
  });
});

const unitsArb = fc
  .array(
    fc.record({
      // few distinct values around the thresholds make ties and boundaries frequent
      score: fc.oneof(fc.constantFrom(60, 69.99, 70, 79.99, 80, 84.99, 85, 88, 90), fc.integer({ min: 5000, max: 10500 }).map((x) => x / 100)),
      vetoes: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 1, arbitrary: fc.subarray([...NEVER_EXCELLENT, ...DIRECTLY_POOR], { maxLength: 2 }) }),
    }),
    { maxLength: 45 },
  )
  .map((xs) => xs.map((x, i) => ({ unit: `U${i}`, ...x })));
const rulesArb = fc.record({
  quotaRounding: fc.constantFrom('floor', 'round', 'ceil'),
  goodQuotaIncludesExcellent: fc.boolean(),
}).map((r): GradingRules => ({ ...DEFAULT_GRADING_RULES, ...r }));

describe('gradeUnits properties', () => {
  it('never exceeds the quotas under the exclude-all tie rule', () => {
    fc.assert(fc.property(unitsArb, rulesArb, (units, rules) => {
      const out = gradeUnits(units, rules);
      const n = units.length;
      const ex = count(out, 'excellent');
      const gd = count(out, 'good');
      expect(ex).toBeLessThanOrEqual(quotaCount(n, 0.3, rules.quotaRounding));
      expect(gd + (rules.goodQuotaIncludesExcellent ? ex : 0)).toBeLessThanOrEqual(quotaCount(n, 0.5, rules.quotaRounding));
    }));
  });

  it('honours thresholds and vetoes', () => {
    fc.assert(fc.property(unitsArb, rulesArb, (units, rules) => {
      const out = byUnit(gradeUnits(units, rules));
      for (const u of units) {
        const g = out.get(u.unit)!.grade;
        if (g === 'excellent') expect(u.score).toBeGreaterThanOrEqual(85);
        if (g === 'good') expect(u.score).toBeGreaterThanOrEqual(80);
        if (g === 'fair') expect(u.score).toBeGreaterThanOrEqual(70);
        if (u.score < 70) expect(g).toBe('poor');
        if (u.vetoes.some((v) => NEVER_EXCELLENT.includes(v))) expect(g).not.toBe('excellent');
        if (u.vetoes.some((v) => DIRECTLY_POOR.includes(v))) expect(g).toBe('poor');
        if (u.vetoes.length === 0 && u.score >= 70 && u.score < 80) expect(g).toBe('fair');
      }
    }));
  });

  it('never gives a higher score a worse grade, nor equal scores different grades, without a veto', () => {
    fc.assert(fc.property(unitsArb, fc.constantFrom<GradingRules['tieRule']>('exclude-all', 'include-all'), (units, tieRule) => {
      const out = gradeUnits(units, { ...DEFAULT_GRADING_RULES, tieRule }).filter((g) => units.find((u) => u.unit === g.unit)!.vetoes.length === 0);
      for (const a of out) {
        for (const b of out) {
          if (a.score > b.score) expect(ORDER[a.grade]).toBeGreaterThanOrEqual(ORDER[b.grade]);
          if (a.score === b.score) expect(a.grade).toBe(b.grade);
        }
      }
    }));
  });

  it('ranks by competition ranking and ignores input order', () => {
    fc.assert(fc.property(unitsArb.chain((u) => fc.tuple(fc.constant(u), fc.shuffledSubarray(u, { minLength: u.length, maxLength: u.length }))), ([units, shuffled]) => {
      const out = gradeUnits(units);
      expect(gradeUnits(shuffled)).toEqual(out);
      for (const g of out) expect(g.rank).toBe(1 + units.filter((u) => u.score > g.score).length);
    }));
  });
});

describe('the default grading rules', () => {
  it('are what the schema gives empty rules', () => {
    expect(gradingRulesSchema().parse({})).toEqual(DEFAULT_GRADING_RULES);
  });
});
