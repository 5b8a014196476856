// The unit's comprehensive score (综合考评), as a pure function of the figures the cycle collects.
//
// How the special evaluations and the window review enter the formula: the source document says the
// approval-service quality score "占目标考评得分的5%" and the window public review "占公众评议得分的10%".
// We read "占…的 x%" as a share of a weighted average, not as bonus points, because the target score is
// defined as worth 100 points (该项分值100分) and points on top would break that ceiling. So, on 0..100 scales:
//   target score        = marks score × (1 − 5% − 5%) + approval-service × 5% + Party building × 5%
//   public review score = statistics-bureau score × (1 − 10%) + window review × 10%
//   final               = target × 70% + public review × 30% + incentive bonus − inspection deduction
// The marks score is the review team's marks scaled to 100 (identity with the default 65 + 35 points).
// Only some units have an approval window or take part in a special evaluation: such a figure is given as
// `null` (never omitted, so a forgotten figure is an error, not a silent change of formula) and its share
// falls back to the marks (resp. the statistics-bureau score); the effective weights are returned.
//
// Rounding: all arithmetic uses unrounded figures; each returned figure is rounded once, to 2 decimals,
// half away from zero. Hence the rounded parts may differ from the rounded final by 0.01 — the final is
// what the grading uses, and rounding the parts first would compound the error.
import { z } from 'zod';
import { lazy } from './lazy.js';

export const FUNCTIONAL_CATEGORIES = ['key', 'routine', 'dynamic'] as const;
export const ADMINISTRATIVE_CATEGORIES = ['scientific', 'lawful', 'efficient', 'clean', 'innovation'] as const;
export type TargetCategory = (typeof FUNCTIONAL_CATEGORIES)[number] | (typeof ADMINISTRATIVE_CATEGORIES)[number];

const SCHEME_DEFAULTS = {
  targetWeight: 0.7,
  publicReviewWeight: 0.3,
  functionalPoints: 65,
  administrativePoints: 35,
  approvalServiceShare: 0.05,
  partyBuildingShare: 0.05,
  windowReviewShare: 0.1,
} as const;

export const scoringSchemas = lazy(() => {
  const share = z.number().min(0).max(1);
  const scoringSchemeSchema = z
    .object({
      targetWeight: share.default(SCHEME_DEFAULTS.targetWeight),
      publicReviewWeight: share.default(SCHEME_DEFAULTS.publicReviewWeight),
      functionalPoints: z.number().positive().default(SCHEME_DEFAULTS.functionalPoints),
      administrativePoints: z.number().positive().default(SCHEME_DEFAULTS.administrativePoints),
      approvalServiceShare: share.default(SCHEME_DEFAULTS.approvalServiceShare),
      partyBuildingShare: share.default(SCHEME_DEFAULTS.partyBuildingShare),
      windowReviewShare: share.default(SCHEME_DEFAULTS.windowReviewShare),
    })
    .refine((s) => Math.abs(s.targetWeight + s.publicReviewWeight - 1) < 1e-9, {
      path: ['publicReviewWeight'],
      message: 'targetWeight + publicReviewWeight must be 1',
    })
    .refine((s) => s.approvalServiceShare + s.partyBuildingShare <= 1, {
      path: ['partyBuildingShare'],
      message: 'approvalServiceShare + partyBuildingShare must not exceed 1',
    });

  const categorySchema = z.enum([...FUNCTIONAL_CATEGORIES, ...ADMINISTRATIVE_CATEGORIES]);
  const score100 = z.number().min(0).max(100);
  // Nullable figures must still be present: null states "not applicable", a missing key is a mistake.
  const optional100 = z
    .number({ error: (iss) => (iss.input === undefined ? 'required (null if not applicable to this unit)' : undefined) })
    .min(0)
    .max(100)
    .nullable();
  const targetMarkSchema = z.object({
    targetId: z.string().min(1),
    category: categorySchema,
    points: z.number().positive(),
    mark: z.number().min(0),
  });
  const scoreInputSchema = z.object({
    targets: z.array(targetMarkSchema).optional(),
    functionalScore: z.number().min(0).optional(),
    administrativeScore: z.number().min(0).optional(),
    publicReviewScore: score100,
    windowReviewScore: optional100,
    approvalServiceScore: optional100,
    partyBuildingScore: optional100,
    incentiveBonus: z.number().min(0).default(0),
    inspectionDeduction: z.number().min(0).default(0),
  });
  return { scoringSchemeSchema, scoreInputSchema };
});
type Schemas = ReturnType<typeof scoringSchemas>;

export type ScoringScheme = z.output<Schemas['scoringSchemeSchema']>;
/** The schema's defaults (test/domain/scoring.test.ts holds the two together). */
export const DEFAULT_SCHEME: ScoringScheme = Object.freeze({ ...SCHEME_DEFAULTS });
export type TargetMark = NonNullable<z.infer<Schemas['scoreInputSchema']>['targets']>[number];
export type ScoreInput = z.input<Schemas['scoreInputSchema']>;

export interface ScoreBreakdown {
  functionalScore: number;
  administrativeScore: number;
  /** review-team marks scaled to 0..100 */
  marksScore: number;
  marksWeight: number;
  approvalServiceScore: number | null;
  approvalServiceWeight: number;
  partyBuildingScore: number | null;
  partyBuildingWeight: number;
  targetScore: number;
  statisticsReviewScore: number;
  statisticsReviewWeight: number;
  windowReviewScore: number | null;
  windowReviewWeight: number;
  publicReviewScore: number;
  weightedTargetScore: number;
  weightedPublicReviewScore: number;
  subtotal: number;
  incentiveBonus: number;
  inspectionDeduction: number;
  finalScore: number;
}

