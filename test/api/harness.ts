// One real Temporal dev server, a worker and the API (Fastify inject) over a temp DATA_DIR and the test
// file's database (accounts, sessions, the cycle's directory), with the example cycle moved to the
// current year so that nothing is overdue and no escalation fires.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { outboxSender } from '../../activities/mail-sender.js';
import { buildApi } from '../../client/api/app.js';
import type { LogOptions } from '../../client/api/plugins/logging.js';
import { registerCycle } from '../helpers/directory.js';
import { portalSettings, type PortalSettings } from '../../client/portal/settings.js';
import { resolveCycle, type CycleInput } from '../../domain/cycle.js';
import type { CycleFile } from '../../domain/cycle-file.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { Store } from '../../store/index.js';
import { exampleCycleFile, tempDir } from '../helpers/cycle.js';
import { devServer } from '../helpers/temporal.js';
import { testWorker } from '../helpers/worker.js';

export interface Harness {
  env: TestWorkflowEnvironment;
  client: Awaited<ReturnType<typeof testWorker>>['client'];
  dataDir: string;
  input: CycleInput;
  /** The cycle file `input` is resolved from: what POST /api/cycles takes to start that very cycle. */
  file: CycleFile;
  settings: PortalSettings;
  /** A further API instance on the same data (other settings, other clock). */
  api(settings?: Partial<PortalSettings>, now?: () => Date, log?: LogOptions): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** `store`: another database than the test file's embedded one (e.g. a real PostgreSQL). */
export async function harness(suffix: string, opts: { store?: Store } = {}): Promise<Harness> {
  const env = await devServer();
  const dataDir = tempDir(`api-${suffix}`);
  const { worker, client } = await testWorker(env, { sender: outboxSender(join(dataDir, 'worker-outbox')), dataDir, ...(opts.store && { store: opts.store }) });
  const running = worker.run();
  const year = new Date().getFullYear();
  // The example pins the 2019 calendar; the defaults for this year keep every deadline ahead.
  const file = exampleCycleFile(suffix, (f) => { f.year = year; f.calendar = {}; });
  const input = resolveCycle(file);
  await registerCycle(client.store, input);
  const settings: PortalSettings = { ...portalSettings({ DATA_DIR: dataDir, PUBLIC_URL: 'http://portal.test' }), signinMax: 1000 };
  const apps: FastifyInstance[] = [];
  return {
    env, client, dataDir, input, file, settings,
    async api(extra = {}, now, log) {
      const app = await buildApi({ cycles: client, settings: { ...settings, ...extra }, sender: outboxSender(join(dataDir, 'outbox')), ...(now && { now }), ...(log && { log }) });
      apps.push(app);
      return app;
    },
    async close() {
      for (const app of apps) await app.close();
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

/**
 * The sign-in links mailed to a person, oldest first. Ordered by when each file was written (ms): a
 * mail's Date header has whole seconds and the outbox's file names whole minutes, so two links asked
 * within a second could otherwise come out in either order.
 */
export async function linkTokens(dataDir: string, personId: string): Promise<string[]> {
  const dir = join(dataDir, 'outbox');
  const names = await readdir(dir).catch(() => [] as string[]);
  const found: { at: number; token: string }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const mail = await simpleParser(await readFile(path));
    if (mail.headers.get('x-perfcycle-signin') !== personId) continue;
    const token = /\/auth\/link\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    if (token) found.push({ at: (await stat(path)).mtimeMs, token });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.token);
}

/** The sign-in link token last mailed to this person (from DATA_DIR/outbox). */
export async function lastLinkToken(dataDir: string, personId: string): Promise<string | undefined> {
  return (await linkTokens(dataDir, personId)).at(-1);
}

/** Signs a person in by the e-mailed link; returns the Cookie header to send (csrfHeaders adds the token). */
export async function signIn(app: FastifyInstance, dataDir: string, personId: string): Promise<string> {
  const before = new Set(await linkTokens(dataDir, personId));
  const asked = await app.inject({ method: 'POST', url: '/api/auth/link', payload: { login: personId } });
  if (asked.statusCode !== 202) throw new Error(`link: ${asked.statusCode} ${asked.body}`);
  // The link mail is sent alongside the answer (equal-time answers), so it may land a moment later
  // (seconds on a loaded machine): wait for a token not mailed before, never reuse a spent one.
  const fresh = async () => (await linkTokens(dataDir, personId)).find((t) => !before.has(t));
  let token = await fresh();
  for (let i = 0; i < 150 && !token; i += 1) {
    await new Promise((r) => setTimeout(r, 100));
    token = await fresh();
  }
  if (!token) throw new Error(`no new link mail for ${personId}`);
  const res = await app.inject({ method: 'POST', url: '/api/auth/link/consume', payload: { token } });
  if (res.statusCode !== 200) throw new Error(`consume: ${res.statusCode} ${res.body}`);
  return sessionCookie(res);
}

const csrfTokens = new Map<string, string>();

/**
 * The Cookie header of a sign-in answer (or of a password change, which starts a new session): the
 * session and the CSRF secret (set by this answer, or already in `previous`). Its CSRF token, from the
 * answer's `csrfToken`, is kept for csrfHeaders.
 */
export function sessionCookie(res: { json: () => unknown; cookies: { name: string; value: string }[] }, previous = ''): string {
  const { token, csrfToken } = res.json() as { token: string; csrfToken: string };
  const secret = res.cookies.find((c) => c.name === 'perfcycle_csrf')?.value ?? /perfcycle_csrf=([^;]+)/.exec(previous)?.[1];
  if (!secret || !csrfToken) throw new Error('the answer has no CSRF secret or token');
  const cookie = `perfcycle_session=${token}; perfcycle_csrf=${secret}`;
  csrfTokens.set(cookie, csrfToken);
  return cookie;
}

/** The headers of a cookie-authenticated request: the Cookie of signIn/sessionCookie and its CSRF token. */
export function csrfHeaders(cookie: string): { cookie: string; 'x-csrf-token': string } {
  const token = csrfTokens.get(cookie);
  if (!token) throw new Error(`no CSRF token for ${cookie} (not from signIn or sessionCookie)`);
  return { cookie, 'x-csrf-token': token };
}

/** What a visitor's browser holds before signing in: the CSRF secret cookie, and a token for the sign-in forms. */
export async function visitorCsrf(app: FastifyInstance): Promise<{ cookie: string; token: string }> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
  const secret = res.cookies.find((c) => c.name === 'perfcycle_csrf')?.value;
  if (!secret) throw new Error('no CSRF secret cookie');
  return { cookie: `perfcycle_csrf=${secret}`, token: (res.json() as { csrfToken: string }).csrfToken };
}

/** A multipart body by hand, so the test controls names and bytes exactly. */
export function multipart(parts: { name: string; filename?: string; content: string | Buffer; type?: string }[]) {
  const boundary = `----perfcycle${Date.now()}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}\r\n${p.filename !== undefined ? `Content-Type: ${p.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A refusal reaches the audit by signal: wait until the query shows it. */
export async function auditUntil(client: Harness['client'], cycleId: string, seen: (e: AuditEntry[]) => boolean): Promise<AuditEntry[]> {
  let entries: AuditEntry[] = [];
  for (let i = 0; i < 50; i += 1) {
    entries = await client.audit(cycleId);
    if (seen(entries)) return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
  return entries;
}

/**
 * The example's plan through its two reviews over HTTP (`post` as the person named), until the cycle has
 * opened the summaries: what most tests of the summary phase start from.
 */
export async function acceptPlan(h: Harness, post: (who: string, url: string) => Promise<{ statusCode: number; body: string }>): Promise<void> {
  const id = h.input.cycleId;
  for (const [who, verb] of [['office-lin', 'submit'], ['hr-reviewer', 'approve'], ['efficiency-group', 'approve']] as const) {
    const res = await post(who, `/api/cycles/${id}/deliverables/plan/${verb}`);
    if (res.statusCode !== 200) throw new Error(`${who} ${verb}: ${res.statusCode} ${res.body}`);
  }
  for (let i = 0; i < 100 && !(await h.client.status(id)).deliverables.some((d) => d.id === 'summary-planning' && d.version > 0); i += 1) {
    await new Promise((r) => setTimeout(r, 100));
  }
}
