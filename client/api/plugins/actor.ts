// Who is calling: a session made at sign-in, whose random token is the cookie's value (or a bearer
// token for scripts) and whose hash the database keeps, so logging out ends it everywhere. The
// X-Perfcycle-User header of the first API is honoured only when the operator sets
// PORTAL_TRUST_HEADER=1 (local scripts and tests); otherwise it is ignored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOperator } from '../../operator.js';
import type { ApiContext } from '../context.js';

export const SESSION_COOKIE = 'perfcycle_session';

export type SignInMethod = 'link' | 'password' | 'header';

declare module 'fastify' {
  interface FastifyRequest {
    actorId?: string;
    signedInBy?: SignInMethod;
  }
}

/** A 401: the caller is not signed in (pages redirect to /login instead). */
export class SignInRequired extends Error {
  readonly statusCode = 401;
  readonly code = 'unauthenticated';
  constructor() {
    super('未登录 / not signed in');
  }
}

/** The bearer token, else the cookie: what the caller presents as their session. */
function presentedToken(request: FastifyRequest): string | undefined {
  return /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? request.cookies[SESSION_COOKIE] ?? undefined;
}

export function registerActor(app: FastifyInstance, ctx: ApiContext): void {
  app.decorateRequest('actorId', undefined);
  app.decorateRequest('signedInBy', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-perfcycle-user'];
    // Never an operator's actor: an operator acts on the server itself (client/operator.ts), not over HTTP.
    if (ctx.settings.trustHeader && typeof header === 'string' && header && !isOperator(header)) {
      request.actorId = header;
      request.signedInBy = 'header';
      return;
    }
    const token = presentedToken(request);
    const session = token ? await ctx.users.session(token, ctx.now()) : undefined;
    if (!session) return;
    request.actorId = session.account.id;
    request.signedInBy = session.method;
  });
}

/** Signs the person in: sets the cookie and returns the same value for use as a bearer token. */
export async function startSession(ctx: ApiContext, reply: FastifyReply, account: { id: string; epoch: number }, method: 'link' | 'password') {
  const now = ctx.now();
  const expires = new Date(now.getTime() + ctx.settings.sessionMs);
  const token = await ctx.users.startSession(account, method, expires, now);
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.settings.secureCookies, expires,
  });
  // The forms of this answer (and the API's csrfToken) belong to the new session (plugins/csrf.ts).
  reply.request.csrfSession = token;
  return { token, expiresAt: expires.toISOString() };
}

/** Revokes the caller's session in the database (a copied token stops working too) and clears the cookie. */
export async function endSession(ctx: ApiContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = presentedToken(request);
  if (token) await ctx.users.endSession(token, ctx.now());
  reply.request.csrfSession = null;
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.settings.secureCookies });
}

export function actorOf(request: FastifyRequest): string {
  if (!request.actorId) throw new SignInRequired();
  return request.actorId;
}
