import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readTable } from '../../activities/tables.js';
import { validateTargetTable, type RowError, type Target } from '../../domain/targets.js';

const example = (f: string) => fileURLToPath(new URL(`../../examples/${f}`, import.meta.url));
const DEPARTMENTS = [
  { id: 'office', name: '办公室' }, { id: 'planning', name: '规划科' }, { id: 'cadastre', name: '地籍与确权登记科' },
  { id: 'landuse', name: '耕地保护与利用科' }, { id: 'mineral', name: '矿产资源管理科' }, { id: 'law', name: '政策法规科' },
  { id: 'registry', name: '不动产登记中心' }, { id: 'enforcement', name: '执法大队' },
];
const LEADERS = ['leader-wang', 'leader-li', 'leader-chen'].map((id) => ({ id, name: id }));

const row = (over: Record<string, unknown> = {}) => ({
  类别: '重点', 指标: '保障重点项目用地', 分值: 65, 责任领导: 'leader-wang', 责任科室: '耕地保护与利用科',
  经办人: '陈志强', 完成时限: '2019-12-31', 质量要求: '报批率100%', 进度要求: '12月底前完成', ...over,
});
const admin = (over: Record<string, unknown> = {}) => row({ 类别: '依法行政', 分值: 35, 责任科室: '政策法规科', ...over });

function errorsOf(rows: Record<string, unknown>[]): RowError[] {
  const r = validateTargetTable(rows);
  if (r.ok) throw new Error('expected the table to be refused');
  return r.errors;
}
function targetsOf(rows: Record<string, unknown>[]): Target[] {
  const r = validateTargetTable(rows);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.targets;
}

describe('example target table', () => {
  it('loads from CSV and XLSX, validates, and both give the same targets', async () => {
    const fromCsv = validateTargetTable(await readTable(example('jinjiang-2019-targets.csv')), undefined, { departments: DEPARTMENTS, people: LEADERS });
    const fromXlsx = validateTargetTable(await readTable(example('jinjiang-2019-targets.xlsx')), undefined, { departments: DEPARTMENTS, people: LEADERS });
    expect(fromCsv.ok && fromXlsx.ok).toBe(true);
    if (!fromCsv.ok || !fromXlsx.ok) return;
    expect(fromXlsx.targets).toEqual(fromCsv.targets);
    const t = fromCsv.targets;
    expect(t).toHaveLength(17);
    const sum = (g: string) => t.filter((x) => x.group === g).reduce((s, x) => s + x.points, 0);
    expect([sum('functional'), sum('administrative')]).toEqual([65, 35]);
    expect(new Set(t.map((x) => x.category)).size).toBe(8);
    const shared = t.find((x) => x.id === 'T11')!;
    // 牵头科室 names the second listed department: it becomes the lead and comes first
    expect(shared.leadDepartment).toBe('enforcement');
    expect(shared.departments).toEqual(['enforcement', 'mineral']);
  });
});

