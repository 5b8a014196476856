// The organisation directory as a spreadsheet (CSV/XLSX): one row per person, with their unit and
// department; units and departments are made from the *_name columns. Errors name the sheet's row and
// the header as written, like the target table's (domain/targets.ts).
import { z } from 'zod';
import { cycleFileSchemas } from './cycle-file.js';
import { directoryPersonSchema, directorySchema, type DirectoryData } from './directory.js';
import { LIMITS } from './limits.js';
import { toYesNo } from './roster.js';
import { cellText, parseRows, rowLabel, type ColumnSpec, type RowError } from './targets.js';

// Not reached by workflow code: built at import.
const { idSchema, personSchema } = cycleFileSchemas();

export const DIRECTORY_COLUMNS = {
  id: ['id', '编号', '人员编号'],
  name: ['name', '姓名'],
  email: ['email', '邮箱', '电子邮箱', 'e-mail'],
  phone: ['phone', '电话', '手机'],
  lang: ['lang', '语言'],
  unit: ['unit', '单位编号'],
  unit_name: ['unit_name', '单位名称', '单位'],
  department: ['department', '科室编号'],
  department_name: ['department_name', '科室名称', '科室'],
  coordinator: ['coordinator', '协调人'],
} as const satisfies ColumnSpec<string>;
type Field = keyof typeof DIRECTORY_COLUMNS;
const REQUIRED: Field[] = ['id', 'name', 'email'];

const optional = <T extends z.ZodType>(s: T) => z.preprocess(cellText, s.optional());

// id, name and e-mail are required of a person's row; a row without any of them only names a unit or
// a department (one nobody in the sheet belongs to).
const rowSchema = z.object({
  id: optional(idSchema),
  name: optional(personSchema.shape.name),
  email: optional(personSchema.shape.email),
  phone: optional(directoryPersonSchema.shape.phone.unwrap()),
  lang: optional(z.enum(['zh-CN', 'en'])),
  unit: optional(idSchema),
  unit_name: optional(z.string().max(LIMITS.title)),
  department: optional(idSchema),
  department_name: optional(z.string().max(LIMITS.name)),
  coordinator: z.preprocess(toYesNo, z.boolean({ error: '应填 是/否 / expected yes or no' })),
});

/** The directory a sheet holds, and where (row, column) each of its fields came from. */
export interface DirectorySheet { data: DirectoryData; where: (path: string) => string }

/** Rows (as activities/tables.ts reads them) to the directory, or every row error. */
export function directoryFromRows(rows: readonly Record<string, unknown>[]): { ok: true; sheet: DirectorySheet } | { ok: false; errors: RowError[] } {
  const { values, errors, header } = parseRows(rows, DIRECTORY_COLUMNS, REQUIRED, rowSchema);
  if (errors.some((e) => e.row === 1)) return { ok: false, errors };
  const units = new Map<string, { name?: string; coordinator?: string; row: number; coordRow?: number }>();
  const depts = new Map<string, { unit: string; id: string; name: string; row: number }>();
  const fail = (row: number, field: Field, message: string) => errors.push({ row, column: header(field), message });
  const people: typeof values = [];
  for (const { row, value: v } of values) {
    const person = v.id ?? v.name ?? v.email ?? v.phone ?? v.lang ?? (v.coordinator || undefined);
    const missing = person === undefined ? [] : (['id', 'name', 'email'] as const).filter((f) => v[f] === undefined);
    for (const f of missing) fail(row, f, '必填 / required');
    if (person !== undefined && missing.length === 0) people.push({ row, value: v });
    if ((v.unit_name || v.department || v.coordinator) && !v.unit) {
      fail(row, 'unit', `填写${v.coordinator ? '协调人' : '单位名称或科室'}时须填写单位编号 / a unit id is needed here`);
      continue;
    }
    if (!v.unit) continue;
    const u = units.get(v.unit) ?? { row };
    units.set(v.unit, u);
    if (v.unit_name && u.name && u.name !== v.unit_name) fail(row, 'unit_name', `与第 ${u.row} 行的单位名称「${u.name}」不同 / differs from row ${u.row}`);
    else if (v.unit_name && !u.name) Object.assign(u, { name: v.unit_name, row });
    if (v.coordinator && u.coordinator) fail(row, 'coordinator', `第 ${u.coordRow} 行已是此单位的协调人 / row ${u.coordRow} is the unit's coordinator already`);
    else if (v.coordinator && v.id) Object.assign(u, { coordinator: v.id, coordRow: row });
    if (v.department_name && !v.department) fail(row, 'department', '填写科室名称时须填写科室编号 / a department id is needed here');
    const key = `${v.unit}/${v.department}`;
    const d = depts.get(key);
    if (v.department && v.department_name && d && d.name !== v.department_name) fail(row, 'department_name', `与第 ${d.row} 行的科室名称「${d.name}」不同 / differs from row ${d.row}`);
    else if (v.department && v.department_name && !d) depts.set(key, { unit: v.unit, id: v.department, name: v.department_name, row });
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };
  // A unit named on no row is one the directory has already: the store checks it.
  const named = [...units].filter(([, u]) => u.name !== undefined);
  const deptRows = [...depts.values()];
  const parsed = directorySchema.safeParse({
    units: named.map(([id, u]) => ({ id, name: u.name, ...(u.coordinator && { coordinator: u.coordinator }) })),
    departments: deptRows.map(({ unit, id, name }) => ({ unit, id, name })),
    people: people.map(({ value: v }) => ({
      id: v.id, name: v.name, email: v.email, ...(v.phone && { phone: v.phone }), ...(v.lang && { lang: v.lang }),
      ...(v.unit && { unit: v.unit }), ...(v.department && { department: v.department }),
    })),
  });
  const locate = (path: string): { row: number; column: string } | undefined => {
    const [list = '', index, field = ''] = path.split('.');
    const i = Number(index);
    const u = list === 'units' ? named[i]?.[1] : undefined;
    const row = list === 'people' ? people[i]?.row : list === 'units' ? (field === 'coordinator' ? u?.coordRow : u?.row) : deptRows[i]?.row;
    const column = COLUMN[list]?.[field] ?? (field in DIRECTORY_COLUMNS ? field as Field : undefined);
    return row === undefined || !column ? undefined : { row, column: header(column) };
  };
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((iss) => ({ ...(locate(iss.path.join('.')) ?? { row: 1, column: iss.path.join('.') }), message: iss.message })) };
  }
  return { ok: true, sheet: { data: parsed.data, where: (path) => { const l = locate(path); return l ? rowLabel(l.row, l.column) : path; } } };
}

/** Which column a field of the directory's lists came from. */
const COLUMN: Record<string, Record<string, Field>> = {
  people: { unit: 'unit', department: 'department' },
  units: { id: 'unit', name: 'unit_name', coordinator: 'coordinator' },
  departments: { unit: 'unit', id: 'department', name: 'department_name' },
};
