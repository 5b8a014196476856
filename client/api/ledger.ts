// The target ledger and the score sheet for the JSON API and the portal's pages alike: the rights check
// first (a refusal is audited through guard.ts), then the CycleClient, whose workflow validators check
// again. Reading is filtered to what the person may see (portal/rights.ts).
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { Row } from '../../activities/tables.js';
import { checkTargetTable, formatRowErrors, isEvidenceCategory, EVIDENCE_CATEGORIES } from '../../domain/target-ledger.js';
import type { Target } from '../../domain/targets.js';
import type { FileRef, ScoreState, TargetEvidence, TargetsView } from '../../workflows/definitions.js';
import { bonusReport, bonusRows, writeBonusFile, type BonusReport } from '../bonus-list.js';
import type { StatusView } from '../cycle-client.js';
import { UserError } from '../errors.js';
import { importTargetsLimits } from '../../domain/limits.js';
import { canSeeTarget, mayLedger, whoMayLedger, type LedgerAction } from '../portal/rights.js';
import type { ApiContext } from './context.js';
import { access, refuse, type Access } from './guard.js';
import { TableRowsError } from './http-error.js';
import { withTempCopy } from './tables.js';
import { recordUses } from '../file-store.js';
import { readMultipart, uploadStore, type Upload } from './uploads.js';

const WHAT: Record<LedgerAction, [string, string]> = {
  importTargets: ['导入考评表', 'import the target table'],
  fileEvidence: ['报送该目标的佐证材料', 'file evidence for this target'],
  markTarget: ['对目标打分', 'mark targets'],
  enterFigure: ['录入考评数据', 'enter scoring figures'],
  setVetoes: ['认定否决情形', 'set veto cases'],
  bonus: ['生成绩效奖发放名单', 'make the bonus list'],
};

/** Refuses (and audits) whoever may not do `action`; the subject is the one the CycleClient audits under. */
export async function mayDoLedger(ctx: ApiContext, request: FastifyRequest, a: Access, cycleId: string, action: LedgerAction, subject: string, target?: Target): Promise<void> {
  if (!a.member || mayLedger(a.member, action, a.input, target)) return;
  const who = whoMayLedger(action, a.input, target).join(', ') || '-';
  const [zh, en] = WHAT[action];
  await refuse(ctx, request, cycleId, {
    actor: a.actor, action, subject, reason: `${a.actor} 无权${zh}，应由 ${who} 办理 / ${a.actor} may not ${en}; only ${who} may`,
  });
}

export async function findTarget(ctx: ApiContext, cycleId: string, targetId: string): Promise<{ view: TargetsView; target: Target }> {
  const view = await ctx.cycles.targets(cycleId);
  const target = view.targets.find((t) => t.id === targetId);
  if (!target) throw new UserError(`targetId: ${cycleId} 中没有目标 ${targetId} / no target ${targetId} in ${cycleId}`, 'not-found');
  return { view, target };
}

/** A target the person may not see is refused like a deliverable they may not see. */
export async function seeTarget(ctx: ApiContext, request: FastifyRequest, a: Access, cycleId: string, target: Target, action = 'view'): Promise<void> {
  if (!a.member || canSeeTarget(a.member, target)) return;
  await refuse(ctx, request, cycleId, { actor: a.actor, action, subject: target.id, reason: `${a.actor} 无权查看目标 ${target.id} / ${a.actor} may not see target ${target.id}` });
}

export function visibleTargets(a: Access, view: TargetsView): TargetsView {
  const m = a.member;
  return m ? { ...view, targets: view.targets.filter((t) => canSeeTarget(m, t)) } : view;
}

export function visibleEvidence(a: Access, list: TargetEvidence[], targets: readonly Target[]): TargetEvidence[] {
  const m = a.member;
  if (!m) return list;
  const seen = new Set(targets.filter((t) => canSeeTarget(m, t)).map((t) => t.id));
  return list.filter((e) => seen.has(e.targetId));
}

export type ScoreReply = ScoreState & { grade?: StatusView['grade'] };

/** The unit's score for every person of the cycle; the marks of single targets only for the targets one may see. */
export async function visibleScore(ctx: ApiContext, a: Access, cycleId: string): Promise<ScoreReply> {
  const [score, status, view] = await Promise.all([ctx.cycles.score(cycleId), ctx.cycles.status(cycleId), ctx.cycles.targets(cycleId)]);
  const seen = new Set(visibleTargets(a, view).targets.map((t) => t.id));
  return { ...score, marks: score.marks.filter((m) => seen.has(m.targetId)), ...(status.grade && { grade: status.grade }) };
}

