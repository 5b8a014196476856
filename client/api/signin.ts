// The two ways in, shared by the JSON API and the pages: a one-time link by e-mail, or a password.
import type { FastifyRequest } from 'fastify';
import { signInMail } from '../portal/signin-mail.js';
import { verifyPassword } from '../portal/password.js';
import type { Account } from '../../store/accounts.js';
import type { ApiContext } from './context.js';

/** Sends a link to every account with this id or e-mail. Says nothing about whether one exists. */
export async function requestLink(ctx: ApiContext, request: FastifyRequest, login: string): Promise<void> {
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
