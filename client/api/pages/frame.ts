// What every page handler needs: the language (query, then cookie, then the person's own), the
// frame for the layout, a safe "next" address, and the page form of errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserError } from '../../errors.js';
import type { Lang } from '../../portal/i18n.js';
import { errorPage } from '../../portal/pages/signin.js';
import type { Frame } from '../../portal/pages/layout.js';
import type { ApiContext } from '../context.js';
import { SignInRequired } from '../plugins/actor.js';

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
  };
}

/** Only a path on this site: never "//elsewhere" or "https://…", so a link cannot send people away. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
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
      ? ({ invalid: 400, refused: 403, 'not-found': 404, conflict: 409 } as const)[err.code]
      : err.validation ? 400 : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    let message = err.message;
    if (status === 500) {
      const ref = crypto.randomUUID();
      request.log.error({ err, ref }, 'page failed');
      message = `服务器内部错误，参考号 ${ref} / internal error, reference ${ref}`;
    }
    const f = await frame(ctx, request, reply, '');
    const back = typeof request.headers.referer === 'string' && request.headers.referer.startsWith(ctx.settings.publicUrl)
      ? request.headers.referer.slice(ctx.settings.publicUrl.length) : undefined;
    const here = request.url.split('?')[0]!.replace(/\/(submit|approve|reject|start|targets|evidence|marks|figures|vetoes|bonus)$/, '');
    return sendPage(reply, errorPage(f, { status, message, back: safeNext(back ?? here) }), status);
  });
  // Cookies are SameSite=Lax already; refusing a form posted from another site is a second guard.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (request.method === 'POST' && origin && origin !== 'null' && hostOf(origin) !== request.headers.host) {
      return reply.status(403).type('text/plain; charset=utf-8').send('cross-site form refused / 拒绝跨站提交');
    }
    return undefined;
  });
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

// No scripts, no framing (a hidden approve button under a decoy page), forms only to this site, and
// no Referer with a sign-in token in it to anyone.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function sendPage(reply: FastifyReply, body: string, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', CSP)
    .header('referrer-policy', 'same-origin')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
