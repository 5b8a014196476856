// Sign-in pages: ask for a link or use a password; the link's confirm step; the account page (password,
// calendar feed, notice channels).
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SigninLimit } from '../plugins/signin-limit.js';
import { UserError } from '../../errors.js';
import { tr, ROLE_LABEL, pick } from '../../portal/i18n.js';
import { accountPage, linkPage, loginPage } from '../../portal/pages/signin.js';
import { memberOf } from '../../portal/rights.js';
import type { ApiContext } from '../context.js';
import { endSession, startSession } from '../plugins/actor.js';
import { changePassword } from '../routes/auth.js';
import { requestLink, signInWithLink, signInWithPassword } from '../signin.js';
import { frame, requireUser, sendPage, nextPath } from './frame.js';
import { noticeView, robotRights, setNotices } from '../notice-settings.js';
import { formError, noticeSection, type NoticeAttempt } from '../../portal/pages/notices.js';

type Form = Record<string, string | undefined>;

export function authPages(ctx: ApiContext, signinLimit: SigninLimit) {
  const outboxDir = ctx.sender.kind === 'outbox' ? resolve(ctx.settings.dataDir, 'outbox') : undefined;
  return async (app: FastifyInstance) => {
    const hide = { schema: { hide: true } };

    app.get<{ Querystring: Form }>('/login', hide, async (request, reply) => {
      const f = await frame(ctx, request, reply, tr('zh', 'signIn'));
      return sendPage(reply, loginPage({ ...f, title: tr(f.lang, 'signIn') }, { next: nextPath(request.query.next), ...(outboxDir && { outboxDir }) }));
    });

    // `next` is checked first: a bad one signs nobody in and sends no mail.
    app.post<{ Body: Form }>('/login/link', { ...hide, preHandler: signinLimit }, async (request, reply) => {
      const next = nextPath(request.body?.next);
      await requestLink(ctx, request, String(request.body?.login ?? '').slice(0, 200));
      const f = await frame(ctx, request, reply, tr('zh', 'signIn'));
      return sendPage(reply, loginPage({ ...f, url: '/login' }, { message: tr(f.lang, 'linkSent'), next, ...(outboxDir && { outboxDir }) }));
    });

    app.post<{ Body: Form }>('/login/password', { ...hide, preHandler: signinLimit }, async (request, reply) => {
      const next = nextPath(request.body?.next);
      const account = await signInWithPassword(ctx, String(request.body?.login ?? '').slice(0, 200), String(request.body?.password ?? '').slice(0, 200));
      if (!account) {
        const f = await frame(ctx, request, reply, tr('zh', 'signIn'));
        return sendPage(reply, loginPage({ ...f, url: '/login' }, { error: tr(f.lang, 'wrongPassword'), next }), 401);
      }
      await startSession(ctx, reply, account, 'password');
      return reply.redirect(next, 303);
    });

    app.get<{ Params: { token: string } }>('/auth/link/:token', hide, async (request, reply) => {
      const f = await frame(ctx, request, reply, tr('zh', 'signIn'));
      return sendPage(reply, linkPage({ ...f, title: tr(f.lang, 'signIn') }, request.params.token.slice(0, 200)));
    });

    app.post<{ Body: Form }>('/auth/link', { ...hide, preHandler: signinLimit }, async (request, reply) => {
      const account = await signInWithLink(ctx, String(request.body?.token ?? ''));
      if (!account) {
        const f = await frame(ctx, request, reply, tr('zh', 'signIn'));
        return sendPage(reply, loginPage({ ...f, url: '/login' }, { error: tr(f.lang, 'linkBad'), ...(outboxDir && { outboxDir }) }), 401);
      }
      await startSession(ctx, reply, account, 'link');
      return reply.redirect('/', 303);
    });

    app.post('/logout', hide, async (request, reply) => {
      await endSession(ctx, request, reply);
      return reply.redirect('/login', 303);
    });

    const account = async (request: Parameters<typeof requireUser>[0], reply: Parameters<typeof sendPage>[0], msg: { message?: string; error?: string; attempt?: NoticeAttempt } = {}, status = 200) => {
      const id = requireUser(request);
      const a = await ctx.users.get(id);
      if (!a) throw new UserError(`${id}: 没有该账号 / no such account (signed in by header?)`, 'not-found');
      const f = await frame(ctx, request, reply, '');
      const roles: string[] = [];
      for (const cycleId of a.cycles) {
        const input = await ctx.directory.get(cycleId);
        const m = input && memberOf(input, id);
        if (!m) continue;
        const names = [...m.roles.map((r) => pick(f.lang, ROLE_LABEL[r]!)), ...m.owns.map((d) => `${pick(f.lang, ROLE_LABEL.owner!)} ${d}`), ...m.leads.map((d) => `${pick(f.lang, ROLE_LABEL.leader!)} ${d}`)];
        roles.push(`${input.unit.name} ${input.year}: ${names.join(', ') || '-'}`);
      }
      // Notice channels (issue 9): for a person of the directory (an account always is, except in header mode).
      const person = await ctx.cycles.store.directory.person(id);
      const rights = person && await robotRights(ctx, id);
      const notices = person && noticeSection(f.lang, {
        view: await noticeView(ctx, id), ...(msg.attempt && { attempt: msg.attempt }), canManageRobots: !!rights && (rights.admin || rights.units.length > 0),
      });
      return sendPage(reply, accountPage({ ...f, title: tr(f.lang, 'account') }, {
        id, email: a.email, roles, hasPassword: !!a.password, needCurrent: !!a.password && request.signedInBy !== 'link',
        icalUrl: `${ctx.settings.publicUrl}/ical/${a.icalToken}.ics`, ...(msg.message && { message: msg.message }), ...(msg.error && { error: msg.error }), ...(notices && { notices }),
      }), status);
    };

    app.get<{ Querystring: Form }>('/account', hide, async (request, reply) => {
      const lang = (await frame(ctx, request, reply, '')).lang;
      return account(request, reply, request.query.done === 'notices' ? { message: tr(lang, 'noticesSaved') } : {});
    });

    // 通知渠道: the person's own channels and quiet hours (both times, or neither).
    app.post<{ Body: Record<string, string | string[] | undefined> }>('/account/notices', hide, async (request, reply) => {
      const id = requireUser(request);
      const b = request.body ?? {};
      const channels = [b.channels ?? []].flat().map(String);
      const [quietStart, quietEnd] = [b.quietStart, b.quietEnd].map((v) => String([v ?? ''].flat()[0] ?? '').trim()) as [string, string];
      const attempt = { channels, quietStart, quietEnd };
      const lang = (await frame(ctx, request, reply, '')).lang;
      if (!quietStart !== !quietEnd) return account(request, reply, { error: tr(lang, 'quietBoth'), attempt }, 400);
      try {
        await setNotices(ctx, id, { channels, ...(quietStart && { quiet: { start: quietStart, end: quietEnd } }) }, '');
      } catch (err) {
        if (err instanceof UserError && err.code === 'invalid') return account(request, reply, { error: formError(lang, err.message), attempt }, 400);
        throw err;
      }
      return reply.redirect('/account?done=notices#notices', 303);
    });

    app.post<{ Body: Form }>('/account/password', hide, async (request, reply) => {
      const id = requireUser(request);
      try {
        const a = await changePassword(ctx, id, request.signedInBy, { password: String(request.body?.password ?? ''), ...(request.body?.current && { current: request.body.current }) });
        // The new password ends older sessions; this one goes on.
        await startSession(ctx, reply, a, request.signedInBy === 'link' ? 'link' : 'password');
        request.actorId = a.id;
        return account(request, reply, { message: tr((await frame(ctx, request, reply, '')).lang, 'passwordSet') });
      } catch (err) {
        if (err instanceof UserError) return account(request, reply, { error: err.message }, err.code === 'refused' ? 403 : 400);
        throw err;
      }
    });

    app.post('/account/ical', hide, async (request, reply) => {
      await ctx.users.newIcalToken(requireUser(request));
      return reply.redirect('/account', 303);
    });
  };
}
