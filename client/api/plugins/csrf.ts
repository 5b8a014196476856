// Forged requests (issue 8, finding #3). A page of another site, or of another port of the same host (the
// same "site" for SameSite cookies), could make a signed-in person's browser approve an item or change
// their password: by a form posted straight to the API (it took form bodies), or by a 307 redirect of
// its own POST (the browser then sends `Origin: null`, which the old check let through). Four guards:
//
// 1. Origin: a state-changing request (POST, PUT, PATCH, DELETE) whose Origin is not this site (the
//    address it was sent to, or PUBLIC_URL) is refused, and so is `Origin: null`; so is one that the
//    browser marks `Sec-Fetch-Site: cross-site` or `same-site` (our own pages are `same-origin`).
// 2. Tokens (@fastify/csrf-protection): every state-changing page request, and every API request that
//    carries the session cookie, needs a token bound to the browser (a secret in the cookie
//    perfcycle_csrf) and to the session it presents (an HMAC with PORTAL_CSRF_KEY), so a cookie set by
//    a page on another port cannot forge one. Pages carry it in a hidden `_csrf` field of every POST
//    form (added by sendPage; multipart forms carry it in their action's query, read before the body);
//    API callers send it as `x-csrf-token` (GET /api/auth/csrf, or `csrfToken` of a sign-in answer).
//    A bearer token (Authorization) or the operators' header mode needs none: a browser never adds
//    those headers by itself, and another site's script may not without a CORS answer it never gets.
// 3. Media types: an API route takes JSON (or multipart where its schema `consumes` it); a form body or
//    text/plain, which any page can post, is a 415 naming the type. Form parsing is the pages' only, and
//    a page's POST takes only what its forms send (form-encoded, multipart).
// 4. Headers (@fastify/helmet): a CSP with scripts only from this site (the dashboard's charts,
//    routes/assets.ts; no inline script) and only the pages' own <style> (by its hash), no framing,
//    forms only to this site; nosniff, Referrer-Policy same-origin, and HSTS over HTTPS.
import { createHash, randomBytes } from 'node:crypto';
import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clip } from '../../../domain/limits.js';
import { STYLE_HASH } from '../../portal/pages/layout.js';
import type { PortalSettings } from '../../portal/settings.js';
import { HttpError } from '../http-error.js';
import { SESSION_COOKIE } from './actor.js';

export const CSRF_COOKIE = 'perfcycle_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/** Without PORTAL_CSRF_KEY: one key for every API instance of this process, new at each start. */
const PROCESS_KEY = randomBytes(32).toString('base64url');
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

declare module 'fastify' {
  interface FastifyRequest {
    /** The session this request's answer belongs to, once it signs in (token) or out (null). */
    csrfSession?: string | null;
  }
}

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

/** What a token is bound to: the session the browser presents (hashed), or "visitor" before sign-in. */
function bindingOf(request: FastifyRequest): string {
  const session = request.csrfSession !== undefined ? request.csrfSession : request.cookies[SESSION_COOKIE];
  return session ? createHash('sha256').update(`perfcycle-csrf|${session}`).digest('base64url') : 'visitor';
}

/** Whether the caller's authority comes with the browser by itself (cookie), so it needs a token. */
function needsToken(request: FastifyRequest, settings: PortalSettings): boolean {
  if (/^Bearer ./i.test(request.headers.authorization ?? '')) return false;
  if (settings.trustHeader && typeof request.headers['x-perfcycle-user'] === 'string') return false;
  // The API without the session cookie acts for nobody (sign-in by JSON, which no form can send).
  return isApi(request) ? request.cookies[SESSION_COOKIE] !== undefined : true;
}

