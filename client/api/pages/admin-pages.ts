// The /admin page of the organisation directory: the same checks and store calls as the JSON API
// (directory-admin.ts); a non-administrator gets the 403 page, and the refusal is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../../errors.js';
import { tr } from '../../portal/i18n.js';
import { adminPage, type AdminView } from '../../portal/pages/admin.js';
import type { ApiContext } from '../context.js';
import { directoryView, editPerson, importUpload, requireAdmin } from '../directory-admin.js';
import { adminQuerystring, personParams } from '../schemas/directory.js';
import { oneUpload, TABLE_TYPES } from '../tables.js';
import { readMultipart } from '../uploads.js';
import { frame, sendPage } from './frame.js';
import { robotsView } from './notice-pages.js';
import { robotsSection } from '../../portal/pages/notices.js';
import { actorOf } from '../plugins/actor.js';

type Query = { edit?: string; added?: number; changed?: number; saved?: string; robot?: 'saved' | 'removed' };

export function adminPages(ctx: ApiContext) {
  const show = async (request: FastifyRequest, reply: FastifyReply, o: Partial<AdminView>, status = 200) => {
    const view = await directoryView(ctx);
    const f = await frame(ctx, request, reply, '');
    // The notice robots of every unit (issue 9): an administrator manages them all.
    const robots = robotsSection(f.lang, await robotsView(ctx, { actor: actorOf(request), admin: true, units: view.units }, '/admin', f.lang));
    return sendPage(reply, adminPage({ ...f, title: tr(f.lang, 'directory') }, { ...view, robots, ...o }), status);
  };
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Query }>('/admin', { schema: { hide: true, querystring: adminQuerystring } }, async (request, reply) => {
      await requireAdmin(ctx, request, 'view');
      const q = request.query;
      const lang = (await frame(ctx, request, reply, '')).lang;
      const editing = q.edit ? await ctx.cycles.store.directory.person(q.edit) : undefined;
      const message = q.added !== undefined ? tr(lang, 'directoryImported', { added: q.added, changed: q.changed ?? 0 })
        : q.saved !== undefined ? tr(lang, 'personSaved')
          : q.robot === 'saved' ? tr(lang, 'robotSaved') : q.robot === 'removed' ? tr(lang, 'robotRemoved') : undefined;
      return show(request, reply, { ...(editing && { editing }), ...(message && { message }) });
    });

    app.post('/admin/import', { schema: { hide: true } }, async (request, reply) => {
      const actor = await requireAdmin(ctx, request, 'import');
      try {
        const { uploads } = await readMultipart(ctx, request, { types: TABLE_TYPES, field: 'file' });
        const { added, changed } = await importUpload(ctx, oneUpload(uploads, 'file'), actor);
        return reply.redirect(`/admin?added=${added.length}&changed=${changed.length}`, 303);
      } catch (err) {
        if (err instanceof UserError && err.code === 'invalid') return show(request, reply, { error: err.message }, 400);
        throw err;
      }
    });

    app.post<{ Params: { id: string }; Body: Record<string, string | undefined> }>('/admin/people/:id', { schema: { hide: true, params: personParams } }, async (request, reply) => {
      const { id } = request.params;
      const actor = await requireAdmin(ctx, request, 'edit', id);
      const b = request.body ?? {};
      try {
        await editPerson(ctx, id, {
          ...(b.name !== undefined && { name: String(b.name) }), ...(b.email !== undefined && { email: String(b.email) }),
          ...(b.phone !== undefined && { phone: String(b.phone).trim() || null }),
        }, actor, 'person');
        return reply.redirect('/admin?saved=1', 303);
      } catch (err) {
        if (!(err instanceof UserError && err.code === 'invalid')) throw err;
        const editing = await ctx.cycles.store.directory.person(id);
        return show(request, reply, { error: err.message, ...(editing && { editing }) }, 400);
      }
    });
  };
}
