// The cycle's target ledger and score sheet: target import, evidence, the review team's marks, the
// efficiency office's figures and vetoes, and the grade handed down by the city. Installed by the cycle
// workflow; Updates refuse the wrong person or state in their validators (audited by the client), and
// answer bad input (a mark above the points, an unknown target, a missing source) as such: 400 / 404,
// not audited (input-errors.ts). Size limits and a correction without a reason stay refusals.
import { setHandler } from '@temporalio/workflow';
import type { AuditInput } from '../domain/audit.js';
import { nextYearExcellentQuota, poorUnitSanctions } from '../domain/bonus.js';
import { rolesOf, settingsOf, type CycleInput } from '../domain/cycle.js';
import { VETOES } from '../domain/grading.js';
import {
  clip, evidenceLimits, figureLimits, importTargetsLimits, markLimits, vetoLimits,
} from '../domain/limits.js';
import type { Phase } from '../domain/phases.js';
import {
  FIGURES, figureValueError, isFigureName, latest, markError, scoreSheet, type FigureEntry, type MarkEntry,
} from '../domain/score-sheet.js';
import { checkTargetTable, EVIDENCE_CATEGORIES, formatRowErrors, isEvidenceCategory, recheckTargets, targetRows } from '../domain/target-ledger.js';
import type { Target } from '../domain/targets.js';
import {
  cycleQuery, enterFigureUpdate, evidenceQuery, fileEvidenceUpdate, gradeSignal, importTargetsUpdate, markTargetUpdate,
  scoreQuery, setVetoesUpdate, targetsQuery,
  type CycleStatus, type EvidenceItem, type FigureRequest, type FileEvidenceRequest, type FileRef, type GradeNotice,
  type ImportTargetsRequest, type LedgerState, type MarkRequest, type ScoreState, type TargetsView, type VetoRequest,
} from './definitions.js';
import { invalid, notFound } from './input-errors.js';
import { refuse } from './refuse.js';

export interface LedgerContext {
  cycle: CycleInput;
  record: (e: AuditInput) => void;
  nowIso: () => string;
  phase: () => Phase;
  reviewWindow: () => CycleStatus['reviewWindow'];
}

const VETO_NAMES: readonly string[] = VETOES.map((v) => v.name);
const isFileRef = (f: unknown): f is FileRef => {
  const r = f as FileRef;
  return !!r && typeof r.name === 'string' && r.name !== '' && /^[0-9a-f]{64}$/.test(r.sha256 ?? '') && Number.isInteger(r.size) && r.size >= 0;
};
const withReason = (reason?: string) => (reason ? `；理由 reason: ${reason}` : '');
/** Size limits come before every other check: a refusal must not carry a huge value anywhere. */
const within = (error: string | undefined) => {
  if (error) refuse(error);
};

