import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readTable } from '../../activities/tables.js';
import { validateRoster, type StaffMember } from '../../domain/roster.js';
import { bonusList, monthsInPost, nextYearExcellentQuota, poorUnitSanctions, type BonusOptions } from '../../domain/bonus.js';

const COEF = { excellent: 1.2, good: 1, fair: 0.8 };
const opts = (over: Partial<BonusOptions> = {}): BonusOptions => ({ unitGrade: 'excellent', year: 2019, coefficients: COEF, baseAmount: 18000, ...over });
const staff = (over: Partial<StaffMember> = {}): StaffMember => ({ row: 2, name: '张三', department: '办公室', grade: 'competent', sickLeave: false, ...over });
const one = (s: Partial<StaffMember>, o: Partial<BonusOptions> = {}) => bonusList([staff(s)], opts(o))[0]!;

describe('monthsInPost (a month counts when in post on its 15th)', () => {
  it.each([
    [undefined, undefined, 12],
    ['2019-08-01', undefined, 5], // Aug..Dec
    ['2019-03-15', undefined, 10], // Mar counts: in post on the 15th
    ['2019-03-16', undefined, 9], // Mar does not
    [undefined, '2019-06-30', 6],
    [undefined, '2019-09-14', 8], // Sep does not: gone before the 15th
    [undefined, '2019-09-15', 9],
    ['2019-05-10', '2019-05-20', 1],
    ['2020-01-05', undefined, 0],
    [undefined, '2018-12-31', 0],
  ])('joined %s, last day %s → %i', (first, last, n) => expect(monthsInPost(2019, first, last)).toBe(n));
});

describe('bonusList, worked by hand', () => {
  it('pays base × unit-grade coefficient × months/12, rounded to yuan', () => {
    expect(one({})).toMatchObject({ eligible: true, months: 12, factor: 1, coefficient: 1.2, amount: 21600 }); // 18000 × 1.2
    expect(one({ joined: '2019-08-01', grade: 'ungraded' })).toMatchObject({ eligible: true, months: 5, amount: 9000 }); // 21600 × 5/12
    expect(one({ transferred: '2019-09-14' }, { unitGrade: 'fair' })).toMatchObject({ months: 8, amount: 9600 }); // 18000 × 0.8 × 8/12
    expect(one({ left: '2019-06-30' }, { unitGrade: 'good' })).toMatchObject({ months: 6, factor: 0.5, amount: 9000 });
    expect(one({ joined: '2019-06-01' }, { unitGrade: 'good', baseAmount: 10000 }).amount).toBe(5833); // 5833.33
    expect(one({ joined: '2019-08-01' }, { unitGrade: 'good', baseAmount: 10000 }).amount).toBe(4167); // 4166.67
    expect(one({ joined: '2019-12-01' }, { unitGrade: 'good', baseAmount: 30 }).amount).toBe(3); // 2.5, half up
    expect(one({ joined: '2019-12-01' }, { unitGrade: 'fair', baseAmount: 45 }).amount).toBe(3); // 45 × 0.8 / 12 = 3.0000000000000004
  });

  it('pays nobody in a poor unit', () => {
    const lines = bonusList([staff({ grade: 'excellent' }), staff({ name: '李四' })], opts({ unitGrade: 'poor' }));
    expect(lines.every((l) => !l.eligible && l.amount === 0)).toBe(true);
    expect(lines[0]!.reasonZh).toContain('差');
    expect(lines[0]!.reasonEn).toContain('poor');
  });

  it.each(['basically-competent', 'incompetent', 'basically-qualified', 'unqualified'] as const)('does not pay staff graded %s', (grade) => {
    expect(one({ grade })).toMatchObject({ eligible: false, amount: 0 });
  });

  it('pays 优秀/称职/合格 and the ungraded first-year recruit', () => {
    for (const grade of ['excellent', 'competent', 'qualified', 'ungraded'] as const) expect(one({ grade }).eligible).toBe(true);
  });

  it('does not pay long sick leave without appraisal, nor anyone not appraised; pays the sick who were appraised', () => {
    expect(one({ sickLeave: true, grade: 'ungraded' })).toMatchObject({ eligible: false, reasonZh: expect.stringContaining('长期病休') });
    expect(one({ grade: 'not-appraised' }).eligible).toBe(false);
    expect(one({ sickLeave: true, grade: 'competent' })).toMatchObject({ eligible: true, amount: 21600 });
  });

  it('does not pay someone with no month in post', () => {
    expect(one({ joined: '2019-12-20' })).toMatchObject({ eligible: false, months: 0, amount: 0 });
  });

  it('refuses a missing coefficient', () => {
    expect(() => bonusList([staff()], opts({ unitGrade: 'good', coefficients: { excellent: 1.2 } as typeof COEF }))).toThrow(/excellent|coefficient/);
  });
});

