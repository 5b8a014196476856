// The cycle pages: home (my cycles), my tasks, dashboard, the calendar of deadlines, a deliverable
// with its forms, the audit log and its CSV, scores. Every read and action goes through the same guard
// as the JSON API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditCsv } from '../../audit-format.js';
import type { StatusView } from '../../cycle-client.js';
import type { Person } from '../../../domain/cycle-file.js';
import { LIMITS } from '../../../domain/limits.js';
import { localDateOf, toZonedIso } from '../../../domain/time.js';
import type { MailTrouble } from '../../../store/mail-ledger.js';
import { UserError } from '../../errors.js';
import { auditFilterOf, filterAudit } from '../../portal/audit-filter.js';
import { pick, tr, type Lang } from '../../portal/i18n.js';
import { auditNames, auditWords, subjectText, type AuditWords } from '../../portal/audit-text.js';
import { auditPage, type Choice } from '../../portal/pages/audit.js';
import type { AuditEntry } from '../../../domain/audit.js';
import { dashboardPage, dashboardQuery, homePage, type Glance, type MailNews } from '../../portal/pages/cycle.js';
import { calendarPage } from '../../portal/pages/calendar.js';
import { cycleDeadlines } from '../../portal/deadlines.js';
import { historyOf, overdueHistory } from '../../portal/overdue-history.js';
import type { CycleInput } from '../../../domain/cycle.js';
import { deliverablePage } from '../../portal/pages/deliverable.js';
import { tasksPage } from '../../portal/pages/tasks.js';
import { canSee, canSeeTarget, mayAct, mayLedger, visibleAudit } from '../../portal/rights.js';
import { currentTasks, deadlinesOf, upcomingTasks } from '../../portal/tasks.js';
import { recordUses } from '../../file-store.js';
import { mayStart, startRegistered } from '../../cycle-start.js';
import type { ApiContext } from '../context.js';
import { sendSubmittedFile } from '../downloads.js';
import { access, authorizeAction, findDeliverable, visibleStatus } from '../guard.js';
import { readMultipart } from '../uploads.js';
import { cycleParams, deliverableParams, fileParams } from '../schemas/cycle.js';
import { frame, langOf, requireUser, sendPage } from './frame.js';
import { actingForTasks, itemDelegations, myDelegations, namesWithDelegates } from './delegation-pages.js';
import { html } from '../../portal/html.js';

type Form = Record<string, string | undefined>;

function recipientName(people: Person[], t: MailTrouble): string {
  const address = (/<([^>]+)>/.exec(t.recipient)?.[1] ?? t.recipient).trim().toLowerCase();
  const person = people.find((p) => p.id === t.personId) ?? people.find((p) => p.email.toLowerCase() === address);
  // The name the mail itself carried, should the directory no longer know the person.
  return person?.name ?? (t.recipient.replace(/<[^>]*>/, '').trim() || address);
}

/** The cycle's mails in trouble, from the mail ledger: for the unit-wide roles (dashboard and JSON). */
export async function mailNews(ctx: ApiContext, cycleId: string, people: Person[], zone: string): Promise<MailNews[]> {
  // A chat message a robot refused for good went by e-mail instead (the audit and the reach page say so):
  // nothing is held up, so it is not news here. One still being retried is, with its channel named.
  const troubles = (await ctx.cycles.store.mail.troubles(cycleId)).filter((t) => t.channel === 'email' || t.state !== 'refused');
  return troubles.map((t) => ({
    to: recipientName(people, t), subject: t.subject, ...((t.channel === 'dingtalk' || t.channel === 'wecom') && { channel: t.channel }), state: t.state, attempts: t.attempts, failures: t.failures,
    ...(t.error && { reason: { kind: t.error.kind, detail: t.error.message } }),
    since: toZonedIso(t.since, zone), ...(t.sentAt && { sentAt: toZonedIso(t.sentAt, zone) }),
  }));
}
type CycleP = { cycleId: string };
type DelivP = { cycleId: string; deliverableId: string };

