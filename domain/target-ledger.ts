// The target ledger (目标台账) of a running cycle: the imported targets, checked against the cycle's
// people, departments and scheme, and the evidence filed for them. Pure, so the workflow can use it.
import type { CycleInput } from './cycle.js';
import { settingsOf } from './cycle.js';
import { rowLabel, validateTargetTable, type RowError, type TableDirectory, type Target } from './targets.js';

export const EVIDENCE_CATEGORIES = {
  paper: { zh: '纸质', en: 'paper' },
  image: { zh: '图片', en: 'image' },
  'audio-video': { zh: '音像', en: 'audio/video' },
} as const;
export type EvidenceCategory = keyof typeof EVIDENCE_CATEGORIES;
export const isEvidenceCategory = (c: string): c is EvidenceCategory => Object.hasOwn(EVIDENCE_CATEGORIES, c);

/** Names in a table (科室名称, 人员姓名) resolve to the cycle's ids. */
export function directoryOf(c: CycleInput): TableDirectory {
  return { departments: c.departments, people: c.people };
}

/** A table of the cycle's unit against its scheme: the one check the client and the workflow both run. */
export function checkTargetTable(rows: readonly Record<string, unknown>[], c: CycleInput) {
  return validateTargetTable(rows, settingsOf(c).scheme, directoryOf(c));
}

/** Targets back to rows with canonical headers, so the workflow re-checks an import with the same function. */
export function targetRows(targets: readonly Target[]): Record<string, unknown>[] {
  return targets.map((t) => ({
    id: t.id, category: t.category, title: t.title, points: t.points, leader: t.leader,
    departments: t.departments.join('、'), lead: t.leadDepartment, person: t.person, due: t.due,
    quality: t.quality, progress: t.progress,
  }));
}

/** Errors of targets already validated by a client; empty when they are what checkTargetTable yields. */
export function recheckTargets(targets: readonly Target[], c: CycleInput): RowError[] {
  if (!Array.isArray(targets) || targets.length === 0) return [{ row: 1, column: 'targets', message: '没有目标 / no targets' }];
  const r = checkTargetTable(targetRows(targets), c);
  return r.ok ? [] : r.errors;
}

export const formatRowErrors = (errors: readonly RowError[]): string =>
  errors.map((e) => `${rowLabel(e.row, e.column)}: ${e.message}`).join('\n');

/** The targets a department reports on: those it leads (a shared target is reported by its lead department). */
export function ledTargets(targets: readonly Target[], departmentId: string): Target[] {
  return targets.filter((t) => t.leadDepartment === departmentId);
}
