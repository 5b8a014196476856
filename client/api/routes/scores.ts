// The target ledger and the score sheet over HTTP (issue 3): the CLI's targets/evidence/mark/figure/
// vetoes/score/bonus commands, through the same CycleClient, for the signed-in person as far as their
// role allows (ledger.ts, guard.ts). Every refusal is audited.
import type { FastifyInstance } from 'fastify';
import type { Row } from '../../../activities/tables.js';
import type { FigureName } from '../../../domain/score-sheet.js';
import type { ApiContext } from '../context.js';
import { sendStoredFile } from '../downloads.js';
import { access } from '../guard.js';
import {
  bonusFile, fileEvidenceFrom, findTarget, importTargetRows, mayDoLedger, seeTarget, visibleEvidence, visibleScore, visibleTargets, type BonusFormat,
} from '../ledger.js';
import { errorResponse } from '../schemas/cycle.js';
import {
  bonusQuerystring, cycleParams, evidenceFileParams, evidenceForm, rosterForm, targetsForm, evidenceItem, figureBody, figureEntry, figureParams, importRowsBody, markBody, markEntry,
  scoreResponse, targetEvidence, targetParams, targetsView, vetoesBody,
} from '../schemas/scores.js';
import { oneUpload, TABLE_TYPES, uploadedRows } from '../tables.js';
import { readMultipart } from '../uploads.js';

type CycleP = { cycleId: string };
type TargetP = { cycleId: string; targetId: string };
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 409: errorResponse, 413: errorResponse, 500: errorResponse };
const tags = ['scores'];