export function cyclePages(ctx: ApiContext) {
  const hide = { schema: { hide: true } };
  // The path parameters have the API's checks (a NUL in a cycle id reached the database: a 500).
  const cycle = { schema: { hide: true, params: cycleParams } };
  const item = { schema: { hide: true, params: deliverableParams } };
  const file = { schema: { hide: true, params: fileParams } };
  /** The status of a running cycle; undefined when the cycle is known to the portal but not started. */
  const statusOf = (cycleId: string): Promise<StatusView | undefined> => ctx.cycles.status(cycleId).catch((err: unknown) => {
    if (err instanceof UserError && err.code === 'not-found') return undefined;
    throw err;
  });
  const myCycles = async (request: FastifyRequest) => {
    const id = requireUser(request);
    return request.signedInBy === 'header' ? ctx.directory.ids() : (await ctx.users.get(id))?.cycles ?? [];
  };
  /** The dashboard's charts beyond its counts: the audit tells when the cycle started and each item opened and closed. */
  const glanceOf = async (cycleId: string, input: CycleInput, status: StatusView): Promise<Glance> => {
    const { items, options } = historyOf(status.deliverables, input, await ctx.cycles.audit(cycleId), status.asOf);
    // A closed cycle's workflow may be gone: its score with it (the final score stays in the status).
    const score = status.finalScore === undefined ? undefined : await ctx.cycles.score(cycleId).catch((err: unknown) => {
      if (err instanceof UserError && err.code === 'not-found') return undefined;
      throw err;
    });
    return { history: overdueHistory(items, options), ...(score?.view.complete && { breakdown: score.view.breakdown }) };
  };
  const done = (reply: FastifyReply, p: DelivP, what: string) =>
    reply.redirect(`/cycles/${p.cycleId}/d/${p.deliverableId}?done=${what}`, 303);

  return async (app: FastifyInstance) => {
    app.get('/', hide, async (request, reply) => {
      const ids = await myCycles(request);
      if (ids.length === 1) return reply.redirect(`/cycles/${ids[0]}`, 303);
      const rows = [];
      for (const id of ids) {
        const input = await ctx.directory.get(id);
        if (input) rows.push({ input, ...(await statusOf(id).then((s) => (s ? { status: s } : {}))) });
      }
      const f = await frame(ctx, request, reply, '');
      return sendPage(reply, homePage({ ...f, title: tr(f.lang, 'cycles') }, rows));
    });

    app.get<{ Querystring: Form }>('/tasks', hide, async (request, reply) => {
      const me = requireUser(request);
      const f = await frame(ctx, request, reply, '');
      const current = [];
      const upcoming = [];
      const delegations = [];
      for (const id of await myCycles(request)) {
        const input = await ctx.directory.get(id);
        if (!input) continue;
        const status = await statusOf(id);
        const extra = { timeZone: input.timeZone, unit: `${input.unit.name} ${input.year}` };
        if (status) {
          current.push(...currentTasks(me, status, input).map((t) => ({ ...t, ...extra })));
          // What I do for others (委托), each marked with whom I act for.
          current.push(...actingForTasks(me, status, input).map((t) => ({ ...t, ...extra })));
          delegations.push(await myDelegations(ctx, f.lang, me, input, status));
        }
        upcoming.push(...upcomingTasks(me, input, status, ctx.now()).map((t) => ({ ...t, ...extra })));
      }
      const done = ({ delegated: 'doneDelegated', revoked: 'doneRevoked' } as const)[request.query.done ?? ''];
      return sendPage(reply, tasksPage({ ...f, title: tr(f.lang, 'tasks') }, { current, upcoming, delegations: html`${delegations}`, ...(done && { message: tr(f.lang, done) }) }));
    });

    app.get<{ Params: CycleP; Querystring: Form }>('/cycles/:cycleId', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId);
      if (!a.input) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle in the portal`, 'not-found');
      const status = await statusOf(cycleId);
      // Mail held up is news for those who follow the whole cycle (the same rule as its records).
      const mail = status && (!a.member || a.member.unitWide) ? await mailNews(ctx, cycleId, a.input.people, a.input.timeZone) : undefined;
      const visible = status && visibleStatus(a, status);
      const glance = visible && await glanceOf(cycleId, a.input, visible);
      const f = await frame(ctx, request, reply, '', cycleId);
      return sendPage(reply, dashboardPage({ ...f, title: tr(f.lang, 'dashboard') }, {
        input: a.input, ...(visible && { status: visible }), ...(a.member && { member: a.member }), ...(mail && { mail }), ...(glance && { glance }),
        canStart: !status && await mayStart(ctx.cycles.store, a.actor, a.input.unit.id),
        canImport: !a.member || mayLedger(a.member, 'importTargets', a.input), query: dashboardQuery(request.query),
      }));
    });

    app.get<{ Params: CycleP }>('/cycles/:cycleId/calendar', cycle, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId);
      const input = a.input;
      if (!input) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle in the portal`, 'not-found');
      const status = await statusOf(cycleId);
      // Items to come are seen by whoever will see them once open (the same rule).
      const m = a.member;
      const entries = cycleDeadlines(input, status && visibleStatus(a, status), (s) => !m || canSee(m, { ...s, actors: [], reviews: [] }, input));
      const f = await frame(ctx, request, reply, '', cycleId);
      return sendPage(reply, calendarPage({ ...f, title: tr(f.lang, 'calendar') }, { input, entries, today: localDateOf(status?.asOf ?? ctx.now(), input.timeZone) }));
    });

    app.post<{ Params: CycleP }>('/cycles/:cycleId/start', cycle, async (request, reply) => {
      const input = await ctx.directory.get(request.params.cycleId);
      if (!input) throw new UserError(`找不到评估周期 ${request.params.cycleId} / no such cycle`, 'not-found');
      await startRegistered(ctx, input, requireUser(request));
      return reply.redirect(`/cycles/${input.cycleId}`, 303);
    });

    app.get<{ Params: DelivP; Querystring: Form }>('/cycles/:cycleId/d/:deliverableId', item, async (request, reply) => {
      const { cycleId, deliverableId } = request.params;
      const a = await access(ctx, request, cycleId);
      const { status, d, a: as } = await findDeliverable(ctx, request, a, cycleId, deliverableId);
      const f = await frame(ctx, request, reply, '', cycleId);
      const nameOf = namesWithDelegates(a.input, status);
      // With the delegations to the reader: a colleague acting for someone gets that person's forms.
      const can = (verb: 'submit' | 'approve' | 'urge' | 'extend') => (as.member && as.input ? mayAct(as.member, verb, d, as.input) : true);
      const waiting = d.state === 'open' || d.state === 'in-review';
      // The targets this item reports on (its department's), each linking to its page with the evidence form.
      const targets = d.department
        ? (await ctx.cycles.targets(cycleId)).targets.filter((t) => t.departments.includes(d.department!) && (!a.member || canSeeTarget(a.member, t)))
        : [];
      const doneKey = ({
        submitted: 'doneSubmitted', approved: 'doneApproved', rejected: 'doneRejected', urged: 'doneUrged', extended: 'doneExtended',
        delegated: 'doneDelegated', revoked: 'doneRevoked',
      } as const)[request.query.done ?? ''];
      return sendPage(reply, deliverablePage({ ...f, title: pick(f.lang, d.title) }, {
        cycleId, d, zone: status.timeZone, nameOf, targets, deadlines: deadlinesOf(d, a.input),
        canSubmit: d.state === 'open' && can('submit'), canReview: d.state === 'in-review' && can('approve'),
        canUrge: waiting && can('urge'), canExtend: waiting && can('extend'),
        maxMb: Math.round(ctx.settings.maxUploadBytes / 1048576 * 10) / 10, types: ctx.settings.uploadTypes,
        ...(doneKey && { message: tr(f.lang, doneKey) }), ...(await itemDelegations(ctx, a, status, d)),
      }));
    });

    app.post<{ Params: DelivP }>('/cycles/:cycleId/d/:deliverableId/submit', item, async (request, reply) => {
      const p = request.params;
      // Rights first: a refused person's files are not even read.
      const { a } = await authorizeAction(ctx, request, p.cycleId, p.deliverableId, 'submit');
      // The files come with the form: the caller holds their bytes, so no check of who uploaded them first.
      const { fields, files } = await readMultipart(ctx, request);
      const note = (fields.note ?? '').trim().slice(0, 4000);
      await ctx.cycles.submit(p.cycleId, p.deliverableId, { actor: a.actor, ...(note && { note }), files });
      await recordUses(ctx.cycles.store, { cycleId: p.cycleId, subject: p.deliverableId, kind: 'submission', by: a.actor }, files);
      return done(reply, p, 'submitted');
    });

    app.post<{ Params: DelivP; Body: Form }>('/cycles/:cycleId/d/:deliverableId/approve', item, async (request, reply) => {
      const p = request.params;
      const { a } = await authorizeAction(ctx, request, p.cycleId, p.deliverableId, 'approve');
      const comment = (request.body?.comment ?? '').trim().slice(0, 4000);
      await ctx.cycles.approve(p.cycleId, p.deliverableId, { actor: a.actor, ...(comment && { comment }) });
      return done(reply, p, 'approved');
    });

    app.post<{ Params: DelivP; Body: Form }>('/cycles/:cycleId/d/:deliverableId/reject', item, async (request, reply) => {
      const p = request.params;
      const { a } = await authorizeAction(ctx, request, p.cycleId, p.deliverableId, 'reject');
      const reason = (request.body?.reason ?? '').trim().slice(0, 4000);
      if (!reason) throw new UserError('reason: 退回必须说明理由 / a rejection needs a reason');
      const due = request.body?.due?.trim();
      await ctx.cycles.reject(p.cycleId, p.deliverableId, { actor: a.actor, reason, ...(due && { due }) });
      return done(reply, p, 'rejected');
    });

    app.post<{ Params: DelivP; Body: Form }>('/cycles/:cycleId/d/:deliverableId/urge', item, async (request, reply) => {
      const p = request.params;
      const { a } = await authorizeAction(ctx, request, p.cycleId, p.deliverableId, 'urge');
      const message = (request.body?.message ?? '').trim().slice(0, LIMITS.message);
      await ctx.cycles.urge(p.cycleId, p.deliverableId, { actor: a.actor, ...(message && { message }) });
      return done(reply, p, 'urged');
    });

    app.post<{ Params: DelivP; Body: Form }>('/cycles/:cycleId/d/:deliverableId/extend', item, async (request, reply) => {
      const p = request.params;
      const { a } = await authorizeAction(ctx, request, p.cycleId, p.deliverableId, 'extend');
      const reason = (request.body?.reason ?? '').trim().slice(0, LIMITS.reason);
      if (!reason) throw new UserError('reason: 延期必须说明理由 / an extension needs a reason');
      await ctx.cycles.extend(p.cycleId, p.deliverableId, { actor: a.actor, due: (request.body?.due ?? '').trim(), reason });
      return done(reply, p, 'extended');
    });

    app.get<{ Params: DelivP & { sha256: string } }>('/cycles/:cycleId/d/:deliverableId/files/:sha256', file, async (request, reply) => {
      const p = request.params;
      const a = await access(ctx, request, p.cycleId, 'download');
      const { d } = await findDeliverable(ctx, request, a, p.cycleId, p.deliverableId, 'download');
      return sendSubmittedFile(ctx, reply, p.cycleId, d, p.sha256);
    });

    const audit = async (request: FastifyRequest<{ Params: CycleP; Querystring: Form }>, f: { lang: Lang }) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'audit');
      const status = await ctx.cycles.status(cycleId);
      let entries = await ctx.cycles.audit(cycleId);
      if (a.member) entries = visibleAudit(a.member, entries, new Set(visibleStatus(a, status).deliverables.map((d) => d.id)));
      // The targets' titles for the words; a closed cycle's workflow may be gone: then its ids.
      const targets = await ctx.cycles.targets(cycleId).then((t) => t.targets, () => []);
      const names = auditNames(a.input, { items: status.deliverables, targets, ...(status.delegations && { delegations: status.delegations }) });
      const words = auditWords(f.lang, entries, names);
      const all = entries.map((e, i) => ({ e, w: words[i]! }));
      const filter = auditFilterOf(request.query);
      const kept = new Set(filterAudit(entries, filter, status.timeZone));
      const choices = (pick: (x: { e: AuditEntry; w: AuditWords }) => Choice) =>
        [...new Map(all.map((x) => pick(x)).map((c) => [c.value, c])).values()].sort((p, q) => p.label.localeCompare(q.label, 'zh-CN'));
      return {
        zone: status.timeZone, filter, entries: all.filter((x) => kept.has(x.e)),
        actors: choices(({ e, w }) => ({ value: e.actor, label: w.actor })),
        actions: choices(({ e, w }) => ({ value: e.action, label: w.action })),
        // A mail's entry names several items: each is a choice of its own.
        subjects: [...new Map(entries.flatMap((e) => e.subject.split(',')).map((s) => [s, { value: s, label: subjectText(f.lang, s, names) }])).values()]
          .sort((p, q) => p.label.localeCompare(q.label, 'zh-CN')),
      };
    };

    app.get<{ Params: CycleP; Querystring: Form }>('/cycles/:cycleId/audit', cycle, async (request, reply) => {
      const f = await frame(ctx, request, reply, '', request.params.cycleId);
      const r = await audit(request, f);
      const at = Number.parseInt(request.query.page ?? '1', 10);
      return sendPage(reply, auditPage({ ...f, title: tr(f.lang, 'audit') }, { cycleId: request.params.cycleId, ...r, page: Number.isFinite(at) ? at : 1 }));
    });

    app.get<{ Params: CycleP; Querystring: Form }>('/cycles/:cycleId/audit.csv', cycle, async (request, reply) => {
      const { entries } = await audit(request, { lang: await langOf(ctx, request, reply) });
      return reply.type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.cycleId}-audit.csv"`)
        // The BOM makes Excel read the Chinese text as UTF-8.
        .send(`\uFEFF${auditCsv(entries.map((x) => x.e), entries.map((x) => x.w.text))}`);
    });
  };
}
