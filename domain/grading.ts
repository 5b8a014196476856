// Grading across all participating units (评估等次), per 四(一) of the source document:
// "得分85分以上的单位按照参评单位总数的30%比例评为优秀单位；得分80分以上但未进入优秀行列的，按照参评单位
// 总数的50%比例评为良好单位；其余得分70分以上未进入良好行列的为一般，得分低于70分的为差。"
//
// Readings taken (each configurable through the rules, defaults below):
// - "85分以上" includes 85: in Chinese legal usage 以上 includes the number itself; "低于70分" excludes 70.
// - Both quotas are "参评单位总数的 x%", of all participating units, so units with a veto still count.
//   The good quota is a count of good units on its own (the sentence sizes the group "未进入优秀行列的"),
//   so excellent units do not use it up: goodQuotaIncludesExcellent = false.
// - The quota is a maximum: 30% of 38 = 11.4 is floored to 11 by default, never rounded up.
// - Ties at a quota boundary: if the tied units would straddle the quota, none of them gets the higher
//   grade ('exclude-all'), so the quota is never exceeded; lower scores never fill the freed places, or a
//   lower score would get a better grade than a higher one.
// - A never-excellent unit does not use an excellent place (it cannot be excellent at all); it competes
//   for good by its score like any other unit and, if good, uses a good place, or the good group would
//   exceed 50%. Directly-poor units are poor whatever their score and use no place.
import { z } from 'zod';
import { lazy } from './lazy.js';

export const VETOES = [
  { name: 'leader-disciplined', kind: 'never-excellent', zh: '主要领导当年度受党纪政务重处分或被追究刑事责任', en: 'principal leader heavily disciplined or prosecuted this year' },
  { name: 'efficiency-accountability', kind: 'never-excellent', zh: '单位被效能问责', en: 'unit held to account for efficiency' },
  { name: 'public-criticism', kind: 'never-excellent', zh: '工作落实不力被专题通报批评或被市委、市政府严肃追责', en: 'poor implementation led to a public criticism or accountability by the city' },
  { name: 'major-accident', kind: 'directly-poor', zh: '发生重大环境污染事件或重大以上安全生产（含食品安全）责任事故', en: 'major pollution or safety (incl. food safety) accident with grave consequences' },
  { name: 'mass-incident', kind: 'directly-poor', zh: '不依法办事或不作为、乱作为引发群体性事件', en: 'unlawful action or inaction causing a mass incident' },
  { name: 'one-vote-veto', kind: 'directly-poor', zh: '社会治安综合治理或党风廉政建设被“一票否决”', en: 'one-vote veto on public order or Party conduct' },
  { name: 'evaluation-fraud', kind: 'directly-poor', zh: '在绩效评估工作中弄虚作假', en: 'fraud in the evaluation itself' },
] as const;
export type VetoName = (typeof VETOES)[number]['name'];
const VETO_BY_NAME = new Map<string, (typeof VETOES)[number]>(VETOES.map((v) => [v.name, v]));

export const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
export type Grade = (typeof GRADES)[number];
const GRADE_ZH: Record<Grade, string> = { excellent: '优秀', good: '良好', fair: '一般', poor: '差' };
export const gradeLabel = (g: Grade): string => GRADE_ZH[g];

const RULE_DEFAULTS = {
  thresholds: { excellent: 85, good: 80, fair: 70 },
  quotas: { excellent: 0.3, good: 0.5 },
  quotaRounding: 'floor',
  goodQuotaIncludesExcellent: false,
  tieRule: 'exclude-all',
} as const;

const schemas = lazy(() => {
  const share = z.number().min(0).max(1);
  const { thresholds: t, quotas: q } = RULE_DEFAULTS;
  const gradingRulesSchema = z.strictObject({
    thresholds: z
      .strictObject({ excellent: z.number().default(t.excellent), good: z.number().default(t.good), fair: z.number().default(t.fair) })
      .refine((x) => x.excellent >= x.good && x.good >= x.fair, { message: 'thresholds must satisfy excellent ≥ good ≥ fair' })
      .prefault({}),
    quotas: z.strictObject({ excellent: share.default(q.excellent), good: share.default(q.good) }).prefault({}),
    quotaRounding: z.enum(['floor', 'round', 'ceil']).default(RULE_DEFAULTS.quotaRounding),
    goodQuotaIncludesExcellent: z.boolean().default(RULE_DEFAULTS.goodQuotaIncludesExcellent),
    tieRule: z.enum(['exclude-all', 'include-all']).default(RULE_DEFAULTS.tieRule),
  });
  const unitsSchema = z.array(
    z.object({ unit: z.string().trim().min(1), score: z.number(), vetoes: z.array(z.string()).default([]) }),
  );
  return { gradingRulesSchema, unitsSchema };
});
export const gradingRulesSchema = () => schemas().gradingRulesSchema;
type RulesSchema = ReturnType<typeof gradingRulesSchema>;
export type GradingRules = z.output<RulesSchema>;
export type GradingRulesInput = z.input<RulesSchema>;
/** The schema's defaults (test/domain/grading.test.ts holds the two together). */
export const DEFAULT_GRADING_RULES: GradingRules = Object.freeze({
  ...RULE_DEFAULTS, thresholds: { ...RULE_DEFAULTS.thresholds }, quotas: { ...RULE_DEFAULTS.quotas },
});

