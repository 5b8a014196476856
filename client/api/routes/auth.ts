// Sign-in over JSON: ask for a link by e-mail, use it, or sign in with a password; the account's
// own data; set a password. Each sign-in route counts against one per-address limit.
import type { FastifyInstance } from 'fastify';
import type { SigninLimit } from '../plugins/signin-limit.js';
import { PASSWORD_MIN, hashPassword, verifyPassword } from '../../portal/password.js';
import { memberOf } from '../../portal/rights.js';
import { UserError } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { actorOf, endSession, startSession } from '../plugins/actor.js';
import { CSRF_HEADER, csrfToken } from '../plugins/csrf.js';
import { LINK_ANSWER_MS, linksSettled, requestLink, signInWithLink, signInWithPassword } from '../signin.js';
import { consumeBody, linkBody, passwordSignInBody, sessionResponse, setPasswordBody } from '../schemas/auth.js';
import { errorResponse } from '../schemas/cycle.js';

const errors = { 400: errorResponse, 401: errorResponse, 429: errorResponse };

export function authRoutes(ctx: ApiContext, signinLimit: SigninLimit) {
  return async (app: FastifyInstance) => {
    // The link is mailed beside the answer (signin.ts): a closing server lets the mails finish.
    app.addHook('onClose', async () => linksSettled());
    app.post<{ Body: { login: string } }>('/api/auth/link', {
      preHandler: signinLimit,
      schema: {
        summary: 'E-mail a one-time sign-in link (answers the same, in the same time, whether the account exists or not)',
        description: `Answers after ${LINK_ANSWER_MS} ms whatever the login; the mail is sent meanwhile.`,
        tags: ['auth'], body: linkBody, response: { 202: { type: 'object', properties: { sent: { type: 'boolean' } } }, ...errors },
      },
    }, async (request, reply) => {
      await requestLink(ctx, request, request.body.login);
      return reply.status(202).send({ sent: true });
    });

    app.post<{ Body: { token: string } }>('/api/auth/link/consume', {
      preHandler: signinLimit,
      schema: { summary: 'Sign in with the token of a link (once)', tags: ['auth'], body: consumeBody, response: { 200: sessionResponse, ...errors } },
    }, async (request, reply) => {
      const account = await signInWithLink(ctx, request.body.token);
      if (!account) throw new HttpError(401, 'unauthenticated', 'token: 链接无效、已使用或已过期 / invalid, used or expired link');
      return { user: { id: account.id, name: account.name }, ...(await startSession(ctx, reply, account, 'link')), csrfToken: csrfToken(reply) };
    });

    app.post<{ Body: { login: string; password: string } }>('/api/auth/password', {
      preHandler: signinLimit,
      schema: { summary: 'Sign in with a password', tags: ['auth'], body: passwordSignInBody, response: { 200: sessionResponse, ...errors } },
    }, async (request, reply) => {
      const account = await signInWithPassword(ctx, request.body.login, request.body.password);
      if (!account) throw new HttpError(401, 'unauthenticated', 'password: 账号或密码错误 / wrong account or password');
      return { user: { id: account.id, name: account.name }, ...(await startSession(ctx, reply, account, 'password')), csrfToken: csrfToken(reply) };
    });

    app.post('/api/auth/logout', { schema: { summary: 'Sign out: the session ends on the server (its token is refused from now on) and the cookie is cleared', tags: ['auth'], response: { 204: { type: 'null' } } } }, async (request, reply) => {
      await endSession(ctx, request, reply);
      return reply.status(204).send();
    });

    app.get('/api/auth/csrf', {
      schema: {
        summary: `A CSRF token: send it as ${CSRF_HEADER} with every POST/PUT that carries the session cookie (not needed with Authorization: Bearer)`,
        tags: ['auth'], response: { 200: { type: 'object', properties: { csrfToken: { type: 'string' } } } },
      },
    }, async (_request, reply) => ({ csrfToken: csrfToken(reply) }));

    app.get('/api/me', { schema: { summary: 'The signed-in person, their cycles and roles, whether they administer the organisation directory, and their calendar feed', tags: ['auth'], response: { 401: errorResponse } } }, async (request) => {
      const id = actorOf(request);
      const account = await ctx.users.get(id);
      const cycles = [];
      for (const cycleId of account?.cycles ?? []) {
        const input = await ctx.directory.get(cycleId);
        const m = input && memberOf(input, id);
        if (m) cycles.push({ cycleId, unit: input.unit, year: input.year, roles: m.roles, owns: m.owns, leads: m.leads });
      }
      return {
        id, name: account?.name ?? id, email: account?.email, lang: account?.lang, signedInBy: request.signedInBy,
        admin: await ctx.cycles.store.directory.isAdmin(id),
        hasPassword: !!account?.password, cycles, ...(account && { icalUrl: `${ctx.settings.publicUrl}/ical/${account.icalToken}.ics` }),
      };
    });

    app.put<{ Body: { password: string; current?: string } }>('/api/me/password', {
      schema: { summary: 'Set or change one\'s password', tags: ['auth'], body: setPasswordBody, response: { 200: sessionResponse, ...errors } },
    }, async (request, reply) => {
      const account = await changePassword(ctx, actorOf(request), request.signedInBy, request.body);
      return { user: { id: account.id, name: account.name }, ...(await startSession(ctx, reply, account, 'password')), csrfToken: csrfToken(reply) };
    });
  };
}

/** After a link sign-in the mailbox is the proof; after a password sign-in the current password is asked again. */
export async function changePassword(ctx: ApiContext, id: string, by: string | undefined, body: { password: string; current?: string }) {
  const account = await ctx.users.get(id);
  if (!account) throw new UserError(`${id}: 没有该账号 / no such account`, 'not-found');
  if (body.password.length < PASSWORD_MIN) throw new UserError(`password: 至少 ${PASSWORD_MIN} 位 / at least ${PASSWORD_MIN} characters`);
  if (account.password && by !== 'link' && !(await verifyPassword(body.current ?? '', account.password))) {
    throw new UserError('current: 当前密码错误 / wrong current password', 'refused');
  }
  return ctx.users.setPassword(id, await hashPassword(body.password));
}
