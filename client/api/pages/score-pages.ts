// The pages of the target ledger and the score sheet: scores and grades, a target with its evidence, and
// the forms behind them (import from the dashboard, evidence, marks, figures, vetoes, the bonus list).
// Rights and calls are the JSON API's (ledger.ts), so a page can do no more than the API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FIGURE_NAMES, isFigureName } from '../../../domain/score-sheet.js';
import type { StatusView } from '../../cycle-client.js';
import { LIMITS, tooLong } from '../../../domain/limits.js';
import { UserError } from '../../errors.js';
import { tr, type Key } from '../../portal/i18n.js';
import { scoresPage } from '../../portal/pages/scores.js';
import { targetPage } from '../../portal/pages/target.js';
import { mayLedger } from '../../portal/rights.js';
import type { ApiContext } from '../context.js';
import { sendStoredFile } from '../downloads.js';
import { access } from '../guard.js';
import {
  bonusFile, fileEvidenceFrom, findTarget, importTargetRows, mayDoLedger, seeTarget, visibleEvidence, visibleScore, visibleTargets,
} from '../ledger.js';
import { oneUpload, TABLE_TYPES, uploadedRows } from '../tables.js';
import { readMultipart } from '../uploads.js';
import { cycleParams, evidenceFileParams, targetParams } from '../schemas/scores.js';
import { frame, sendPage } from './frame.js';

type Form = Record<string, string | string[] | undefined>;
type CycleP = { cycleId: string };
type TargetP = { cycleId: string; targetId: string };

const DONE: Record<string, Key> = {
  imported: 'targetsImported', evidence: 'evidenceFiled', marked: 'marked', figure: 'figureEntered', vetoes: 'vetoesSet',
};

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []).map((x) => x.trim()).filter(Boolean);

function numberField(field: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isFinite(n)) throw new UserError(`${field}: 应为数字 / expected a number (got "${value}")`);
  return n;
}

