// The cycle's records kept in the database: the audit chain's check, the review package archived
// when the review window closed, the mails held up or delivered after failures, and the ledger (台账)
// and the audit as Excel workbooks (client/ledger.ts), in zh-CN or, with ?lang=en, English. For the people
// who follow the whole cycle (office, director, efficiency office); anyone else is refused and the
// refusal audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../../errors.js';
import { auditXlsx, ledgerFile, ledgerFileName, readLedger, type LedgerFormat } from '../../ledger.js';
import { auditFilterOf, filterAudit } from '../../portal/audit-filter.js';
import type { Lang } from '../../portal/i18n.js';
import type { ApiContext } from '../context.js';
import { access, refuse } from '../guard.js';
import { mailNews } from '../pages/cycle-pages.js';
import { mailReason } from '../../portal/pages/cycle.js';
import { DEFAULT_ZONE } from '../../../domain/time.js';
import { cycleParams, errorResponse } from '../schemas/cycle.js';
import { auditXlsxQuerystring, ledgerQuerystring } from '../schemas/ledger.js';

const errors = { 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** The words of a download (sheets, headers, states, names of roles): zh-CN unless English is asked for. */
const lang = { type: 'string', enum: ['zh', 'zh-CN', 'en'], default: 'zh', description: 'sheets, headers and words in zh-CN (default) or English; codes stay as they are' } as const;
const withLang = <S extends { properties: object }>(schema: S) => ({ ...schema, properties: { ...schema.properties, lang } });
type LangQuery = { lang?: 'zh' | 'zh-CN' | 'en' };
const langOf = (q: { lang?: string }): Lang => (q.lang === 'en' ? 'en' : 'zh');
const downloadErrors = { 400: errorResponse, ...errors };

const TYPES: Record<LedgerFormat, string> = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv; charset=utf-8' };

/** RFC 5987: percent-encoded UTF-8, with the characters encodeURIComponent leaves but the attr-char grammar does not allow. */
const rfc5987 = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** A file to save, never shown inline: an ASCII name for old clients, the Chinese one as filename*. */
function sendDownload(reply: FastifyReply, format: LedgerFormat, bytes: Buffer, name: string, asciiName: string) {
  return reply.type(TYPES[format])
    .header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${rfc5987(name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(bytes);
}

async function unitWide(ctx: ApiContext, request: FastifyRequest, cycleId: string, action: string): Promise<void> {
  const a = await access(ctx, request, cycleId, action);
  if (!a.member || a.member.unitWide) return;
  await refuse(ctx, request, cycleId, {
    actor: a.actor, action, subject: cycleId,
    reason: `${a.actor} 无权查看整个周期的记录，仅局办公室、局长和市效能办可以 / ${a.actor} may not read the whole cycle's records; only the office, the director and the efficiency office may`,
  });
}

export function recordRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/audit/verify', {
      schema: { summary: 'Recompute the audit\'s hash chain; names the first row that does not match', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      await unitWide(ctx, request, request.params.cycleId, 'verifyAudit');
      return ctx.cycles.verifyAudit(request.params.cycleId);
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/review-package', {
      schema: { summary: 'Everything collected when the review window closed', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      await unitWide(ctx, request, request.params.cycleId, 'reviewPackage');
      const pkg = await ctx.cycles.store.cycles.reviewPackage(request.params.cycleId);
      if (pkg === undefined) throw new UserError(`${request.params.cycleId}: 考评窗口尚未关闭，还没有考评材料包 / the review window has not closed: no review package yet`, 'not-found');
      return pkg;
    });

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/mail', {
      schema: { summary: 'Mails held up (still retried, or refused) and those delivered after failures in the last day', tags: ['cycles'], params: cycleParams, response: errors },
    }, async (request) => {
      const { cycleId } = request.params;
      await unitWide(ctx, request, cycleId, 'mailTroubles');
      const input = await ctx.directory.get(cycleId);
      const news = await mailNews(ctx, cycleId, input?.people ?? [], input?.timeZone ?? DEFAULT_ZONE);
      // The reason in plain words in both languages, as the dashboard says it, then the server's own.
      const said = news.map((m) => ({ ...m, ...(m.reason && { reason: { ...m.reason, zh: mailReason('zh', m.reason.kind), en: mailReason('en', m.reason.kind) } }) }));
      return { cycleId, mail: said.filter((m) => m.state !== 'delivered'), delivered: said.filter((m) => m.state === 'delivered') };
    });

    app.get<{ Params: { cycleId: string }; Querystring: { format?: LedgerFormat } & LangQuery }>('/api/cycles/:cycleId/ledger', {
      schema: {
        summary: 'The ledger (台账): every deliverable and target with owner, department, leader, due date, state, submission, approval and days late',
        description: 'An Excel workbook (sheets 事项台账, 目标台账, 审计记录, 说明; default) or, with format=csv, deliverables and targets in one CSV table '
          + '(UTF-8 with BOM, formula-like cells neutralised). Names of people and departments, with their ids in the 代码 columns. '
          + 'The office, the director and the efficiency office only.',
        tags: ['cycles'], params: cycleParams, querystring: withLang(ledgerQuerystring), response: downloadErrors,
      },
    }, async (request, reply) => {
      const { cycleId } = request.params;
      await unitWide(ctx, request, cycleId, 'ledger');
      const src = await readLedger(ctx.cycles, cycleId);
      const format = request.query.format ?? 'xlsx';
      const words = langOf(request.query);
      return sendDownload(reply, format, await ledgerFile(src, format, words), ledgerFileName(src.input, 'ledger', format, words), `${cycleId}-ledger.${format}`);
    });

    app.get<{ Params: { cycleId: string }; Querystring: Record<string, string> }>('/api/cycles/:cycleId/audit.xlsx', {
      schema: {
        summary: 'The audit as an Excel workbook (sheet 审计记录), with the same filters as the audit',
        description: 'Names of people beside their ids, times as Excel dates in the cycle\'s zone and as ISO-8601. The office, the director and the efficiency office only.',
        tags: ['cycles'], params: cycleParams, querystring: withLang(auditXlsxQuerystring), response: downloadErrors,
      },
    }, async (request, reply) => {
      const { cycleId } = request.params;
      await unitWide(ctx, request, cycleId, 'auditXlsx');
      const src = await readLedger(ctx.cycles, cycleId);
      const entries = filterAudit(src.audit, auditFilterOf(request.query), src.status.timeZone);
      const words = langOf(request.query);
      return sendDownload(reply, 'xlsx', await auditXlsx(src, entries, words), ledgerFileName(src.input, 'audit', 'xlsx', words), `${cycleId}-audit.xlsx`);
    });
  };
}
