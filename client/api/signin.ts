// The two ways in, shared by the JSON API and the pages: a one-time link by e-mail, or a password.
import type { FastifyRequest } from 'fastify';
import { signInMail } from '../portal/signin-mail.js';
import { verifyPassword } from '../portal/password.js';
import type { Account } from '../../store/accounts.js';
import type { ApiContext } from './context.js';

/**
 * How long every link request takes to answer, whether the login exists or not. Looking the login up,
 * issuing the link and mailing it took 10.6 ms for a known login and 3.7 ms for an unknown one: enough
 * to tell which accounts exist. Now all of that runs beside a fixed wait, and the answer comes when
 * the wait ends, not when the work does (a slow SMTP server cannot tell either). The outbox and a
 * nearby SMTP server are done well within it, so the mail is there when the answer is.
 */
export const LINK_ANSWER_MS = 250;

/** Link mails still on their way, so that closing the API can wait for them (routes/auth.ts). */
const pending = new Set<Promise<void>>();

export async function linksSettled(): Promise<void> {
  await Promise.allSettled([...pending]);
}

/** Sends a link to every account with this id or e-mail. Says nothing, not even by its timing, about whether one exists. */
export async function requestLink(ctx: ApiContext, request: FastifyRequest, login: string): Promise<void> {
  const work = sendLinks(ctx, request, login).catch((err: unknown) => request.log.error({ err }, 'sign-in link not sent'));
  pending.add(work);
  void work.finally(() => pending.delete(work));
  await new Promise((done) => setTimeout(done, LINK_ANSWER_MS));
}

async function sendLinks(ctx: ApiContext, request: FastifyRequest, login: string): Promise<void> {
  for (const account of await ctx.users.find(login)) {
    const token = await ctx.users.issueLink(account.id, ctx.settings.linkMs, ctx.now());
    const url = `${ctx.settings.publicUrl}/auth/link/${token}`;
    try {
      const sent = await ctx.sender.send(signInMail({ account, url, minutes: Math.round(ctx.settings.linkMs / 60_000), from: ctx.settings.mailFrom, now: ctx.now() }));
      request.log.info({ user: account.id, where: sent.where }, 'sign-in link sent');
    } catch (err) {
      request.log.error({ err, user: account.id }, 'sign-in link not sent');
    }
  }
}

export function signInWithLink(ctx: ApiContext, token: string): Promise<Account | undefined> {
  return ctx.users.consumeLink(token, ctx.now());
}

export async function signInWithPassword(ctx: ApiContext, login: string, password: string): Promise<Account | undefined> {
  const accounts = await ctx.users.find(login);
  if (accounts.length === 0) {
    await verifyPassword(password, undefined);
    return undefined;
  }
  for (const a of accounts) if (await verifyPassword(password, a.password)) return a;
  return undefined;
}