export interface UnitScore { unit: string; score: number; vetoes: readonly string[] }
export interface GradedUnit { unit: string; score: number; rank: number; grade: Grade; reason: string }

function issueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((i) => {
    const path = i.path.map((p, k) => (typeof p === 'number' ? `[${p}]` : `${k ? '.' : ''}${String(p)}`)).join('');
    return `${path || '(input)'}: ${i.message.replace(/^Invalid input: /, '')}`;
  });
}

/** Validates units from any source; every error names the index and field, e.g. `[3].score: expected number…`. */
export function parseUnits(input: unknown): UnitScore[] {
  const parsed = schemas().unitsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`单位数据无效 / invalid units:\n${issueLines(parsed.error.issues).join('\n')}`);
  const errors: string[] = [];
  const firstIndex = new Map<string, number>();
  parsed.data.forEach((u, i) => {
    const prev = firstIndex.get(u.unit);
    if (prev !== undefined) errors.push(`[${i}].unit: duplicate unit "${u.unit}" (also at [${prev}])`);
    else firstIndex.set(u.unit, i);
    u.vetoes.forEach((v, k) => {
      if (!VETO_BY_NAME.has(v)) {
        errors.push(`[${i}].vetoes[${k}]: unknown veto "${v}" for unit "${u.unit}" (known: ${VETOES.map((x) => x.name).join(', ')})`);
      }
    });
  });
  if (errors.length) throw new Error(`单位数据无效 / invalid units:\n${errors.join('\n')}`);
  return parsed.data.map((u) => ({ ...u, vetoes: [...new Set(u.vetoes)] }));
}

export function parseGradingRules(input: unknown): GradingRules {
  const parsed = schemas().gradingRulesSchema.safeParse(input);
  if (!parsed.success) throw new Error(`评定规则无效 / invalid grading rules:\n${issueLines(parsed.error.issues).join('\n')}`);
  return parsed.data;
}

const clean = (x: number) => Number(x.toPrecision(12));

export function quotaCount(n: number, fraction: number, rounding: GradingRules['quotaRounding']): number {
  const exact = clean(n * fraction);
  return rounding === 'floor' ? Math.floor(exact) : rounding === 'ceil' ? Math.ceil(exact) : Math.round(exact);
}

type Outcome = 'in' | 'over-quota' | 'quota-full' | 'tie-out';

/** Admits candidates (sorted by score, descending) by whole groups of equal score, up to the quota. */
function fill(candidates: readonly UnitScore[], quota: number, tieRule: GradingRules['tieRule']): Map<string, Outcome> {
  const out = new Map<string, Outcome>();
  let admitted = 0;
  let closed = false;
  for (let i = 0; i < candidates.length; ) {
    let j = i;
    while (j < candidates.length && candidates[j]!.score === candidates[i]!.score) j++;
    const group = candidates.slice(i, j);
    let outcome: Outcome;
    if (closed || admitted >= quota) outcome = 'quota-full';
    else if (admitted + group.length <= quota) outcome = 'in';
    else outcome = tieRule === 'include-all' ? 'over-quota' : 'tie-out';
    if (outcome === 'in' || outcome === 'over-quota') admitted += group.length;
    if (outcome === 'tie-out') closed = true;
    for (const u of group) out.set(u.unit, outcome);
    i = j;
  }
  return out;
}

type Text = [zh: string, en: string];

