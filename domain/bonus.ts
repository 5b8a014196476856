// Using the results (评估结果运用) for one unit: who gets the annual performance bonus and how much,
// the next year's excellent quota, and what a poor unit suffers. All from §四 of the source document.
//
// Eligibility, in this order (the first that applies is the reason given):
//  1. The unit's grade: only 优秀/良好/一般 units "予以发放年度绩效奖"; the document names no bonus for a
//     差 unit, so nobody in a poor unit is eligible.
//  2. Appraisal graded 基本称职/不称职/基本合格/不合格: not eligible (document, verbatim).
//  3. Not appraised (未参加考核), or on long sick leave and not graded (the document's "因长期病休等原因
//     未参加年度考核"): not eligible. Someone on sick leave who was nevertheless graded stays eligible.
//  4. No month in post during the year: nothing to pay.
// New, retired and transferred staff: the document defers to 晋效〔2019〕3号, not available here; we pay
// pro rata by whole months in post, the usual reading.
//
// Months in post: a calendar month of the year counts when the person was in post on its 15th
// (joined on or before the 15th, last day on or after it). One rule for both ends, so a person who
// moves between two units on any date is counted by exactly one of them for that month.
// Amount = base × coefficient of the unit's grade × months / 12, rounded half up to whole yuan, computed
// in one step so no intermediate rounding compounds.
import { APPRAISAL_GRADES, type AppraisalGrade, type StaffMember } from './roster.js';

export type UnitGrade = 'excellent' | 'good' | 'fair' | 'poor';
export type BonusCoefficients = Record<Exclude<UnitGrade, 'poor'>, number>;

export interface BonusOptions {
  unitGrade: UnitGrade;
  year: number;
  /** per unit grade (差异化奖励); the city sets the figures, the document does not */
  coefficients: BonusCoefficients;
  /** yuan per person per full year at coefficient 1 */
  baseAmount: number;
}

export interface BonusLine {
  name: string;
  department: string;
  grade: AppraisalGrade;
  eligible: boolean;
  reasonZh: string;
  reasonEn: string;
  months: number;
  /** months / 12, unrounded */
  factor: number;
  coefficient: number;
  /** whole yuan; 0 when not eligible */
  amount: number;
}

const NOT_ELIGIBLE_GRADES: readonly AppraisalGrade[] = ['basically-competent', 'incompetent', 'basically-qualified', 'unqualified'];
const GRADE_ZH = APPRAISAL_GRADES;
export const UNIT_GRADE_LABELS: Readonly<Record<UnitGrade, string>> = { excellent: '优秀', good: '良好', fair: '一般', poor: '差' };
export const MID_MONTH_DAY = 15;

/** Whole months of `year` in post, by the mid-month rule above; dates are YYYY-MM-DD, inclusive. */
export function monthsInPost(year: number, first?: string, last?: string): number {
  let n = 0;
  for (let m = 1; m <= 12; m++) {
    const day = `${year}-${String(m).padStart(2, '0')}-${MID_MONTH_DAY}`;
    if ((first === undefined || first <= day) && (last === undefined || day <= last)) n++;
  }
  return n;
}

function lastDay(s: StaffMember): string | undefined {
  if (s.left !== undefined && s.transferred !== undefined) return s.left < s.transferred ? s.left : s.transferred;
  return s.left ?? s.transferred;
}

function whyNot(s: StaffMember, unitGrade: UnitGrade, months: number): [string, string] | undefined {
  if (unitGrade === 'poor') return ['单位评估等次为“差”，不发放年度绩效奖', 'unit graded poor: no performance bonus for the unit'];
  if (NOT_ELIGIBLE_GRADES.includes(s.grade)) {
    return [`年度考核为“${GRADE_ZH[s.grade]}”，不发放年度绩效奖`, `annual appraisal "${s.grade}": not eligible`];
  }
  if (s.grade === 'not-appraised' || (s.sickLeave && s.grade === 'ungraded')) {
    return s.sickLeave
      ? ['因长期病休未参加年度考核，不发放年度绩效奖', 'long sick leave, not appraised: not eligible']
      : ['未参加年度考核，不发放年度绩效奖', 'not appraised: not eligible'];
  }
  if (months === 0) return ['本年度无在岗月份', 'no month in post during the year'];
  return undefined;
}

