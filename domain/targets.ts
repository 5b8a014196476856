// The target table (考评表) the office imports: one row per target, validated as a whole.
// A user fixes the file in a spreadsheet, so every error carries the spreadsheet row (header = row 1,
// first data row = 2) and the header as they wrote it; nothing is accepted unless every row is valid.
// Blank rows are skipped but still counted, so row numbers stay those of the sheet.
import { z } from 'zod';
import { lazy } from './lazy.js';
import { ADMINISTRATIVE_CATEGORIES, FUNCTIONAL_CATEGORIES, type TargetCategory } from './scoring.js';

export interface RowError { row: number; column: string; message: string }
/** Where in a sheet: the row as the spreadsheet numbers it and the header as written. */
export const rowLabel = (row: number, column: string) => `第 ${row} 行「${column}」/ row ${row}, column "${column}"`;
export type TargetGroup = 'functional' | 'administrative';

/** Structurally a subset of ScoringScheme, so the cycle's scheme can be passed as is. */
export interface TargetPointsScheme { functionalPoints: number; administrativePoints: number }
export const DEFAULT_TARGET_POINTS: TargetPointsScheme = Object.freeze({ functionalPoints: 65, administrativePoints: 35 });

/** Optional directories (as in the cycle file): names are then resolved to ids and unknown ones refused. */
export interface TableDirectory {
  departments?: readonly { id: string; name: string }[];
  people?: readonly { id: string; name: string }[];
}

// ---- shared by every imported table (targets, roster) ----

/** Canonical field → accepted headers; the first header is the one shown when the column is missing. */
export type ColumnSpec<K extends string> = Record<K, readonly string[]>;

const normHeader = (h: string) => h.replace(/^\uFEFF/, '').replace(/[\s*＊:：]/g, '').toLowerCase();