describe('example roster', () => {
  it('loads, validates and covers every case', async () => {
    const r = validateRoster(await readTable(fileURLToPath(new URL('../../examples/jinjiang-2019-roster.csv', import.meta.url))));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const lines = bonusList(r.staff, opts({ unitGrade: 'good', baseAmount: 20000 }));
    const by = Object.fromEntries(lines.map((l) => [l.name, l]));
    expect(lines.filter((l) => !l.eligible).map((l) => l.name)).toEqual(['黄志明', '苏俊杰', '施美玲', '柯振华', '杨秀英', '王秀琴']);
    expect([by['周晓燕']!.amount, by['高志远']!.amount, by['林国栋']!.amount, by['谢文华']!.amount]).toEqual([8333, 15000, 10000, 13333]);
    expect(by['蔡淑贞']).toMatchObject({ eligible: true, amount: 20000 });
  });
});

describe('validateRoster', () => {
  const good = { 姓名: '张三', 科室: '办公室', 年度考核等次: '称职', 长期病休: '否', 入职日期: '', 离职日期: '' };

  it('reads Chinese values into keys', () => {
    const r = validateRoster([good, { ...good, 姓名: '李四', 年度考核等次: '不定等次', 长期病休: '是', 入职日期: '2019/8/1' }]);
    expect(r.ok && r.staff[1]).toMatchObject({ row: 3, grade: 'ungraded', sickLeave: true, joined: '2019-08-01' });
  });

  it('names the row and column of each wrong cell', () => {
    const r = validateRoster([good, { ...good, 姓名: '李四', 年度考核等次: '良好' }, { ...good, 姓名: '王五', 长期病休: '也许' },
      { ...good, 姓名: '赵六', 入职日期: '2019-09-01', 离职日期: '2019-03-01' }, { ...good, 姓名: '钱七', 入职日期: '2019-09-31' }]);
    expect(!r.ok && r.errors.map((e) => [e.row, e.column])).toEqual([[3, '年度考核等次'], [4, '长期病休'], [5, '离职日期'], [6, '入职日期']]);
  });

  it('refuses the same person twice and a missing column', () => {
    const dup = validateRoster([good, good]);
    expect(!dup.ok && dup.errors).toEqual([expect.objectContaining({ row: 3, column: '姓名' })]);
    const missing = validateRoster([{ name: 'x', department: 'office' }]);
    expect(!missing.ok && missing.errors).toEqual([expect.objectContaining({ row: 1, column: '年度考核等次' })]);
  });
});

describe('nextYearExcellentQuota', () => {
  it('is 20% of the staff for an excellent unit, rounded down', () => {
    expect(nextYearExcellentQuota('excellent', 38)).toEqual({ share: 0.2, quota: 7 }); // 7.6
    expect(nextYearExcellentQuota('excellent', 10).quota).toBe(2);
    expect(nextYearExcellentQuota('excellent', 4).quota).toBe(0);
  });
  it('is the configured default otherwise', () => {
    expect(nextYearExcellentQuota('good', 38)).toEqual({ share: 0.15, quota: 5 }); // 5.7
    expect(nextYearExcellentQuota('poor', 100, 0.1).quota).toBe(10);
    expect(nextYearExcellentQuota('fair', 100, 0.29).quota).toBe(29); // 28.999999999999996 in floating point
    expect(nextYearExcellentQuota('excellent', 10, 0.3).share).toBe(0.3);
  });
});

describe('poorUnitSanctions', () => {
  it("lists the document's sanctions in both languages", () => {
    const s = poorUnitSanctions();
    expect(s.map((x) => x.key)).toEqual(expect.arrayContaining(['no-advanced-unit', 'no-leader-awards', 'public-criticism', 'written-self-criticism', 'leader-interview']));
    for (const x of s) expect(x.zh.length > 0 && x.en.length > 0).toBe(true);
  });
});