function tokenOf(request: FastifyRequest): string | undefined {
  const body = request.body as Record<string, unknown> | null | undefined;
  const field = body && typeof body === 'object' && !Array.isArray(body) ? body[CSRF_FIELD] : undefined;
  if (typeof field === 'string') return field;
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  // A multipart form's fields come after its files: its token is in the action's query.
  const query = (request.query as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  return request.isMultipart() && typeof query === 'string' ? query : undefined;
}

function refusal(request: FastifyRequest, what: 'origin' | 'token'): HttpError {
  if (!isApi(request)) {
    return new HttpError(403, 'csrf', '此表单已失效，或不是从本站的页面提交的：请重新加载页面后再提交。'
      + ' / This form has expired or was not sent from a page of this site: reload the page and submit it again.');
  }
  return what === 'origin'
    ? new HttpError(403, 'csrf', 'origin: 拒绝来自其他网站（或 Origin: null）的请求 / refused: sent from another site (or with Origin: null)')
    : new HttpError(403, 'csrf', `${CSRF_HEADER}: 缺少或无效的 CSRF 令牌（由 GET /api/auth/csrf 取得），或改用 Authorization: Bearer`
      + ` / missing or invalid CSRF token (get one from GET /api/auth/csrf), or use Authorization: Bearer`);
}

function fromThisSite(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== publicOrigin) {
    let url: URL;
    try {
      url = new URL(origin); // "null" (after a redirect, from a sandbox or a file) is no URL: refused
    } catch {
      return false;
    }
    if (!/^https?:$/.test(url.protocol) || url.host !== request.headers.host) return false;
  }
  const site = request.headers['sec-fetch-site'];
  return site !== 'cross-site' && site !== 'same-site';
}

export async function registerCsrf(app: FastifyInstance, settings: PortalSettings): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: [STYLE_HASH], imgSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"],
      },
    },
    // The error page's back link reads the Referer of our own pages.
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: settings.secureCookies ? { maxAge: 180 * 86_400 } : false,
  });
  await app.register(csrfProtection, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: settings.secureCookies },
    getToken: tokenOf,
    getUserInfo: bindingOf,
    csrfOpts: { userInfo: true, hmacKey: settings.csrfKey ?? PROCESS_KEY },
    logLevel: 'info',
  });

  app.decorateRequest('csrfSession', undefined);
  const publicOrigin = new URL(settings.publicUrl).origin;
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return;
    if (!fromThisSite(request, publicOrigin)) throw refusal(request, 'origin');
    // An API route takes JSON, or multipart where its schema says so; never what a plain form can send.
    // A page takes what its forms send, and nothing else (a JSON body reached its handlers as numbers).
    const type = request.headers['content-type'];
    if (request.is404 || type === undefined) return;
    const media = type.split(';')[0]!.trim().toLowerCase();
    const consumes = isApi(request) ? (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes ?? ['application/json'] : FORM_TYPES;
    if (!consumes.includes(media)) {
      throw new HttpError(415, 'unsupported-media-type', `content-type: 不接受 ${clip(media, 100)}，请发送 ${consumes.join(' 或 ')} / ${clip(media, 100)} is not accepted here: send ${consumes.join(' or ')}`);
    }
  });

  // After the body is read (a form's token is in it), before the schema and the handler.
  app.addHook('preValidation', (request, reply, done) => {
    if (!STATE_CHANGING.has(request.method) || request.is404 || !needsToken(request, settings)) return done();
    // The plugin answers a failure with its own bare error: ours says what to do.
    const answer = { send: () => done(refusal(request, 'token')) } as unknown as FastifyReply;
    app.csrfProtection(request, answer, () => done());
  });
}

const issued = new WeakMap<FastifyRequest, { binding: string; token: string }>();

/** A token for the forms of this answer (or the API caller); sets the browser's secret cookie when it has none. */
export function csrfToken(reply: FastifyReply): string {
  const binding = bindingOf(reply.request);
  const known = issued.get(reply.request);
  if (known?.binding === binding) return known.token;
  const token = reply.generateCsrf({ userInfo: binding });
  issued.set(reply.request, { binding, token });
  return token;
}
