// The CLI's sign-ins: one session token per API address and person, in
// `${PERFCYCLE_HOME ?? ~/.config/perfcycle}/sessions.json`. The tokens are live bearer tokens, so the
// file is its owner's alone (directory 0700 when we make it, file 0600), and it is replaced whole by a
// rename: a crash or a second CLI never leaves half a file behind.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, publicUrl } from '../../domain/config.js';
import { UserError } from '../errors.js';
import { io } from './io.js';

export interface StoredSession { token: string; name: string; expiresAt: string }
/** API address → person id → session. */
export type Sessions = Record<string, Record<string, StoredSession>>;

export const credentialsFile = (): string => join(io().env.PERFCYCLE_HOME || join(homedir(), '.config', 'perfcycle'), 'sessions.json');

/** One spelling per server, so `http://host/` and `http://host` find the same sign-ins. */
export const normaliseApi = (url: string): string => url.trim().replace(/\/+$/, '');

export async function readSessions(): Promise<Sessions> {
  const file = credentialsFile();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`无法读取凭据文件 / cannot read the credentials file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Sessions;
  } catch {
    // answered below
  }
  throw new UserError(`凭据文件已损坏，请删除后重新登录 / the credentials file is damaged: delete ${file} and log in again`);
}

async function writeSessions(sessions: Sessions): Promise<void> {
  const file = credentialsFile();
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.sessions.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx' with 0600: the token is never readable by others, not even for a moment.
    await writeFile(temp, `${JSON.stringify(sessions, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Reads, changes and writes back the file (the last of two concurrent CLIs wins). */
export async function updateSessions(change: (s: Sessions) => void): Promise<void> {
  const sessions = await readSessions();
  change(sessions);
  for (const [api, people] of Object.entries(sessions)) if (Object.keys(people).length === 0) delete sessions[api];
  await writeSessions(sessions);
}

export const forgetSession = (api: string, id: string): Promise<void> => updateSessions((s) => { delete s[api]?.[id]; });

/** The API a person command talks to: PERFCYCLE_API, else the only one signed in to, else the configured public address. */
export function apiOf(sessions: Sessions): string {
  const env = io().env.PERFCYCLE_API;
  if (env) return normaliseApi(env);
  const known = Object.keys(sessions);
  return known.length === 1 ? known[0]! : normaliseApi(publicUrl(parseConfig(io().env)));
}

export const sessionEnded = (id: string): string =>
  `${id} 的会话已结束，请重新运行 perfcycle login ${id} / the session of ${id} has ended: run perfcycle login ${id}`;

/** The stored identity `--as` names, or the only live one. `--as` selects a sign-in; it never claims to be anyone. */
export function pickIdentity(sessions: Sessions, api: string, as: string | undefined, now = Date.now()): { id: string; session: StoredSession } {
  const people = sessions[api] ?? {};
  if (as !== undefined) {
    const session = people[as];
    if (!session) throw new UserError(`未以 ${as} 登录，请先运行 perfcycle login ${as} / not signed in as ${as}: run perfcycle login ${as}`);
    if (Date.parse(session.expiresAt) <= now) throw new UserError(sessionEnded(as));
    return { id: as, session };
  }
  const live = Object.entries(people).filter(([, s]) => Date.parse(s.expiresAt) > now);
  if (live.length === 1) return { id: live[0]![0], session: live[0]![1] };
  if (live.length === 0) throw new UserError(`未登录 ${api}，请先运行 perfcycle login <id> / not signed in to ${api}: run perfcycle login <id>`);
  const ids = live.map(([id]) => id).join(', ');
  throw new UserError(`已登录多个身份（${ids}），请用 --as 指明 / signed in as several people (${ids}): choose one with --as`);
}
