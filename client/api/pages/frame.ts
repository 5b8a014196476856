// What every page handler needs: the language (query, then cookie, then the person's own), the
// frame for the layout, a safe "next" address, and the page form of errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BUSY_RETRY_AFTER_SECONDS, HTTP_STATUS, UserError } from '../../errors.js';
import type { Lang } from '../../portal/i18n.js';
import { errorPage } from '../../portal/pages/signin.js';
import type { Frame } from '../../portal/pages/layout.js';
import type { ApiContext } from '../context.js';
import { SignInRequired } from '../plugins/actor.js';
import { CSRF_FIELD, csrfToken } from '../plugins/csrf.js';
import { escape } from '../../portal/html.js';
import { auditNames, directoryAuditNames, spoken } from '../../portal/audit-text.js';

const LANG_COOKIE = 'perfcycle_lang';

export async function langOf(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply): Promise<Lang> {
  const q = (request.query as Record<string, unknown> | undefined)?.lang;
  if (q === 'en' || q === 'zh') {
    reply.setCookie(LANG_COOKIE, q, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 86_400 });
    return q;
  }
  const c = request.cookies[LANG_COOKIE];
  if (c === 'en' || c === 'zh') return c;
  const account = request.actorId ? await ctx.users.get(request.actorId) : undefined;
  return account?.lang === 'en' ? 'en' : 'zh';
}

export async function frame(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply, title: string, cycleId?: string): Promise<Frame> {
  const lang = await langOf(ctx, request, reply);
  const account = request.actorId ? await ctx.users.get(request.actorId) : undefined;
  return {
    lang, title, url: request.url, ...(cycleId && { cycleId }),
    ...(request.actorId && { user: { id: request.actorId, name: account?.name ?? request.actorId } }),
    ...(request.actorId && await ctx.cycles.store.directory.isAdmin(request.actorId) && { admin: true }),
  };
}

async function directoryNamesFor(ctx: ApiContext) {
  const d = ctx.cycles.store.directory;
  return directoryAuditNames({ units: await d.units(), departments: await d.departments(), people: await d.people() });
}

const SITE = 'http://perfcycle.invalid';

/**
 * Where to go after signing in: a path on this site, or a 400 naming `next`. A plain "starts with one
 * slash" check let through what browsers read otherwise: they drop tabs and newlines from a URL, so
 * `/\t/evil.example` is `//evil.example` (another site), and a newline made Node refuse the Location
 * header (a 500 that named the header). The answer is the path as the URL parser reads it, so non-ASCII
 * is percent-encoded and the header always valid.
 */
export function nextPath(value: unknown): string {
  if (value === undefined || value === null || value === '') return '/';
  const s = String(value);
  if (s.length <= 2000 && /^\/(?![/\\])[^\s\\\u0000-\u001f\u007f]*$/u.test(s)) {
    const url = new URL(s, SITE);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments can turn into a leading "//" (`/.//evil.example`): checked again as the browser will read it.
    if (url.origin === SITE && !path.startsWith('//')) return path;
  }
  throw new UserError('next: 登录后只能转到本站的页面 / must be a page of this site');
}

/** For a back link: the same rule as nextPath, and the dashboard instead of an error. */
export function safeNext(next: unknown): string {
  try {
    return nextPath(next);
  } catch {
    return '/';
  }
}

export function requireUser(request: FastifyRequest): string {
  if (!request.actorId) throw new SignInRequired();
  return request.actorId;
}

/** Pages answer errors with a page (or the sign-in page), not JSON. */
export function registerPageErrors(app: FastifyInstance, ctx: ApiContext): void {
  app.setErrorHandler(async (err: Error & { statusCode?: number; validation?: unknown }, request, reply) => {
    if (err instanceof SignInRequired) return reply.redirect(`/login?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`, 303);
    const status = err instanceof UserError
      ? HTTP_STATUS[err.code]
      : err.validation ? 400 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    let message = err.message;
    if (status === 500) {
      const ref = crypto.randomUUID();
      request.log.error({ err, ref }, 'page failed');
      message = `服务器内部错误，参考号 ${ref} / internal error, reference ${ref}`;
    }
    if (err instanceof UserError && err.code === 'busy') void reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
    const f = await frame(ctx, request, reply, '');
    // In the reader's language, people and items by name (the cycle's, when the page is one of a cycle's).
    const cycleId = /^\/cycles\/([\w.-]{1,200})(?:[/?]|$)/.exec(request.url)?.[1];
    const input = cycleId ? await ctx.directory.get(cycleId).catch(() => undefined) : undefined;
    // Elsewhere (the directory's pages, the robots), the directory's people and units for a signed-in person.
    message = spoken(f.lang, message, input || !request.actorId ? auditNames(input) : await directoryNamesFor(ctx).catch(() => auditNames(undefined)));
    const back = typeof request.headers.referer === 'string' && request.headers.referer.startsWith(ctx.settings.publicUrl)
      ? request.headers.referer.slice(ctx.settings.publicUrl.length) : undefined;
    const here = request.url.split('?')[0]!.replace(/\/(submit|approve|reject|start|targets|evidence|marks|figures|vetoes|bonus)$/, '');
    return sendPage(reply, errorPage(f, { status, message, back: safeNext(back ?? here) }), status);
  });
}

/**
 * Every POST form of the page gets the CSRF token (plugins/csrf.ts): a hidden `_csrf` field, and for a
 * multipart form also in its action's query, where it is read before the files. All user text in a page
 * is escaped (client/portal/html.ts), so every `<form` here is one of the templates'.
 */
function withCsrfToken(body: string, token: string): string {
  const field = `<input type="hidden" name="${CSRF_FIELD}" value="${escape(token)}">`;
  return body.replace(/<form\b[^>]*>/g, (tag) => {
    if (!/\smethod="post"/i.test(tag)) return tag;
    const multipartForm = /\senctype="multipart\/form-data"/i.test(tag)
      ? tag.replace(/\saction="([^"]*)"/, (_, action: string) => ` action="${action}${action.includes('?') ? '&amp;' : '?'}${CSRF_FIELD}=${encodeURIComponent(token)}"`)
      : tag;
    return `${multipartForm}${field}`;
  });
}

/** A page: its forms carry the CSRF token; the security headers (CSP: scripts of this site only, none inline; no framing; forms
 * only to this site) are @fastify/helmet's, for every answer (plugins/csrf.ts). */
export function sendPage(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(withCsrfToken(body, csrfToken(reply)));
}