export function scorePages(ctx: ApiContext) {
  // The path parameters have the API's checks.
  const cycle = { schema: { hide: true, params: cycleParams } };
  const target = { schema: { hide: true, params: targetParams } };
  const file = { schema: { hide: true, params: evidenceFileParams } };
  const statusOf = (cycleId: string): Promise<StatusView | undefined> => ctx.cycles.status(cycleId).catch((err: unknown) => {
    if (err instanceof UserError && err.code === 'not-found') return undefined;
    throw err;
  });
  const doneMsg = (lang: 'zh' | 'en', done: unknown) => (typeof done === 'string' && DONE[done] ? tr(lang, DONE[done]) : undefined);
  const back = (reply: FastifyReply, cycleId: string, done: string, targetId?: string) =>
    reply.redirect(targetId ? `/cycles/${cycleId}/t/${targetId}?done=${done}` : `/cycles/${cycleId}/scores?done=${done}`, 303);

  return async (app: FastifyInstance) => {
    app.get<{ Params: CycleP; Querystring: Form }>('/cycles/:cycleId/scores', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId);
      const status = await statusOf(cycleId);
      const f = await frame(ctx, request, reply, '', cycleId);
      const m = a.member;
      const can = {
        mark: !m || mayLedger(m, 'markTarget', a.input), figures: !m || mayLedger(m, 'enterFigure', a.input), bonus: !m || mayLedger(m, 'bonus', a.input),
      };
      const data = status ? await (async () => {
        const [targets, evidence, score] = await Promise.all([ctx.cycles.targets(cycleId), ctx.cycles.evidence(cycleId), visibleScore(ctx, a, cycleId)]);
        return { targets: visibleTargets(a, targets), evidence: visibleEvidence(a, evidence, targets.targets), score };
      })() : {};
      const result = status?.deliverables.find((d) => d.id === 'result');
      const message = doneMsg(f.lang, request.query.done);
      return sendPage(reply, scoresPage({ ...f, title: tr(f.lang, 'scores') }, {
        cycleId, ...(a.input && { input: a.input }), ...(status && { status }), ...(result && { result }), ...data,
        showPackage: !m || m.unitWide, can, ...(message && { message }),
      }));
    });

    app.post<{ Params: CycleP }>('/cycles/:cycleId/targets', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'importTargets');
      await mayDoLedger(ctx, request, a, cycleId, 'importTargets', cycleId);
      const { uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'file' });
      const upload = oneUpload(uploads, 'file');
      await importTargetRows(ctx, a, cycleId, await uploadedRows('file', upload), 'file', upload);
      return back(reply, cycleId, 'imported');
    });

    app.get<{ Params: TargetP; Querystring: Form }>('/cycles/:cycleId/t/:targetId', target, async (request, reply) => {
      const { cycleId, targetId } = request.params;
      const a = await access(ctx, request, cycleId);
      const { target } = await findTarget(ctx, cycleId, targetId);
      await seeTarget(ctx, request, a, cycleId, target);
      const [status, evidence, score] = await Promise.all([ctx.cycles.status(cycleId), ctx.cycles.evidence(cycleId), ctx.cycles.score(cycleId)]);
      const f = await frame(ctx, request, reply, '', cycleId);
      const m = a.member;
      const message = doneMsg(f.lang, request.query.done);
      return sendPage(reply, targetPage({ ...f, title: `${target.id} ${target.title}` }, {
        cycleId, ...(a.input && { input: a.input }), zone: status.timeZone, target,
        evidence: evidence.find((e) => e.targetId === targetId)?.items ?? [], marks: score.marks,
        canFile: (!m || mayLedger(m, 'fileEvidence', a.input, target)) && status.reviewWindow !== 'closed',
        canMark: !m || mayLedger(m, 'markTarget', a.input),
        maxMb: Math.round(ctx.settings.maxUploadBytes / 1048576 * 10) / 10, types: ctx.settings.uploadTypes, ...(message && { message }),
      }));
    });

    app.post<{ Params: TargetP }>('/cycles/:cycleId/t/:targetId/evidence', target, async (request, reply) => {
      const { cycleId, targetId } = request.params;
      await fileEvidenceFrom(ctx, request, cycleId, targetId);
      return back(reply, cycleId, 'evidence', targetId);
    });

    app.get<{ Params: TargetP & { sha256: string } }>('/cycles/:cycleId/t/:targetId/files/:sha256', file, async (request, reply) => {
      const { cycleId, targetId, sha256 } = request.params;
      const a = await access(ctx, request, cycleId, 'download');
      const { target } = await findTarget(ctx, cycleId, targetId);
      await seeTarget(ctx, request, a, cycleId, target, 'download');
      const items = (await ctx.cycles.evidence(cycleId)).find((e) => e.targetId === targetId)?.items ?? [];
      return sendStoredFile(ctx, reply, { cycleId, on: targetId, handedIn: items.map((i) => ({ file: i.file, by: i.by })) }, sha256);
    });

    app.post<{ Params: CycleP; Body: Form }>('/cycles/:cycleId/marks', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const b = request.body ?? {};
      const targetId = one(b.targetId);
      if (!targetId) throw new UserError('targetId: 请选择目标 / choose a target');
      const long = tooLong('targetId', targetId, LIMITS.id);
      if (long) throw new UserError(long);
      const a = await access(ctx, request, cycleId, 'markTarget');
      await mayDoLedger(ctx, request, a, cycleId, 'markTarget', targetId);
      const note = one(b.note).slice(0, 4000);
      const reason = one(b.reason).slice(0, 4000);
      await ctx.cycles.markTarget(cycleId, { actor: a.actor, targetId, mark: numberField('mark', one(b.mark)), ...(note && { note }), ...(reason && { reason }) });
      return back(reply, cycleId, 'marked', one(b.back) === 'target' ? targetId : undefined);
    });

    app.post<{ Params: CycleP; Body: Form }>('/cycles/:cycleId/figures', cycle, async (request: FastifyRequest<{ Params: CycleP; Body: Form }>, reply) => {
      const { cycleId } = request.params;
      const b = request.body ?? {};
      const figure = one(b.figure);
      if (!isFigureName(figure)) throw new UserError(`figure: 应为 ${FIGURE_NAMES.join(' | ')} / unknown figure "${figure}"`);
      const a = await access(ctx, request, cycleId, 'enterFigure');
      await mayDoLedger(ctx, request, a, cycleId, 'enterFigure', `figure:${figure}`);
      const raw = one(b.value);
      const value = ['', 'n/a', 'na', 'null', '不适用'].includes(raw.toLowerCase()) ? null : numberField('value', raw);
      const reason = one(b.reason).slice(0, 4000);
      await ctx.cycles.enterFigure(cycleId, { actor: a.actor, figure, value, source: one(b.source).slice(0, 1000), ...(reason && { reason }) });
      return back(reply, cycleId, 'figure');
    });

    app.post<{ Params: CycleP; Body: Form }>('/cycles/:cycleId/vetoes', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const b = request.body ?? {};
      const a = await access(ctx, request, cycleId, 'setVetoes');
      await mayDoLedger(ctx, request, a, cycleId, 'setVetoes', cycleId);
      const reason = one(b.reason).slice(0, 4000);
      await ctx.cycles.setVetoes(cycleId, { actor: a.actor, vetoes: list(b.vetoes), source: one(b.source).slice(0, 1000), ...(reason && { reason }) });
      return back(reply, cycleId, 'vetoes');
    });

    app.post<{ Params: CycleP }>('/cycles/:cycleId/bonus', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'bonus');
      await mayDoLedger(ctx, request, a, cycleId, 'bonus', cycleId);
      const { fields, uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'roster' });
      const format = fields.format === 'csv' ? 'csv' : 'xlsx';
      const { bytes } = await bonusFile(ctx, cycleId, oneUpload(uploads, 'roster'), format);
      return reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${cycleId}-bonus-list.${format}"`)
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    });
  };
}