/**
 * Imports a table the caller may import (check rights first): checked against the running cycle with the
 * workflow's own check, so a bad table changes nothing and the 400 lists every row and column.
 */
export async function importTargetRows(ctx: ApiContext, a: Access, cycleId: string, rows: Row[], field: string, upload?: Upload): Promise<TargetsView> {
  const checked = checkTargetTable(rows, await ctx.cycles.cycleInput(cycleId));
  if (!checked.ok) {
    throw new TableRowsError(`${field}: 考评表有误，未导入 / the target table is invalid, nothing imported:\n${formatRowErrors(checked.errors)}`, checked.errors);
  }
  // A spreadsheet is not schema-checked like a JSON body: its cells get the same limits here, as a 400.
  const long = importTargetsLimits({ actor: a.actor, targets: checked.targets });
  if (long) throw new UserError(`${field}: ${long}`);
  const source: FileRef | undefined = upload ? await uploadStore(ctx).put(upload.name, upload.bytes, a.actor) : undefined;
  const view = await ctx.cycles.importTargets(cycleId, rows, a.actor, source);
  // The table belongs to the whole cycle, the subject its import is audited under.
  if (source) await recordUses(ctx.cycles.store, { cycleId, subject: cycleId, kind: 'targets', by: a.actor }, [source]);
  return view;
}

export function evidenceCategory(value: string | undefined): keyof typeof EVIDENCE_CATEGORIES {
  const c = (value ?? '').trim();
  if (!isEvidenceCategory(c)) throw new UserError(`category: 应为 ${Object.keys(EVIDENCE_CATEGORIES).join(' | ')} / expected paper, image or audio-video`);
  return c;
}

export type BonusFormat = 'xlsx' | 'csv' | 'json';

/** The bonus list from an uploaded roster (client/bonus-list.ts), as a report and, unless JSON, a file. */
export async function bonusFile(ctx: ApiContext, cycleId: string, roster: Upload, format: BonusFormat): Promise<{ report: BonusReport; bytes?: Buffer }> {
  try {
    return await withTempCopy(roster, async (path) => {
      const report = await bonusReport(ctx.cycles, cycleId, path);
      if (format === 'json') return { report };
      const input = await ctx.cycles.cycleInput(cycleId);
      const names = new Map(input.departments.map((d) => [d.id, d.name]));
      const out = join(dirname(path), `bonus-list.${format}`);
      await writeBonusFile(out, bonusRows(report, (d) => names.get(d) ?? d), `${report.unit.name} ${report.year}`);
      return { report, bytes: await readFile(out) };
    });
  } catch (err) {
    // The roster's own errors name the roster field; "not graded yet" and the like name none.
    if (err instanceof UserError && err.code === 'invalid' && !/^[a-zA-Z.[\]0-9_-]+: /.test(err.message) && !err.message.startsWith(cycleId)) {
      throw new UserError(`roster: ${err.message}`, err.code);
    }
    throw err;
  }
}

/** An evidence item posted by the page's form or the API: rights first, then the one file, then the Update. */
export async function fileEvidenceFrom(ctx: ApiContext, request: FastifyRequest, cycleId: string, targetId: string) {
  const a = await access(ctx, request, cycleId, 'fileEvidence');
  const { target } = await findTarget(ctx, cycleId, targetId);
  await mayDoLedger(ctx, request, a, cycleId, 'fileEvidence', targetId, target);
  // Uploaded with this form, by the caller: no check of who uploaded the bytes first.
  const { fields, files } = await readMultipart(ctx, request, { field: 'file' });
  const category = evidenceCategory(fields.category);
  const file = files[0];
  if (!file || files.length > 1) throw new UserError('file: 应上传一个文件 / expected exactly one file');
  const note = (fields.note ?? '').trim().slice(0, 4000);
  const item = await ctx.cycles.fileEvidence(cycleId, { actor: a.actor, targetId, category, file, ...(note && { note }) });
  await recordUses(ctx.cycles.store, { cycleId, subject: targetId, kind: 'evidence', by: a.actor }, [file]);
  return item;
}