export function cellText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** YYYY-MM-DD; also the 2019/12/31 and 2019-3-5 forms a spreadsheet produces when it saves CSV. */
export function cellDate(v: unknown): string | undefined | null {
  const s = cellText(v);
  if (s === undefined) return undefined;
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

const isoDate = (label: string) => z.string({ error: `缺少${label} / required` })
  .refine((s) => cellDate(s) === s, { error: '日期应为 YYYY-MM-DD 且真实存在 / expected an existing date YYYY-MM-DD' });
const toDate = (v: unknown) => { const d = cellDate(v); return d === null ? String(v) : d; };
// optional inside the preprocess: a blank CSV cell is '' and must count as absent
export const dateField = (label: string) => z.preprocess(toDate, isoDate(label));
export const optionalDateField = (label: string) => z.preprocess(toDate, isoDate(label).optional());
export const textField = (label: string) =>
  z.preprocess(cellText, z.string({ error: `缺少${label} / required` }));

export interface ParsedRows<K extends string, T> {
  values: { row: number; value: T }[];
  errors: RowError[];
  /** the header the user wrote for a field, else its first Chinese name */
  header: (field: K) => string;
}

export function parseRows<K extends string, T>(
  rows: readonly Record<string, unknown>[], spec: ColumnSpec<K>, required: readonly K[], schema: z.ZodType<T>,
): ParsedRows<K, T> {
  const fields = Object.keys(spec) as K[];
  const first = required[0] ?? (fields[0] as K);
  const noRows = (): ParsedRows<K, T> => ({ values: [], errors: [{ row: 2, column: spec[first][0] ?? first, message: '表格没有数据行 / the table has no data rows' }], header: (f) => spec[f][0] ?? f });
  if (!rows.length) return noRows();
  const byHeader = new Map<string, K>();
  for (const f of fields) for (const h of spec[f]) byHeader.set(normHeader(h), f);
  const used = new Map<K, string>();
  const errors: RowError[] = [];
  for (const h of new Set(rows.flatMap((r) => Object.keys(r)))) {
    const f = byHeader.get(normHeader(h));
    if (f === undefined) continue; // extra columns (备注 …) are the user's business
    const prev = used.get(f);
    if (prev !== undefined && prev !== h) errors.push({ row: 1, column: h, message: `与“${prev}”是同一列 / same column as "${prev}"` });
    else used.set(f, h);
  }
  const header = (f: K) => used.get(f) ?? spec[f][0] ?? f;
  for (const f of required) {
    if (!used.has(f)) errors.push({ row: 1, column: header(f), message: `缺少此列 / missing column (${spec[f].join(' / ')})` });
  }
  const values: { row: number; value: T }[] = [];
  if (errors.length) return { values, errors, header };
  rows.forEach((r, i) => {
    const row = i + 2;
    if (Object.values(r).every((v) => cellText(v) === undefined)) return;
    const canon: Record<string, unknown> = {};
    for (const [h, v] of Object.entries(r)) {
      const f = byHeader.get(normHeader(h));
      if (f !== undefined && used.get(f) === h) canon[f] = v;
    }
    const res = schema.safeParse(canon);
    if (res.success) values.push({ row, value: res.data });
    else for (const iss of res.error.issues) errors.push({ row, column: header(String(iss.path[0] ?? '') as K), message: iss.message });
  });
  if (!values.length && !errors.length) return noRows();
  return { values, errors, header };
}

/** Resolves an id or a display name against a directory; undefined when unknown. */
export function resolveId(dir: readonly { id: string; name: string }[], s: string): string | undefined {
  return dir.find((e) => e.id === s)?.id ?? dir.find((e) => e.name === s)?.id;
}

// ---- the target table ----

const CATEGORY_NAMES: Record<TargetCategory, string> = {
  key: '重点', routine: '常规', dynamic: '动态',
  scientific: '科学行政', lawful: '依法行政', efficient: '高效行政', clean: '廉洁行政', innovation: '管理创新',
};
export const CATEGORY_LABELS: Readonly<Record<TargetCategory, string>> = CATEGORY_NAMES;

export function groupOf(c: TargetCategory): TargetGroup {
  return (FUNCTIONAL_CATEGORIES as readonly string[]).includes(c) ? 'functional' : 'administrative';
}

function toCategory(v: unknown): unknown {
  const s = cellText(v)?.toLowerCase();
  if (s === undefined) return undefined;
  const all = [...FUNCTIONAL_CATEGORIES, ...ADMINISTRATIVE_CATEGORIES] as TargetCategory[];
  // 重点工作目标 / 重点目标 / 重点 all name the same category
  const bare = s.replace(/(工作)?目标$/, '');
  return all.find((c) => c === s || CATEGORY_NAMES[c] === bare) ?? s;
}

export const TARGET_COLUMNS = {
  id: ['编号', 'id', '指标编号'],
  category: ['类别', 'category', '目标类别'],
  title: ['指标', 'title', '标题', '指标名称', '目标任务'],
  points: ['分值', 'points'],
  leader: ['责任领导', 'leader'],
  departments: ['责任科室', 'department', 'departments'],
  lead: ['牵头科室', 'lead', 'leadDepartment'],
  person: ['经办人', 'person', '经办人员'],
  due: ['完成时限', 'due'],
  quality: ['质量要求', 'quality'],
  progress: ['进度要求', 'progress'],
} as const satisfies ColumnSpec<string>;
type TargetField = keyof typeof TARGET_COLUMNS;
const REQUIRED: TargetField[] = ['category', 'title', 'points', 'leader', 'departments', 'person', 'due', 'quality', 'progress'];

const splitList = (s: string) => s.split(/[、,，;；/]/).map((x) => x.trim()).filter(Boolean);

/** One row, keyed by canonical field names; `departments` is a 、- or comma-separated list. */
export const targetRowSchema = lazy(() =>
  z.object({
    id: z.preprocess(cellText, z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: '编号只能含字母、数字、. _ - / letters, digits, . _ - only' }).optional()),
    category: z.preprocess(toCategory, z.enum([...FUNCTIONAL_CATEGORIES, ...ADMINISTRATIVE_CATEGORIES], {
      error: `类别应为 ${Object.values(CATEGORY_NAMES).join('/')} 之一 / expected one of ${Object.keys(CATEGORY_NAMES).join(', ')}`,
    })),
    title: textField('指标'),
    points: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v.trim()) : v ?? undefined),
      z.number({ error: '分值应为数字 / points must be a number' }).finite().positive({ error: '分值应大于 0 / points must be positive' })
        .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, { error: '分值最多两位小数 / at most 2 decimals' })),
    leader: textField('责任领导'),
    departments: textField('责任科室').transform(splitList).pipe(z.array(z.string()).min(1, { error: '缺少责任科室 / required' })),
    lead: z.preprocess(cellText, z.string().optional()),
    person: textField('经办人'),
    due: dateField('完成时限'),
    quality: textField('质量要求'),
    progress: textField('进度要求'),
  }).superRefine((t, ctx) => {
    if (t.lead !== undefined && !t.departments.includes(t.lead)) {
      ctx.addIssue({ code: 'custom', path: ['lead'], message: `牵头科室“${t.lead}”不在责任科室中 / lead department is not among the departments` });
    }
    if (new Set(t.departments).size !== t.departments.length) {
      ctx.addIssue({ code: 'custom', path: ['departments'], message: '责任科室重复 / a department is listed twice' });
    }
  }).transform(({ lead, departments, ...t }) => ({
    ...t,
    group: groupOf(t.category),
    leadDepartment: lead ?? departments[0] as string,
    // the lead first, so departments[0] is always the lead whichever way the sheet said it
    departments: [lead ?? departments[0] as string, ...departments.filter((d) => d !== (lead ?? departments[0]))],
  })),
);