describe('validateTargetTable', () => {
  it('accepts English headers and generates ids', () => {
    const en = (o: Record<string, unknown>) => ({ title: 'a', leader: 'leader-li', person: 'x', quality: 'q', progress: 'p', ...o });
    const t = targetsOf([
      en({ category: 'key', points: '65', department: 'planning, landuse', due: '2019/6/30' }),
      en({ category: '依法行政工作目标', points: 35, department: 'law', due: new Date('2019-12-31T00:00:00Z') }),
    ]);
    expect(t.map((x) => x.id)).toEqual(['T01', 'T02']);
    expect(t[0]).toMatchObject({ points: 65, due: '2019-06-30', departments: ['planning', 'landuse'], leadDepartment: 'planning' });
    expect(t[1]).toMatchObject({ category: 'lawful', group: 'administrative', due: '2019-12-31' });
  });

  it('refuses a wrong row naming its spreadsheet row and column, and accepts nothing', () => {
    const r = validateTargetTable([row({ 分值: 30 }), row({ 分值: 35, 完成时限: '2019-02-30' }), admin()]);
    expect(r).toEqual({ ok: false, errors: [expect.objectContaining({ row: 3, column: '完成时限' })] });
  });

  it('names each bad cell of each bad row', () => {
    const errors = errorsOf([row({ 分值: 30 }), row({ 分值: 'abc', 类别: '特色' }), row({ 分值: 35, 责任领导: '' }), admin()]);
    expect(errors.map(({ row: r, column }) => [r, column])).toEqual([[3, '类别'], [3, '分值'], [4, '责任领导']]);
  });

  it('refuses the same field under two headers', () => {
    expect(errorsOf([{ ...row(), points: 65 }, admin()])).toEqual([expect.objectContaining({ row: 1, column: 'points' })]);
  });

  it('uses the header as the user wrote it', () => {
    const rows = [admin({ 分值: -1 }), row()].map(({ 分值: p, ...rest }) => ({ ...rest, ' Points ': p }));
    expect(errorsOf(rows)).toEqual([expect.objectContaining({ row: 2, column: ' Points ' })]);
  });

  it('checks the points add up to the scheme and says the sums', () => {
    const errors = errorsOf([row({ 分值: 60 }), admin()]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.column).toBe('分值');
    expect(errors[0]!.message).toMatch(/60.*65/);
    expect(errors[0]!.message).toContain('35');
    expect(targetsOf([row({ 分值: 32.5 }), row({ 分值: 32.5 }), admin({ 分值: 17.25 }), admin({ 分值: 17.75 })])).toHaveLength(4);
  });

  it('uses the scheme it is given', () => {
    const scheme = { functionalPoints: 60, administrativePoints: 40 };
    expect(validateTargetTable([row(), admin()], scheme).ok).toBe(false);
    expect(validateTargetTable([row({ 分值: 60 }), admin({ 分值: 40 })], scheme).ok).toBe(true);
  });

  it('refuses duplicate ids, including a clash with a generated one', () => {
    const errors = errorsOf([row({ 编号: 'T02', 分值: 30 }), row({ 分值: 35 }), admin({ 编号: 'A1' })]);
    expect(errors).toEqual([expect.objectContaining({ row: 3, column: '编号', message: expect.stringContaining('T02') })]);
  });

  it('keeps spreadsheet row numbers across blank rows', () => {
    const errors = errorsOf([row(), {}, { 类别: '', 指标: '  ' }, admin({ 完成时限: 'soon' })]);
    expect(errors).toEqual([expect.objectContaining({ row: 5, column: '完成时限' })]);
  });

  it('reports a missing column once, on the header row', () => {
    const rows = [row(), admin()].map(({ 经办人: _p, ...rest }) => rest);
    expect(errorsOf(rows)).toEqual([expect.objectContaining({ row: 1, column: '经办人' })]);
  });

  it('checks the lead department is one of the departments', () => {
    const errors = errorsOf([row({ 责任科室: '规划科、执法大队', 牵头科室: '办公室' }), admin()]);
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: '牵头科室' })]);
  });

  it('resolves departments and leaders against a directory and refuses unknown ones', () => {
    const dir = { departments: DEPARTMENTS, people: LEADERS };
    const ok = validateTargetTable([row({ 责任科室: 'landuse，规划科' }), admin()], undefined, dir);
    expect(ok.ok && ok.targets[0]!.departments).toEqual(['landuse', 'planning']);
    const bad = validateTargetTable([row({ 责任科室: '规划股', 责任领导: 'leader-zhao' }), admin()], undefined, dir);
    expect(!bad.ok && bad.errors.map((e) => e.column)).toEqual(['责任科室', '责任领导']);
  });

  it('refuses an empty table', () => {
    const blank = Object.fromEntries(Object.keys(row()).map((k) => [k, '']));
    for (const rows of [[], [blank, blank]]) {
      expect(validateTargetTable(rows)).toEqual({ ok: false, errors: [expect.objectContaining({ row: 2, message: expect.stringContaining('no data rows') })] });
    }
  });
});
