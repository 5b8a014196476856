// Sign-in attempts are limited twice: per account and address (PORTAL_SIGNIN_MAX per window), which
// stops guessing one person's password without locking out colleagues behind the same office NAT,
// and per address alone at ten times that, which slows trying many accounts.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PortalSettings } from '../../portal/settings.js';
import { HttpError } from '../http-error.js';

export type SigninLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const loginOf = (request: FastifyRequest) => {
  const body = request.body as Record<string, unknown> | undefined;
  return String(body?.login ?? (body?.token ? 'link' : '')).trim().toLowerCase().slice(0, 200);
};

export async function registerSigninLimit(app: FastifyInstance, settings: PortalSettings): Promise<SigninLimit> {
  await app.register(rateLimit, { global: false });
  const timeWindow = settings.signinWindowMs;
  const perAccount = app.createRateLimit({ max: settings.signinMax, timeWindow, keyGenerator: (r) => `signin|${r.ip}|${loginOf(r)}` });
  const perAddress = app.createRateLimit({ max: settings.signinMax * 10, timeWindow, keyGenerator: (r) => `signin|${r.ip}` });
  // Runs as a preHandler: the account is in the parsed body.
  return async (request, reply) => {
    for (const limiter of [perAccount, perAddress]) {
      const r = await limiter(request);
      if (!r.isAllowed && r.isExceeded) {
        const minutes = Math.max(1, Math.ceil(r.ttlInSeconds / 60));
        reply.header('retry-after', String(r.ttlInSeconds));
        throw new HttpError(429, 'rate-limited', `登录尝试过于频繁，请 ${minutes} 分钟后再试 / too many sign-in attempts: try again in ${minutes} min`);
      }
    }
  };
}