/** `initial`: the state a previous run of the cycle handed over when it continued as new. */
export function installLedger(ctx: LedgerContext, initial?: LedgerState) {
  const { cycle, record, nowIso } = ctx;
  const settings = settingsOf(cycle);
  const roleOf = (actor: string) => rolesOf(cycle, actor).join(' ') || 'none';
  let imported: TargetsView = initial?.imported ?? { targets: [] };
  const evidence: EvidenceItem[] = [...(initial?.evidence ?? [])];
  const marks: MarkEntry[] = [...(initial?.marks ?? [])];
  const figures: FigureEntry[] = [...(initial?.figures ?? [])];
  let vetoes: string[] | undefined = initial?.vetoes;
  const grades: (GradeNotice & { receivedAt: string })[] = [...(initial?.grades ?? [])];

  const targets = () => imported.targets;
  // The handlers keep `refuse` (unreachable after their validator); the validators say "not found" (404).
  const targetOf = (id: string, fail: (message: string) => never = refuse): Target => targets().find((t) => t.id === id)
    ?? fail(`targetId: 没有目标 ${clip(id)} / no target ${clip(id)}${targets().length ? '' : '（尚未导入考评表 / no target table imported）'}`);
  const notGraded = () => {
    if (grades.length) refuse('本单位已评定等次，分数不能再改 / the unit has been graded: its scores are final');
  };
  const only = (who: string, actor: string, what: string, role: string) => {
    if (actor !== who) refuse(`${clip(actor)} 无权${what.split('/')[0]}，应由${role.split('/')[0]} ${who} 办理 / ${clip(actor)} may not ${what.split('/')[1]}; only the ${role.split('/')[1]} ${who} may`);
  };
  const needReason = (exists: boolean, reason: string | undefined, what: string) => {
    if (exists && !reason?.trim()) refuse(`reason: ${what} 已录入，更正须说明理由 / ${what} was entered already: a correction needs a reason`);
  };
  const score = () => scoreSheet(targets(), marks, figures, settings.scheme);
  /** What follows from a grade for the unit (§四 of the document). */
  const consequences = (g: GradeNotice) => ({
    nextYearExcellentShare: nextYearExcellentQuota(g.grade, 0, settings.bonus?.defaultExcellentShare).share,
    sanctions: g.grade === 'poor' ? poorUnitSanctions() : [],
  });

  setHandler(importTargetsUpdate, (req) => {
    const r = checkTargetTable(targetRows(req.targets), cycle);
    if (!r.ok) refuse(formatRowErrors(r.errors)); // unreachable: the validator ran the same check
    imported = { targets: r.targets, importedAt: nowIso(), importedBy: req.actor, ...(req.source && { source: req.source }) };
    const sum = (g: Target['group']) => r.targets.filter((t) => t.group === g).reduce((s, t) => s + t.points, 0);
    record({
      actor: req.actor, role: roleOf(req.actor), action: 'targets-imported', subject: cycle.cycleId,
      detail: `${r.targets.length} 项目标 targets (职能 functional ${sum('functional')} + 行政能力 administrative ${sum('administrative')})`
        + (req.source ? `; ${req.source.name} sha256=${req.source.sha256}` : ''),
    });
    return imported;
  }, {
    validator: (req: ImportTargetsRequest) => {
      within(importTargetsLimits(req));
      only(cycle.roles.coordinator, req.actor, '导入考评表/import the target table', '局办公室/coordinator');
      if (ctx.reviewWindow() === 'closed') refuse('考评窗口已关闭，不能再导入考评表 / the review window has closed: targets can no longer be imported');
      if (marks.length) refuse('考评组已开始打分，不能再导入考评表 / the review team has started marking: targets can no longer be replaced');
      const errors = recheckTargets(req.targets, cycle);
      if (errors.length) invalid(formatRowErrors(errors));
    },
  });

  setHandler(fileEvidenceUpdate, (req) => {
    const item: EvidenceItem = {
      seq: evidence.length + 1, targetId: req.targetId, category: req.category, file: req.file, by: req.actor, at: nowIso(),
      ...(req.note && { note: req.note }),
    };
    evidence.push(item);
    record({
      actor: req.actor, role: roleOf(req.actor), action: 'evidence-filed', subject: req.targetId,
      detail: `${EVIDENCE_CATEGORIES[req.category].zh}/${req.category} ${req.file.name} sha256=${req.file.sha256}${req.note ? `; ${req.note}` : ''}`,
    });
    return item;
  }, {
    validator: (req: FileEvidenceRequest) => {
      within(evidenceLimits(req));
      if (ctx.reviewWindow() === 'closed') refuse('考评窗口已关闭，不能再报送佐证材料 / the review window has closed: no more evidence');
      const t = targetOf(req.targetId, notFound);
      const owners = cycle.departments.filter((d) => t.departments.includes(d.id)).map((d) => d.owner);
      if (!owners.includes(req.actor)) {
        refuse(`${clip(req.actor)} 不是目标 ${t.id} 责任科室的负责人，应由 ${owners.join('、')} 报送 / ${clip(req.actor)} does not head a department of target ${t.id}; ${owners.join(', ')} may file its evidence`);
      }
      if (!isEvidenceCategory(String(req.category))) invalid(`category: 应为 ${Object.keys(EVIDENCE_CATEGORIES).join(' | ')} / expected paper, image or audio-video`);
      if (!isFileRef(req.file)) invalid('file: 文件记录无效（名称、sha256、大小）/ invalid file record (name, sha256, size)');
    },
  });

  setHandler(markTargetUpdate, (req) => {
    const t = targetOf(req.targetId);
    const correction = marks.some((m) => m.targetId === t.id);
    const entry: MarkEntry = { targetId: t.id, mark: req.mark, by: req.actor, at: nowIso(), ...(req.reason && { reason: req.reason }), ...(req.note && { note: req.note }) };
    marks.push(entry);
    record({
      actor: req.actor, role: roleOf(req.actor), action: correction ? 'mark-corrected' : 'target-marked', subject: t.id,
      detail: `${req.mark}/${t.points}${withReason(req.reason)}${req.note ? `; ${req.note}` : ''}`,
    });
    return entry;
  }, {
    validator: (req: MarkRequest) => {
      within(markLimits(req));
      if (!settings.reviewTeam.includes(req.actor)) {
        refuse(`${clip(req.actor)} 不是考评组成员，不能打分 / ${clip(req.actor)} is not on the review team (${settings.reviewTeam.join(', ') || '周期文件未设 roles.reviewTeam / none set in the cycle file'})`);
      }
      notGraded();
      if (ctx.reviewWindow() !== 'open' && ctx.phase() !== 'scoring') {
        refuse(`只能在考评窗口内或计分阶段打分（当前 ${ctx.phase()}，窗口 ${ctx.reviewWindow()}）/ marks are given in the review window or the scoring phase (now: ${ctx.phase()}, window ${ctx.reviewWindow()})`);
      }
      const t = targetOf(req.targetId, notFound);
      const err = markError(t, req.mark);
      if (err) invalid(err);
      const prev = latest(marks, (m) => m.targetId === t.id);
      needReason(!!prev, req.reason, `${t.id} 的得分 ${prev?.mark}（${prev?.by}）/ the mark of ${t.id}`);
    },
  });

  setHandler(enterFigureUpdate, (req) => {
    const correction = figures.some((f) => f.figure === req.figure);
    const entry: FigureEntry = { figure: req.figure, value: req.value, source: req.source, by: req.actor, at: nowIso(), ...(req.reason && { reason: req.reason }) };
    figures.push(entry);
    record({
      actor: req.actor, role: roleOf(req.actor), action: correction ? 'figure-corrected' : 'figure-entered', subject: `figure:${req.figure}`,
      detail: `${req.value ?? '不适用 n/a'}；来源 source: ${req.source}${withReason(req.reason)}`,
    });
    return entry;
  }, {
    validator: (req: FigureRequest) => {
      within(figureLimits(req));
      only(cycle.roles.efficiencyOffice, req.actor, '录入考评数据/enter scoring figures', '市效能办/efficiency office');
      notGraded();
      if (!isFigureName(String(req.figure))) invalid(`figure: 应为 ${Object.keys(FIGURES).join(' | ')} / unknown figure "${clip(req.figure)}"`);
      const err = figureValueError(req.figure, req.value);
      if (err) invalid(err);
      if (!req.source?.trim()) invalid('source: 须注明数据来源 / the source of the figure is required');
      needReason(figures.some((f) => f.figure === req.figure), req.reason, FIGURES[req.figure].zh);
    },
  });

  setHandler(setVetoesUpdate, (req) => {
    const corrected = vetoes !== undefined;
    vetoes = [...new Set(req.vetoes)];
    record({
      actor: req.actor, role: roleOf(req.actor), action: 'vetoes-set', subject: cycle.cycleId,
      detail: `${vetoes.join(', ') || '无 none'}；来源 source: ${req.source}${corrected ? withReason(req.reason) : ''}`,
    });
    return vetoes;
  }, {
    validator: (req: VetoRequest) => {
      within(vetoLimits(req));
      only(cycle.roles.efficiencyOffice, req.actor, '认定否决情形/set vetoes', '市效能办/efficiency office');
      notGraded();
      const unknown = (Array.isArray(req.vetoes) ? req.vetoes : [String(req.vetoes)]).filter((v) => !VETO_NAMES.includes(v));
      if (unknown.length) invalid(`vetoes: 未知否决情形 / unknown veto ${unknown.map((v) => clip(v)).join(', ')} (known: ${VETO_NAMES.join(', ')})`);
      if (!req.source?.trim()) invalid('source: 须注明认定依据 / the source is required');
      needReason(vetoes !== undefined, req.reason, '否决情形 vetoes');
    },
  });

  // A signal, not an Update: it comes from the city's grading workflow, which has already decided.
  setHandler(gradeSignal, (g) => {
    grades.push({ ...g, receivedAt: nowIso() });
    record({
      actor: g.by, role: roleOf(g.by), action: 'graded', subject: cycle.cycleId,
      detail: `${g.grade} 第 ${g.rank}/${g.units} 名 rank, ${g.score}; ${g.reason} (${g.gradingId})`,
    });
  });

  setHandler(cycleQuery, () => cycle);
  setHandler(targetsQuery, () => imported);
  setHandler(evidenceQuery, () => targets().map((t) => ({
    targetId: t.id, title: t.title, departments: t.departments, leadDepartment: t.leadDepartment,
    items: evidence.filter((e) => e.targetId === t.id),
  })));
  setHandler(scoreQuery, (): ScoreState => ({ view: score(), marks, figures, vetoes: vetoes ?? [], vetoesSet: vetoes !== undefined }));

  return {
    targets,
    grades,
    /** Everything the ledger holds, for the next run. */
    state: (): LedgerState => ({ imported, evidence, marks, figures, ...(vetoes && { vetoes }), grades }),
    score,
    consequences,
    evidence: () => evidence,
    marks: () => marks,
    figures: () => figures,
    /** The ledger's part of the cycle status. */
    status(): Partial<CycleStatus> {
      const s = score();
      const g = grades.at(-1);
      return {
        ...(imported.importedAt && {
          targets: { count: targets().length, importedAt: imported.importedAt, importedBy: imported.importedBy ?? '', ...(imported.source && { source: imported.source }) },
        }),
        ...(s.complete && { finalScore: s.breakdown.finalScore }),
        ...(vetoes && { vetoes }),
        ...(g && { grade: { ...g, ...consequences(g) } }),
      };
    },
  };
}

export type Ledger = ReturnType<typeof installLedger>;