export function scoreRoutes(ctx: ApiContext) {
  const { cycles } = ctx;
  return async (app: FastifyInstance) => {
    app.post<{ Params: CycleP; Body?: { rows: Row[] } }>('/api/cycles/:cycleId/targets', {
      schema: {
        summary: 'Import the target table (考评表); the coordinator only',
        description: 'Either multipart/form-data with one file in the field "file" (.csv UTF-8 or GB18030, .xlsx first sheet, .json array of objects), '
          + 'or JSON {"rows": [...]}. The table is checked as a whole against the cycle (people, departments, the scheme\'s points): '
          + 'a bad table changes nothing and the 400 lists every error with its row (header = row 1) and column in error.rows. '
          + 'Refused once the review team has started marking or the review window has closed.',
        tags, params: cycleParams, consumes: ['application/json', 'multipart/form-data'],
        body: { content: { 'application/json': { schema: importRowsBody }, ...targetsForm } },
        response: { 200: targetsView, ...errors },
      },
    }, async (request) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'importTargets');
      // Rights first: a refused person's file is not even read.
      await mayDoLedger(ctx, request, a, cycleId, 'importTargets', cycleId);
      if (request.isMultipart()) {
        const { uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'file' });
        const upload = oneUpload(uploads, 'file');
        return importTargetRows(ctx, a, cycleId, await uploadedRows('file', upload), 'file', upload);
      }
      return importTargetRows(ctx, a, cycleId, request.body?.rows ?? [], 'body.rows');
    });

    app.get<{ Params: CycleP }>('/api/cycles/:cycleId/targets', {
      schema: { summary: 'The target ledger: the targets the caller may see (all for the office, the director, the efficiency office and the review team)', tags, params: cycleParams, response: { 200: targetsView, ...errors } },
    }, async (request) => {
      const a = await access(ctx, request, request.params.cycleId);
      return visibleTargets(a, await cycles.targets(request.params.cycleId));
    });

    app.post<{ Params: TargetP }>('/api/cycles/:cycleId/targets/:targetId/evidence', {
      schema: {
        summary: 'File an evidence item for a target; a head of one of its departments only',
        description: `multipart/form-data: one file in "file" (PORTAL_UPLOAD_TYPES, PORTAL_MAX_UPLOAD_MB), "category" (paper | image | audio-video), optional "note". Stored under its SHA-256.`,
        tags, params: targetParams, consumes: ['multipart/form-data'], body: { content: evidenceForm }, response: { 201: evidenceItem, ...errors },
      },
    }, async (request, reply) => {
      const { cycleId, targetId } = request.params;
      return reply.status(201).send(await fileEvidenceFrom(ctx, request, cycleId, targetId));
    });

    app.get<{ Params: CycleP }>('/api/cycles/:cycleId/evidence', {
      schema: { summary: 'Evidence listed per target, for the targets the caller may see', tags, params: cycleParams, response: { 200: { type: 'array', items: targetEvidence }, ...errors } },
    }, async (request) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId);
      const [list, view] = await Promise.all([cycles.evidence(cycleId), cycles.targets(cycleId)]);
      return visibleEvidence(a, list, view.targets);
    });

    app.get<{ Params: TargetP & { sha256: string } }>('/api/cycles/:cycleId/targets/:targetId/evidence/:sha256', {
      schema: { summary: 'Download a file filed as evidence for a target', tags, params: evidenceFileParams, response: { 401: errorResponse, 403: errorResponse, 404: errorResponse } },
    }, async (request, reply) => {
      const { cycleId, targetId, sha256 } = request.params;
      const a = await access(ctx, request, cycleId, 'download');
      const { target } = await findTarget(ctx, cycleId, targetId);
      await seeTarget(ctx, request, a, cycleId, target, 'download');
      const items = (await cycles.evidence(cycleId)).find((e) => e.targetId === targetId)?.items ?? [];
      return sendStoredFile(ctx, reply, { cycleId, on: targetId, handedIn: items.map((i) => ({ file: i.file, by: i.by })) }, sha256);
    });

    app.put<{ Params: TargetP; Body: { mark: number; note?: string; reason?: string } }>('/api/cycles/:cycleId/targets/:targetId/mark', {
      schema: { summary: 'The review team\'s mark for a target (0..points); a correction needs a reason', tags, params: targetParams, body: markBody, response: { 200: markEntry, ...errors } },
    }, async (request) => {
      const { cycleId, targetId } = request.params;
      const a = await access(ctx, request, cycleId, 'markTarget');
      await mayDoLedger(ctx, request, a, cycleId, 'markTarget', targetId);
      const { mark, note, reason } = request.body;
      return cycles.markTarget(cycleId, { actor: a.actor, targetId, mark, ...(note?.trim() && { note: note.trim() }), ...(reason?.trim() && { reason: reason.trim() }) });
    });

    app.put<{ Params: { cycleId: string; name: FigureName }; Body: { value: number | null; source: string; reason?: string } }>('/api/cycles/:cycleId/figures/:name', {
      schema: { summary: 'A figure of the efficiency office (public review, special evaluations, incentive, inspection) with its source; a correction needs a reason', tags, params: figureParams, body: figureBody, response: { 200: figureEntry, ...errors } },
    }, async (request) => {
      const { cycleId, name } = request.params;
      const a = await access(ctx, request, cycleId, 'enterFigure');
      await mayDoLedger(ctx, request, a, cycleId, 'enterFigure', `figure:${name}`);
      const { value, source, reason } = request.body;
      return cycles.enterFigure(cycleId, { actor: a.actor, figure: name, value, source: source.trim(), ...(reason?.trim() && { reason: reason.trim() }) });
    });

    app.put<{ Params: CycleP; Body: { vetoes: string[]; source: string; reason?: string } }>('/api/cycles/:cycleId/vetoes', {
      schema: { summary: 'The veto cases found by the efficiency office ([] for none), with the source; a correction needs a reason', tags, params: cycleParams, body: vetoesBody, response: { 200: { type: 'array', items: { type: 'string' } }, ...errors } },
    }, async (request) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'setVetoes');
      await mayDoLedger(ctx, request, a, cycleId, 'setVetoes', cycleId);
      const { vetoes, source, reason } = request.body;
      return cycles.setVetoes(cycleId, { actor: a.actor, vetoes, source: source.trim(), ...(reason?.trim() && { reason: reason.trim() }) });
    });

    app.get<{ Params: CycleP }>('/api/cycles/:cycleId/score', {
      schema: { summary: 'The unit\'s score with its breakdown, or what is still missing; marks, figures, vetoes and the grade once graded', tags, params: cycleParams, response: { 200: scoreResponse, ...errors } },
    }, async (request) => {
      const a = await access(ctx, request, request.params.cycleId);
      return visibleScore(ctx, a, request.params.cycleId);
    });

    app.post<{ Params: CycleP; Querystring: { format: BonusFormat } }>('/api/cycles/:cycleId/bonus', {
      schema: {
        summary: 'The bonus list from a staff roster and the unit\'s grade; the coordinator or the efficiency office',
        description: 'multipart/form-data with the roster in "roster" (.csv, .xlsx or .json: name, department, annual appraisal grade, long sick leave, joined, left or transferred). '
          + 'Answers with the list as .xlsx (default) or .csv, or with the report as JSON (format=json). Refused until the unit is graded.',
        tags, params: cycleParams, querystring: bonusQuerystring, consumes: ['multipart/form-data'], body: { content: rosterForm },
        response: { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse, 413: errorResponse },
      },
    }, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'bonus');
      await mayDoLedger(ctx, request, a, cycleId, 'bonus', cycleId);
      const { uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'roster' });
      const format = request.query.format ?? 'xlsx';
      const { report, bytes } = await bonusFile(ctx, cycleId, oneUpload(uploads, 'roster'), format);
      if (!bytes) return report;
      const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return reply.type(type)
        .header('content-disposition', `attachment; filename="${cycleId}-bonus-list.${format}"`)
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    });
  };
}
