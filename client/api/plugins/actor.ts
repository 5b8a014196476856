// Who is calling: a signed session (cookie, or the same value as a bearer token for scripts), made
// at sign-in. The X-Perfcycle-User header of the first API is honoured only when the operator sets
// PORTAL_TRUST_HEADER=1 (local scripts and tests); otherwise it is ignored.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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

interface Session { id: string; epoch: number; expires: number; method: SignInMethod }

const encode = (s: Session) => [s.id, s.epoch, s.expires, s.method].join(':');
function decode(value: string): Session | undefined {
  const [id, epoch, expires, method] = value.split(':');
  if (!id || !epoch || !expires || (method !== 'link' && method !== 'password')) return undefined;
  return { id, epoch: Number(epoch), expires: Number(expires), method };
}

export function registerActor(app: FastifyInstance, ctx: ApiContext): void {
  app.decorateRequest('actorId', undefined);
  app.decorateRequest('signedInBy', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-perfcycle-user'];
    if (ctx.settings.trustHeader && typeof header === 'string' && header) {
      request.actorId = header;
      request.signedInBy = 'header';
      return;
    }
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const raw = bearer ?? request.cookies[SESSION_COOKIE];
    if (!raw) return;
    const unsigned = app.unsignCookie(raw);
    const session = unsigned.valid && unsigned.value ? decode(unsigned.value) : undefined;
    if (!session || session.expires <= ctx.now().getTime()) return;
    const account = await ctx.users.get(session.id);
    if (!account || account.epoch !== session.epoch) return;
    request.actorId = account.id;
    request.signedInBy = session.method;
  });
}

/** Signs the person in: sets the cookie and returns the same value for use as a bearer token. */
export function startSession(app: FastifyInstance, ctx: ApiContext, reply: FastifyReply, account: { id: string; epoch: number }, method: 'link' | 'password') {
  const expires = ctx.now().getTime() + ctx.settings.sessionMs;
  const token = app.signCookie(encode({ id: account.id, epoch: account.epoch, expires, method }));
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.settings.secureCookies, expires: new Date(expires),
  });
  return { token, expiresAt: new Date(expires).toISOString() };
}

export function endSession(reply: FastifyReply, ctx: ApiContext): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.settings.secureCookies });
}

export function actorOf(request: FastifyRequest): string {
  if (!request.actorId) throw new SignInRequired();
  return request.actorId;
}