function eligibleReason(s: StaffMember, months: number): [string, string] {
  const sick = s.sickLeave ? ['（长期病休，已参加考核）', ' (long sick leave, appraised)'] : ['', ''];
  if (months === 12) return [`年度考核“${GRADE_ZH[s.grade]}”${sick[0]}，全年在岗`, `appraisal "${s.grade}"${sick[1]}, in post all year`];
  const last = lastDay(s);
  const how = s.transferred !== undefined && s.transferred === last ? ['调出', 'transferred out'] : ['离职/退休', 'left/retired'];
  const zh = [s.joined && `${s.joined} 到岗`, last && `${last} ${how[0]}`].filter(Boolean).join('，');
  const en = [s.joined && `joined ${s.joined}`, last && `${how[1]} ${last}`].filter(Boolean).join(', ');
  return [`年度考核“${GRADE_ZH[s.grade]}”${sick[0]}，${zh}，按在岗 ${months} 个月计发`, `appraisal "${s.grade}"${sick[1]}, ${en}: pro rata ${months}/12`];
}

export function bonusList(roster: readonly StaffMember[], opts: BonusOptions): BonusLine[] {
  const coefficient = opts.unitGrade === 'poor' ? 0 : opts.coefficients[opts.unitGrade];
  if (!(coefficient >= 0) || !(opts.baseAmount >= 0)) throw new Error(`绩效奖系数或基数无效 / invalid coefficient or base amount for ${opts.unitGrade}`);
  return roster.map((s) => {
    const months = monthsInPost(opts.year, s.joined, lastDay(s));
    const no = whyNot(s, opts.unitGrade, months);
    const [reasonZh, reasonEn] = no ?? eligibleReason(s, months);
    // toPrecision strips binary noise (x.4999999…) before the half-up rounding
    const amount = no ? 0 : Math.round(Number(((opts.baseAmount * coefficient * months) / 12).toPrecision(12)));
    return { name: s.name, department: s.department, grade: s.grade, eligible: !no, reasonZh, reasonEn, months, factor: months / 12, coefficient, amount };
  });
}

export const EXCELLENT_UNIT_SHARE = 0.2;
/** The general rule for civil servants in force in 2019 (优秀等次一般不超过 15%); a cycle may configure another. */
export const DEFAULT_EXCELLENT_SHARE = 0.15;

/**
 * Next year's cap on staff rated 优秀 (错年运用). The document says "可提高到…20%": a ceiling, so the
 * quota is rounded down — never more than the share of the staff actually appraised.
 */
export function nextYearExcellentQuota(unitGrade: UnitGrade, staffCount: number, defaultShare = DEFAULT_EXCELLENT_SHARE): { share: number; quota: number } {
  if (!Number.isInteger(staffCount) || staffCount < 0) throw new Error(`人数无效 / invalid staff count ${staffCount}`);
  const share = unitGrade === 'excellent' ? Math.max(EXCELLENT_UNIT_SHARE, defaultShare) : defaultShare;
  return { share, quota: Math.floor(Number((staffCount * share).toPrecision(12))) };
}

export interface Sanction { key: string; zh: string; en: string }

/** §四(三)2 of the document, plus the bonus consequence of §四(二)1. */
export function poorUnitSanctions(): Sanction[] {
  return [
    { key: 'no-advanced-unit', zh: '不得参加新一轮“先进基层党组织”、“文明单位”等各类先进单位评选', en: 'barred from the next round of advanced-unit selections ("advanced grass-roots Party organisation", "civilised unit", etc.)' },
    { key: 'no-leader-awards', zh: '领导班子成员不得参加各类先进个人评选', en: 'members of the leadership team barred from individual awards' },
    { key: 'public-criticism', zh: '由市机关效能建设领导小组通报批评', en: 'publicly criticised by the municipal efficiency leading group' },
    { key: 'written-self-criticism', zh: '责成向市委、市政府作书面检讨', en: 'ordered to submit a written self-criticism to the municipal Party committee and government' },
    { key: 'leader-interview', zh: '由市分管领导对单位主要领导、分管领导进行约谈', en: 'its principal and deputy leaders interviewed (约谈) by the city leader in charge' },
    { key: 'no-performance-bonus', zh: '不发放年度绩效奖（文件仅对优秀、良好、一般等次单位发放）', en: 'no annual performance bonus (the document grants it to excellent, good and fair units only)' },
  ];
}