export function gradeUnits(units: readonly UnitScore[], rules: GradingRulesInput = DEFAULT_GRADING_RULES): GradedUnit[] {
  const list = parseUnits(units);
  const r = parseGradingRules(rules);
  const n = list.length;
  const sorted = [...list].sort((a, b) => b.score - a.score || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  const kinds = (u: UnitScore, kind: string) => u.vetoes.map((v) => VETO_BY_NAME.get(v)!).filter((v) => v.kind === kind);

  const pct = (f: number) => `${clean(f * 100)}%`;
  const roundingZh = { floor: '向下取整', round: '四舍五入', ceil: '向上取整' }[r.quotaRounding];
  const roundingEn = { floor: 'rounded down', round: 'rounded half up', ceil: 'rounded up' }[r.quotaRounding];
  const quotaText = (name: Text, f: number, q: number, extra: Text = ['', '']): Text => [
    `${name[0]}名额 ${q} 个（${n} × ${pct(f)} = ${clean(n * f)}，${roundingZh}${extra[0]}）`,
    `${name[1]} quota of ${q} (${n} × ${pct(f)} = ${clean(n * f)}, ${roundingEn}${extra[1]})`,
  ];

  const open = sorted.filter((u) => kinds(u, 'directly-poor').length === 0);
  const excellentQuota = quotaCount(n, r.quotas.excellent, r.quotaRounding);
  const excellent = fill(
    open.filter((u) => u.score >= r.thresholds.excellent && kinds(u, 'never-excellent').length === 0),
    excellentQuota,
    r.tieRule,
  );
  const excellentCount = [...excellent.values()].filter((o) => o === 'in' || o === 'over-quota').length;
  const goodQuota = quotaCount(n, r.quotas.good, r.quotaRounding);
  const goodPlaces = r.goodQuotaIncludesExcellent ? Math.max(0, goodQuota - excellentCount) : goodQuota;
  const isExcellent = (u: UnitScore) => ['in', 'over-quota'].includes(excellent.get(u.unit) ?? '');
  const good = fill(open.filter((u) => !isExcellent(u) && u.score >= r.thresholds.good), goodPlaces, r.tieRule);

  const exQuota = quotaText(['优秀', 'excellent'], r.quotas.excellent, excellentQuota);
  const goodQuotaText = quotaText(['良好', 'good'], r.quotas.good, goodQuota, r.goodQuotaIncludesExcellent
    ? [`，含优秀 ${excellentCount} 个，余 ${goodPlaces} 个`, `, including ${excellentCount} excellent, ${goodPlaces} left`]
    : ['', '']);
  const passText = (o: Outcome | undefined, quota: Text, t: number, name: Text): Text => {
    switch (o) {
      case 'in': return [`得分 ≥ ${t}，在${quota[0]}内`, `score ≥ ${t}, within the ${quota[1]}`];
      case 'over-quota': return [`得分 ≥ ${t}，同分并列跨越${quota[0]}，按“同分全部入选”规则超额评定`, `score ≥ ${t}, tied across the ${quota[1]}; the include-all tie rule exceeds it`];
      case 'quota-full': return [`${quota[0]}已满`, `the ${quota[1]} is filled`];
      case 'tie-out': return [`同分并列跨越${quota[0]}，按“同分均不入选”规则均不评为${name[0]}`, `tied across the ${quota[1]}; under the exclude-all tie rule none of the tied units is ${name[1]}`];
      default: return [`得分低于 ${t}`, `score below ${t}`];
    }
  };

  let prev: GradedUnit | undefined;
  return sorted.map((u, i) => {
    const rank = prev && prev.score === u.score ? prev.rank : i + 1;
    const texts: Text[] = [[`排名第 ${rank}，得分 ${u.score}`, `rank ${rank}, score ${u.score}`]];
    const poorVetoes = kinds(u, 'directly-poor');
    const neverExcellent = kinds(u, 'never-excellent');
    const ex = excellent.get(u.unit);
    const gd = good.get(u.unit);
    let grade: Grade;
    if (poorVetoes.length) {
      grade = 'poor';
      texts.push([`直接评为差：${poorVetoes.map((v) => v.zh).join('、')}`, `directly poor: ${poorVetoes.map((v) => v.en).join('; ')}`]);
    } else {
      grade = ex === 'in' || ex === 'over-quota' ? 'excellent'
        : gd === 'in' || gd === 'over-quota' ? 'good'
          : u.score >= r.thresholds.fair ? 'fair' : 'poor';
      if (neverExcellent.length) {
        texts.push([`不得评为优秀：${neverExcellent.map((v) => v.zh).join('、')}`, `never excellent: ${neverExcellent.map((v) => v.en).join('; ')}`]);
      } else if (ex !== undefined || u.score >= r.thresholds.good) {
        texts.push(passText(ex, exQuota, r.thresholds.excellent, ['优秀', 'excellent']));
      }
      if (grade !== 'excellent' && (gd !== undefined || u.score >= r.thresholds.fair)) {
        texts.push(passText(gd, goodQuotaText, r.thresholds.good, ['良好', 'good']));
      }
      if (grade === 'fair') texts.push([`得分 ≥ ${r.thresholds.fair}`, `score ≥ ${r.thresholds.fair}`]);
      if (grade === 'poor') texts.push([`得分低于 ${r.thresholds.fair}`, `score below ${r.thresholds.fair}`]);
    }
    texts.push([`评为${GRADE_ZH[grade]}`, grade]);
    const reason = `${texts.map((t) => t[0]).join('；')} / ${texts.map((t) => t[1]).join('; ')}`;
    prev = { unit: u.unit, score: u.score, rank, grade, reason };
    return prev;
  });
}