export type Target = Omit<z.output<ReturnType<typeof targetRowSchema>>, 'id'> & { id: string };
export type TargetTableResult = { ok: true; targets: Target[] } | { ok: false; errors: RowError[] };

const sumEq = (a: number, b: number) => Math.round(a * 100) === Math.round(b * 100);

export function validateTargetTable(
  rows: readonly Record<string, unknown>[],
  scheme: TargetPointsScheme = DEFAULT_TARGET_POINTS,
  directory: TableDirectory = {},
): TargetTableResult {
  const { values, errors, header } = parseRows(rows, TARGET_COLUMNS, REQUIRED, targetRowSchema());
  if (errors.some((e) => e.row === 1)) return { ok: false, errors };
  // Sums over a partly read table would only add noise: they are checked once every row reads.
  const allRowsRead = errors.length === 0;
  const targets: Target[] = values.map(({ value }, i) => ({ ...value, id: value.id ?? `T${String(i + 1).padStart(2, '0')}` }));
  const seen = new Map<string, number>();
  targets.forEach((t, i) => {
    const row = values[i]!.row;
    const first = seen.get(t.id);
    if (first !== undefined) errors.push({ row, column: header('id'), message: `编号 ${t.id} 与第 ${first} 行重复 / duplicate id ${t.id} (row ${first})` });
    else seen.set(t.id, row);
    if (directory.departments) {
      const ids = t.departments.map((d) => resolveId(directory.departments!, d));
      const unknown = t.departments.filter((_, j) => ids[j] === undefined);
      if (unknown.length) errors.push({ row, column: header('departments'), message: `未知科室 / unknown department: ${unknown.join('、')}` });
      else { t.departments = ids as string[]; t.leadDepartment = t.departments[0]!; }
    }
    if (directory.people) {
      const id = resolveId(directory.people, t.leader);
      if (id === undefined) errors.push({ row, column: header('leader'), message: `未知人员 / unknown person: ${t.leader}` });
      else t.leader = id;
    }
  });
  if (allRowsRead) {
    const sum = (g: TargetGroup) => targets.filter((t) => t.group === g).reduce((s, t) => s + t.points, 0);
    const f = sum('functional');
    const a = sum('administrative');
    if (!sumEq(f, scheme.functionalPoints) || !sumEq(a, scheme.administrativePoints)) {
      const r = (x: number) => Math.round(x * 100) / 100;
      errors.push({
        row: 1, column: header('points'),
        message: `分值合计不符：职能工作目标 ${r(f)}（应为 ${scheme.functionalPoints}），行政能力目标 ${r(a)}（应为 ${scheme.administrativePoints}）`
          + ` / points do not add up: functional ${r(f)} (expected ${scheme.functionalPoints}), administrative ${r(a)} (expected ${scheme.administrativePoints})`,
      });
    }
  }
  return errors.length ? { ok: false, errors: errors.sort((x, y) => x.row - y.row) } : { ok: true, targets };
}
