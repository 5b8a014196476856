// The organisation directory (组织目录): units, their departments and their people, kept by an
// administrator. It is the only source of who a person is (name, e-mail, phone): a cycle file refers
// to people by id, so whoever writes a cycle file cannot re-address someone else's account.
import { z } from 'zod';
import { cycleFileSchemas } from './cycle-file.js';
import type { CycleInput } from './cycle.js';
import { LIMITS } from './limits.js';

// Not reached by workflow code: built at import.
const { idSchema, personSchema } = cycleFileSchemas();

const name = (max: number) => z.string().trim().min(1, '不能为空 / must not be empty').max(max);

export const directoryPersonSchema = personSchema.extend({
  // Absent: the person keeps the language they have (a new person gets zh-CN).
  lang: z.enum(['zh-CN', 'en']).optional(),
  phone: z.string().trim().max(LIMITS.phone).regex(/^\+?[0-9][0-9 ()-]*$/, '电话号码格式错误 / invalid phone number').optional(),
  unit: idSchema.optional(),
  department: idSchema.optional(),
});

export const directorySchema = z.object({
  units: z.array(z.object({ id: idSchema, name: name(LIMITS.title), coordinator: idSchema.optional() })).max(LIMITS.directoryUnits).default([]),
  departments: z.array(z.object({ unit: idSchema, id: idSchema, name: name(LIMITS.name) })).max(LIMITS.directoryDepartments).default([]),
  people: z.array(directoryPersonSchema).max(LIMITS.directoryPeople).default([]),
}).superRefine((d, ctx) => {
  const once = <T>(rows: T[], key: (r: T) => string, list: string, what: string) => {
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      const k = key(r);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [list, i, 'id'], message: `${what}重复 / duplicate ${list.replace(/s$/, '')} "${k}"` });
      seen.add(k);
    });
  };
  once(d.units, (u) => u.id, 'units', '单位编号');
  once(d.departments, (x) => `${x.unit}/${x.id}`, 'departments', '科室编号');
  once(d.people, (p) => p.id, 'people', '人员编号');
  d.people.forEach((p, i) => {
    if (p.department && !p.unit) ctx.addIssue({ code: 'custom', path: ['people', i, 'unit'], message: '填写科室时须填写单位 / a department needs its unit' });
  });
});

export type DirectoryData = z.output<typeof directorySchema>;
export type DirectoryPerson = DirectoryData['people'][number];

export interface DirectoryIssue { path: string; message: string }

export class DirectoryError extends Error {
  constructor(readonly issues: DirectoryIssue[]) {
    super(`组织目录有误 / invalid directory:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'DirectoryError';
  }
}

export function parseDirectory(data: unknown): DirectoryData {
  const result = directorySchema.safeParse(data);
  if (result.success) return result.data;
  throw new DirectoryError(result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })));
}

/**
 * The directory a cycle implies: its people in its unit, each department head in their (first)
 * department, the coordinator registered as the unit's. For the one-time import of earlier versions'
 * cycles and for tests; people of other bodies (HR, the efficiency office) stay outside the unit.
 */
export function directoryOfCycle(input: Pick<CycleInput, 'unit' | 'people' | 'roles' | 'departments'>): DirectoryData {
  const unit = input.unit.id;
  const inUnit = new Set([input.roles.coordinator, input.roles.director, ...input.departments.flatMap((d) => [d.owner, d.leader])]);
  return {
    units: [{ id: unit, name: input.unit.name, coordinator: input.roles.coordinator }],
    departments: input.departments.map((d) => ({ unit, id: d.id, name: d.name })),
    people: input.people.map((p) => {
      const dept = input.departments.find((d) => d.owner === p.id);
      return { ...p, ...(inUnit.has(p.id) && { unit }), ...(dept && { department: dept.id }) };
    }),
  };
}