/** Half away from zero at 2 decimals; toPrecision strips binary noise such as 84.0949999… for 84.095. */
export function round2(x: number): number {
  const scaled = Number((Math.abs(x) * 100).toPrecision(12));
  const r = (Math.sign(x) * Math.round(scaled)) / 100;
  return r === 0 ? 0 : r;
}

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(input)';
}

function fail(lines: string[]): never {
  throw new Error(`评分数据无效 / invalid scoring input:\n${lines.join('\n')}`);
}

function markSums(input: z.output<Schemas['scoreInputSchema']>, scheme: ScoringScheme): [number, number] {
  const errors: string[] = [];
  const eq = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  let f: number;
  let a: number;
  if (input.targets) {
    if (input.functionalScore !== undefined || input.administrativeScore !== undefined) {
      fail(['targets: give either targets or functionalScore/administrativeScore, not both']);
    }
    const seen = new Set<string>();
    f = 0;
    a = 0;
    let fp = 0;
    let ap = 0;
    input.targets.forEach((t, i) => {
      if (seen.has(t.targetId)) errors.push(`targets[${i}].targetId: duplicate target "${t.targetId}"`);
      seen.add(t.targetId);
      if (t.mark > t.points) errors.push(`targets[${i}].mark: ${t.mark} exceeds the target's ${t.points} points`);
      if ((FUNCTIONAL_CATEGORIES as readonly string[]).includes(t.category)) {
        f += t.mark;
        fp += t.points;
      } else {
        a += t.mark;
        ap += t.points;
      }
    });
    // Marks are only comparable across units if every unit is marked out of the scheme's points.
    if (!eq(fp, scheme.functionalPoints)) {
      errors.push(`targets: functional points add up to ${fp}, the scheme requires ${scheme.functionalPoints}`);
    }
    if (!eq(ap, scheme.administrativePoints)) {
      errors.push(`targets: administrative points add up to ${ap}, the scheme requires ${scheme.administrativePoints}`);
    }
  } else {
    if (input.functionalScore === undefined) errors.push('functionalScore: required when targets are not given');
    if (input.administrativeScore === undefined) errors.push('administrativeScore: required when targets are not given');
    f = input.functionalScore ?? 0;
    a = input.administrativeScore ?? 0;
    if (f > scheme.functionalPoints) errors.push(`functionalScore: ${f} exceeds ${scheme.functionalPoints}`);
    if (a > scheme.administrativePoints) errors.push(`administrativeScore: ${a} exceeds ${scheme.administrativePoints}`);
  }
  if (errors.length) fail(errors);
  return [f, a];
}

export function computeScore(input: ScoreInput, scheme: ScoringScheme = DEFAULT_SCHEME): ScoreBreakdown {
  const { scoringSchemeSchema, scoreInputSchema } = scoringSchemas();
  const sch = scoringSchemeSchema.safeParse(scheme);
  if (!sch.success) fail(sch.error.issues.map((i) => `scheme.${issuePath(i.path)}: ${i.message}`));
  const parsed = scoreInputSchema.safeParse(input);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${issuePath(i.path)}: ${i.message}`));
  const s = sch.data;
  const inp = parsed.data;
  const [functionalScore, administrativeScore] = markSums(inp, s);

  const marksScore = ((functionalScore + administrativeScore) / (s.functionalPoints + s.administrativePoints)) * 100;
  const approvalServiceWeight = inp.approvalServiceScore === null ? 0 : s.approvalServiceShare;
  const partyBuildingWeight = inp.partyBuildingScore === null ? 0 : s.partyBuildingShare;
  const marksWeight = 1 - approvalServiceWeight - partyBuildingWeight;
  const targetScore =
    marksScore * marksWeight +
    (inp.approvalServiceScore ?? 0) * approvalServiceWeight +
    (inp.partyBuildingScore ?? 0) * partyBuildingWeight;

  const windowReviewWeight = inp.windowReviewScore === null ? 0 : s.windowReviewShare;
  const statisticsReviewWeight = 1 - windowReviewWeight;
  const publicReviewScore =
    inp.publicReviewScore * statisticsReviewWeight + (inp.windowReviewScore ?? 0) * windowReviewWeight;

  const weightedTargetScore = targetScore * s.targetWeight;
  const weightedPublicReviewScore = publicReviewScore * s.publicReviewWeight;
  const subtotal = weightedTargetScore + weightedPublicReviewScore;
  const finalScore = subtotal + inp.incentiveBonus - inp.inspectionDeduction;

  const r = (x: number | null) => (x === null ? null : round2(x));
  // Weights are shares, not scores: strip float noise (0.8999999…) without rounding them to 2 decimals.
  const w = (x: number) => Number(x.toPrecision(12));
  return {
    functionalScore: round2(functionalScore),
    administrativeScore: round2(administrativeScore),
    marksScore: round2(marksScore),
    marksWeight: w(marksWeight),
    approvalServiceScore: r(inp.approvalServiceScore),
    approvalServiceWeight,
    partyBuildingScore: r(inp.partyBuildingScore),
    partyBuildingWeight,
    targetScore: round2(targetScore),
    statisticsReviewScore: round2(inp.publicReviewScore),
    statisticsReviewWeight: w(statisticsReviewWeight),
    windowReviewScore: r(inp.windowReviewScore),
    windowReviewWeight,
    publicReviewScore: round2(publicReviewScore),
    weightedTargetScore: round2(weightedTargetScore),
    weightedPublicReviewScore: round2(weightedPublicReviewScore),
    subtotal: round2(subtotal),
    incentiveBonus: round2(inp.incentiveBonus),
    inspectionDeduction: round2(inp.inspectionDeduction),
    finalScore: round2(finalScore),
  };
}
