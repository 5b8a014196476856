// Sign-in attempts are limited so that one person's mistakes (or an attacker's guesses) never lock
// out the colleagues behind the same office NAT:
// - a request that names an account (a link request, a password) counts per address and account
//   (PORTAL_SIGNIN_MAX per window): guessing one person's password stops there;
// - every attempt counts per address alone at ten times that, which slows trying many accounts;
// - a link token names no account, so only bad ones count, per address, at five times the limit. Before,
//   every token from an address shared one bucket of PORTAL_SIGNIN_MAX: ten bad tokens locked everyone
//   there out of link sign-in for the whole window. Tokens are random 256-bit values: the limit only
//   slows a flood, it is not what keeps them secret.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PortalSettings } from '../../portal/settings.js';
import { HttpError } from '../http-error.js';

export type SigninLimit = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** The routes that take a link's token (JSON and page); by route, so a body cannot pick its bucket. */
const TOKEN_ROUTES = new Set(['/api/auth/link/consume', '/auth/link']);
const BAD_TOKEN_FACTOR = 5;
const PER_ADDRESS_FACTOR = 10;

const loginOf = (request: FastifyRequest) => {
  const body = request.body as Record<string, unknown> | undefined;
  return String(body?.login ?? '').trim().toLowerCase().slice(0, 200);
};

/** Failures per key in fixed windows; only counted, never consulted by a success. */
function failureCounter(max: number, windowMs: number) {
  const seen = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Seconds until the key may try again, or 0. */
    wait(key: string, now: number): number {
      const e = seen.get(key);
      return e && now < e.resetAt && e.count >= max ? Math.ceil((e.resetAt - now) / 1000) : 0;
    },
    add(key: string, now: number): void {
      const e = seen.get(key);
      if (e && now < e.resetAt) e.count += 1;
      else seen.set(key, { count: 1, resetAt: now + windowMs });
      // Bounded memory: expired windows go once there are many.
      if (seen.size > 10_000) for (const [k, v] of seen) if (v.resetAt <= now) seen.delete(k);
    },
  };
}

function tooMany(reply: FastifyReply, seconds: number): never {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  reply.header('retry-after', String(seconds));
  throw new HttpError(429, 'rate-limited', `登录尝试过于频繁，请 ${minutes} 分钟后再试 / too many sign-in attempts: try again in ${minutes} min`);
}

export async function registerSigninLimit(app: FastifyInstance, settings: PortalSettings): Promise<SigninLimit> {
  await app.register(rateLimit, { global: false });
  const timeWindow = settings.signinWindowMs;
  const perAccount = app.createRateLimit({ max: settings.signinMax, timeWindow, keyGenerator: (r) => `signin|${r.ip}|${loginOf(r)}` });
  const perAddress = app.createRateLimit({ max: settings.signinMax * PER_ADDRESS_FACTOR, timeWindow, keyGenerator: (r) => `signin|${r.ip}` });
  const badTokens = failureCounter(settings.signinMax * BAD_TOKEN_FACTOR, timeWindow);
  const tokenTries = new WeakSet<FastifyRequest>();
  // A token was bad when its route answered 401 (used, expired or never issued).
  app.addHook('onResponse', async (request, reply) => {
    if (tokenTries.has(request) && reply.statusCode === 401) badTokens.add(request.ip, Date.now());
  });
  // Runs as a preHandler: the account is in the parsed body.
  return async (request, reply) => {
    const limiters = [perAddress];
    if (TOKEN_ROUTES.has(request.routeOptions.url ?? '')) {
      const wait = badTokens.wait(request.ip, Date.now());
      if (wait) tooMany(reply, wait);
      tokenTries.add(request);
    } else {
      limiters.unshift(perAccount);
    }
    for (const limiter of limiters) {
      const r = await limiter(request);
      if (!r.isAllowed && r.isExceeded) tooMany(reply, r.ttlInSeconds);
    }
  };
}
