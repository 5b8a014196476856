// `perfcycle login / logout / whoami`: the CLI signs in to the API as the portal does (a password, or the
// one-time link from the mailbox) and keeps the session token for the person commands (api-client.ts).
import { createInterface } from 'node:readline';
import { parseConfig, publicUrl } from '../../domain/config.js';
import { UserError } from '../errors.js';
import { Api, ApiError } from './api-client.js';
import { apiOf, forgetSession, normaliseApi, pickIdentity, readSessions, updateSessions, type StoredSession } from './credentials.js';
import { io, json, out } from './io.js';
import { DEFAULT_ZONE } from '../../domain/time.js';
import { momentText } from '../portal/i18n.js';
import { textTable } from './table.js';

interface SignedIn { user: { id: string; name: string }; token: string; expiresAt: string }
interface Me { id: string; name: string; signedInBy?: string; cycles: { cycleId: string; roles: string[] }[] }

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io().stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readLine(): Promise<string | undefined> {
  const lines = createInterface({ input: io().stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

/** The token of a pasted link (…/auth/link/<token>), or the bare token. */
export function linkToken(pasted: string): string {
  const text = pasted.trim();
  const token = /\/auth\/link\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? (/^[A-Za-z0-9_-]{20,200}$/.test(text) ? text : undefined);
  if (!token) throw new UserError('不是登录链接或其代码 / not a sign-in link or its code');
  return token;
}

async function signIn(api: Api, login: string, passwordStdin: boolean, link?: string): Promise<SignedIn> {
  // A link already in hand (from `perfcycle admin link`, or an earlier mail): asking for another would void it.
  if (link) return api.json<SignedIn>('POST', '/api/auth/link/consume', { token: linkToken(link) });
  if (passwordStdin) {
    const password = (await readStdin()).replace(/\r?\n$/, '');
    if (!password) throw new UserError('--password-stdin: 标准输入中没有密码 / no password on standard input');
    return api.json<SignedIn>('POST', '/api/auth/password', { login, password });
  }
  await api.json('POST', '/api/auth/link', { login });
  // On stderr, so that stdout carries only the result.
  io().writeErr(`登录链接已发往 ${login} 的邮箱：请粘贴该链接（或链接末尾的代码）后回车\n`
    + `A sign-in link was mailed to ${login}: paste the link (or the code at its end) and press Enter\n`);
  const line = await readLine();
  if (!line?.trim()) throw new UserError('没有读到链接 / no link given');
  return api.json<SignedIn>('POST', '/api/auth/link/consume', { token: linkToken(line) });
}

/** When a session ends, as people write it (the CLI's zone is the default's). */
const until = (at: string) => momentText('zh', at, DEFAULT_ZONE);

/** What the server says of a stored sign-in; an ended one is forgotten here too. */
async function whois(base: string, id: string, s: StoredSession): Promise<{ name: string; state: string; cycles: Me['cycles'] }> {
  try {
    const me = await new Api(base, s.token).json<Me>('GET', '/api/me');
    return { name: me.name, state: `有效至 / until ${until(s.expiresAt)}`, cycles: me.cycles };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) return { name: s.name, state: `无法确认 / unknown: ${(err as Error).message}`, cycles: [] };
    await forgetSession(base, id);
    return { name: s.name, state: '会话已结束，已删除 / ended, removed', cycles: [] };
  }
}

// The actions (their command lines: register/auth.ts).

export async function login(login: string, opts: { api?: string; passwordStdin?: boolean; link?: string }): Promise<void> {
  const base = normaliseApi(opts.api || io().env.PERFCYCLE_API || publicUrl(parseConfig(io().env)));
  const s = await signIn(new Api(base), login, !!opts.passwordStdin, opts.link);
  if (opts.link && s.user.id !== login) {
    // Someone else's link: its session is not kept, here or on the server.
    await new Api(base, s.token).json('POST', '/api/auth/logout').catch(() => undefined);
    throw new UserError(`--link: 这是 ${s.user.name} 的登录链接，不是 ${login} 的 / the link is ${s.user.name}'s, not ${login}'s`);
  }
  let replaced: string | undefined;
  await updateSessions((all) => {
    replaced = all[base]?.[s.user.id]?.token;
    (all[base] ??= {})[s.user.id] = { token: s.token, name: s.user.name, expiresAt: s.expiresAt };
  });
  // The session this one replaces would stay valid on the server until it expires.
  if (replaced && replaced !== s.token) await new Api(base, replaced).json('POST', '/api/auth/logout').catch(() => undefined);
  out(`已登录 / signed in: ${s.user.name} (${s.user.id}) @ ${base}，有效至 / until ${until(s.expiresAt)}`);
}

export async function logout(opts: { as?: string }): Promise<void> {
  const sessions = await readSessions();
  const base = apiOf(sessions);
  // An expired session is still one to remove: nothing counts as expired here (now = -Infinity).
  const { id, session } = pickIdentity(sessions, base, opts.as, -Infinity);
  try {
    await new Api(base, session.token).json('POST', '/api/auth/logout');
  } catch (err) {
    // 401: the server had ended it already. Otherwise keep the token, so that logout can be tried again.
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
  }
  await forgetSession(base, id);
  out(`已退出 / signed out: ${session.name} (${id}) @ ${base}`);
}

export async function whoami(opts: { json?: boolean }): Promise<void> {
  const rows = [];
  for (const [api, people] of Object.entries(await readSessions())) {
    for (const [id, s] of Object.entries(people)) rows.push({ api, id, ...(await whois(api, id, s)) });
  }
  if (opts.json) return json(rows);
  if (!rows.length) throw new UserError('未登录，请运行 perfcycle login <id> / not signed in: run perfcycle login <id>');
  out(textTable(['姓名 name', 'id', 'API', '状态 state', '周期与角色 cycles and roles'],
    rows.map((r) => [r.name, r.id, r.api, r.state, r.cycles.map((c) => `${c.cycleId} (${c.roles.join(', ')})`).join('; ')])));
}
