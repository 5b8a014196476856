// The staff roster a unit supplies for its bonus list: who, where, the annual appraisal grade, long
// sick leave, and the dates that bound the time in post during the year. Validated like the target
// table: errors carry the spreadsheet row and the header as written.
import { z } from 'zod';
import { lazy } from './lazy.js';
import { cellText, optionalDateField, parseRows, resolveId, textField, type ColumnSpec, type RowError, type TableDirectory } from './targets.js';

/** Civil-servant grades (优秀/称职/基本称职/不称职), staff-on-contract grades (合格/基本合格/不合格), and no grade. */
export const APPRAISAL_GRADES = {
  excellent: '优秀',
  competent: '称职',
  'basically-competent': '基本称职',
  incompetent: '不称职',
  qualified: '合格',
  'basically-qualified': '基本合格',
  unqualified: '不合格',
  // appraised but not graded, e.g. a first-year recruit (参加考核、不定等次)
  ungraded: '未定等次',
  // left out of the appraisal altogether (the document's 未参加年度考核)
  'not-appraised': '未参加考核',
} as const;
export type AppraisalGrade = keyof typeof APPRAISAL_GRADES;
const GRADE_ALIASES: Record<string, AppraisalGrade> = { 不定等次: 'ungraded', 未参加年度考核: 'not-appraised' };

function toGrade(v: unknown): unknown {
  const s = cellText(v);
  if (s === undefined) return undefined;
  const keys = Object.keys(APPRAISAL_GRADES) as AppraisalGrade[];
  return keys.find((k) => k === s.toLowerCase() || APPRAISAL_GRADES[k] === s) ?? GRADE_ALIASES[s] ?? s;
}

const YES = ['是', '有', 'yes', 'y', 'true', '1', '√'];
const NO = ['否', '无', 'no', 'n', 'false', '0'];
/** A yes/no cell (是/否, yes/no, 1/0, √); blank is no. Anything else is left for the schema to refuse. */
export function toYesNo(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  const s = cellText(v)?.toLowerCase();
  if (s === undefined) return false; // a blank sick-leave cell means none
  return YES.includes(s) ? true : NO.includes(s) ? false : s;
}

export const ROSTER_COLUMNS = {
  name: ['姓名', 'name'],
  department: ['科室', 'department', '部门', '所在科室'],
  grade: ['年度考核等次', 'grade', '考核等次', '等次', 'appraisal'],
  sickLeave: ['长期病休', 'sickLeave', 'longSickLeave', 'sick leave'],
  joined: ['入职日期', 'joined', '调入日期', '参加工作日期', '到岗日期'],
  left: ['离职日期', 'left', '退休日期', '离岗日期'],
  transferred: ['调出日期', 'transferred', '调动日期'],
} as const satisfies ColumnSpec<string>;
type RosterField = keyof typeof ROSTER_COLUMNS;
const REQUIRED: RosterField[] = ['name', 'department', 'grade'];

/** Dates are days in post: `joined` the first, `left` (resignation, retirement) or `transferred` (out) the last. */
export const staffRowSchema = lazy(() =>
  z.object({
    name: textField('姓名'),
    department: textField('科室'),
    grade: z.preprocess(toGrade, z.enum(Object.keys(APPRAISAL_GRADES) as [AppraisalGrade, ...AppraisalGrade[]], {
      error: `等次应为 ${Object.values(APPRAISAL_GRADES).join('/')} 之一 / expected one of ${Object.keys(APPRAISAL_GRADES).join(', ')}`,
    })),
    sickLeave: z.preprocess(toYesNo, z.boolean({ error: '应填 是/否 / expected yes or no' })),
    joined: optionalDateField('入职日期'),
    left: optionalDateField('离职日期'),
    transferred: optionalDateField('调出日期'),
  }).superRefine((s, ctx) => {
    for (const k of ['left', 'transferred'] as const) {
      const end = s[k];
      if (end !== undefined && s.joined !== undefined && end < s.joined) {
        ctx.addIssue({ code: 'custom', path: [k], message: `早于入职日期 ${s.joined} / before the joining date` });
      }
    }
    if (s.left !== undefined && s.transferred !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['transferred'], message: '离职与调出只填一项 / give either left or transferred, not both' });
    }
  }),
);

export type StaffMember = z.output<ReturnType<typeof staffRowSchema>> & { row: number };
export type RosterResult = { ok: true; staff: StaffMember[] } | { ok: false; errors: RowError[] };

export function validateRoster(rows: readonly Record<string, unknown>[], directory: TableDirectory = {}): RosterResult {
  const { values, errors, header } = parseRows(rows, ROSTER_COLUMNS, REQUIRED, staffRowSchema());
  if (errors.some((e) => e.row === 1)) return { ok: false, errors };
  const seen = new Map<string, number>();
  const staff = values.map(({ row, value }) => {
    const s: StaffMember = { ...value, row };
    if (directory.departments) {
      const id = resolveId(directory.departments, s.department);
      if (id === undefined) errors.push({ row, column: header('department'), message: `未知科室 / unknown department: ${s.department}` });
      else s.department = id;
    }
    // the bonus list is read by name: two lines for one person would pay twice
    const key = `${s.name}\u0000${s.department}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ row, column: header('name'), message: `与第 ${first} 行重复 / same person as row ${first}` });
    else seen.set(key, row);
    return s;
  });
  return errors.length ? { ok: false, errors: errors.sort((a, b) => a.row - b.row) } : { ok: true, staff };
}
