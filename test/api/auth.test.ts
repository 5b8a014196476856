// Sign-in against a real Temporal dev server: links by e-mail (one use, expiring), passwords
// (scrypt, never stored plain), the session cookie and bearer token (ended on the server at logout),
// the header mode, rate limits.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { tokenHash } from '../../store/accounts.js';
import { csrfHeaders, harness, lastLinkToken, sessionCookie, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;

beforeAll(async () => {
  h = await harness('auth');
  app = await h.api();
});
afterAll(async () => {
  await h?.close();
});

const me = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/me', headers });

describe('sign-in', () => {
  it('refuses callers who are not signed in, and ignores the old trust-the-header mode unless configured', async () => {
    expect((await me({})).statusCode).toBe(401);
    expect((await me({})).json()).toMatchObject({ error: { code: 'unauthenticated' } });
    expect((await app.inject({ method: 'GET', url: `/api/cycles/${h.input.cycleId}` })).statusCode).toBe(401);
    expect((await me({ 'x-perfcycle-user': 'office-lin' })).statusCode).toBe(401);
    const page = await app.inject({ method: 'GET', url: `/cycles/${h.input.cycleId}` });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(`/cycles/${h.input.cycleId}`)}`);

    const operator = await h.api({ trustHeader: true });
    const res = await operator.inject({ method: 'GET', url: '/api/me', headers: { 'x-perfcycle-user': 'office-lin' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'office-lin', signedInBy: 'header' });
  });

  it('mails a one-time link (zh-CN first, then English) that signs in once, with an HttpOnly SameSite cookie', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/auth/link', payload: { login: 'nobody@nowhere.example' } })).statusCode).toBe(202);
    const asked = await app.inject({ method: 'POST', url: '/api/auth/link', payload: { login: 'Head-Zheng@jinjiang.example' } });
    expect(asked.statusCode).toBe(202);
    const token = await lastLinkToken(h.dataDir, 'head-zheng');
    expect(token).toBeDefined();
    const mail = await simpleParser(await readFile(join(h.dataDir, 'outbox', (await readdir(join(h.dataDir, 'outbox'))).sort().at(-1)!)));
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value[0]?.address).toBe('head-zheng@jinjiang.example');
    expect(mail.subject).toBe('【绩效评估】登录链接 / Sign-in link');
    const text = mail.text ?? '';
    expect(text.indexOf('请在 30 分钟内打开以下链接')).toBeLessThan(text.indexOf('Open this link within 30 minutes'));
    expect(text).toContain(`http://portal.test/auth/link/${token}`);

    // The link in the mail opens a page with a button: following it does not use it up.
    const page = await app.inject({ method: 'GET', url: `/auth/link/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${token}"`);

    const res = await app.inject({ method: 'POST', url: '/api/auth/link/consume', payload: { token } });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^perfcycle_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const session = (res.json() as { token: string }).token;
    expect((await me({ cookie: `perfcycle_session=${session}` })).json()).toMatchObject({ id: 'head-zheng', signedInBy: 'link' });
    expect((await me({ authorization: `Bearer ${session}` })).json()).toMatchObject({ id: 'head-zheng', cycles: [{ owns: ['planning'] }] });
    // The database keeps only the token's hash; a tampered token is no session.
    const sessions = await h.client.store.db.selectFrom('sessions').select('token_hash').where('account_id', '=', 'head-zheng').execute();
    expect(sessions.map((r) => r.token_hash)).toContain(tokenHash(session));
    expect(sessions.map((r) => r.token_hash)).not.toContain(session);
    const tampered = `${session.slice(0, -1)}${session.endsWith('A') ? 'B' : 'A'}`;
    expect((await me({ cookie: `perfcycle_session=${tampered}` })).statusCode).toBe(401);

    const again = await app.inject({ method: 'POST', url: '/api/auth/link/consume', payload: { token } });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ error: { field: 'token' } });
  });

  it('lets a link expire', async () => {
    let clock = Date.now();
    const late = await h.api({}, () => new Date(clock));
    await late.inject({ method: 'POST', url: '/api/auth/link', payload: { login: 'head-wu' } });
    const token = await lastLinkToken(h.dataDir, 'head-wu');
    clock += h.settings.linkMs + 1000;
    expect((await late.inject({ method: 'POST', url: '/api/auth/link/consume', payload: { token } })).statusCode).toBe(401);
  });

  it('sets a password after a link sign-in, keeps only its scrypt hash, and ends older sessions', async () => {
    const cookie = await signIn(app, h.dataDir, 'leader-li');
    const short = await app.inject({ method: 'PUT', url: '/api/me/password', headers: csrfHeaders(cookie), payload: { password: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ error: { field: 'body.password' } });
    const set = await app.inject({ method: 'PUT', url: '/api/me/password', headers: csrfHeaders(cookie), payload: { password: '春华 correct horse' } });
    expect(set.statusCode).toBe(200);
    const row = await h.client.store.db.selectFrom('accounts').selectAll().where('id', '=', 'leader-li').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('correct horse');
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    // The session from before the change no longer counts.
    expect((await me({ cookie })).statusCode).toBe(401);

    expect((await app.inject({ method: 'POST', url: '/api/auth/password', payload: { login: 'leader-li', password: 'wrong password!' } })).statusCode).toBe(401);
    const ok = await app.inject({ method: 'POST', url: '/api/auth/password', payload: { login: 'leader-li@jinjiang.example', password: '春华 correct horse' } });
    expect(ok.statusCode).toBe(200);
    const byPassword = sessionCookie(ok);
    // Signed in by password, a change needs the current one.
    const noCurrent = await app.inject({ method: 'PUT', url: '/api/me/password', headers: csrfHeaders(byPassword), payload: { password: 'another long one' } });
    expect(noCurrent.statusCode).toBe(403);
    expect(noCurrent.json()).toMatchObject({ error: { field: 'current' } });

    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: csrfHeaders(byPassword) });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/perfcycle_session=;/);
    expect((await me({ cookie: byPassword })).statusCode).toBe(401);
  });

  it('ends the session on the server at logout: a copied bearer token is refused afterwards', async () => {
    const ok = await app.inject({ method: 'POST', url: '/api/auth/password', payload: { login: 'leader-li', password: '春华 correct horse' } });
    const { token } = ok.json() as { token: string };
    const bearer = { authorization: `Bearer ${token}` };
    const otherRes = await app.inject({ method: 'POST', url: '/api/auth/password', payload: { login: 'leader-li', password: '春华 correct horse' } });
    const other = otherRes.json() as { token: string };
    expect((await me(bearer)).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer })).statusCode).toBe(204);
    const after = await me(bearer);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    // Another API instance on the same database refuses it too; the person's other session goes on.
    const second = await h.api();
    expect((await second.inject({ method: 'GET', url: '/api/me', headers: bearer })).statusCode).toBe(401);
    expect((await me({ authorization: `Bearer ${other.token}` })).json()).toMatchObject({ id: 'leader-li', signedInBy: 'password' });

    // The page's sign-out button does the same.
    const page = await app.inject({ method: 'POST', url: '/logout', headers: csrfHeaders(sessionCookie(otherRes)) });
    expect(page.statusCode).toBe(303);
    expect((await me({ authorization: `Bearer ${other.token}` })).statusCode).toBe(401);
  });

  it('needs no signing secret: nothing is written under DATA_DIR/portal', async () => {
    expect(existsSync(join(h.dataDir, 'portal', 'session-secret'))).toBe(false);
    expect(existsSync(join(h.dataDir, 'users.json'))).toBe(false);
  });

  it('serves pages that cannot be framed or run scripts, and refuses forms posted from another site', async () => {
    const login = await app.inject({ method: 'GET', url: '/login' });
    // Two sections under their headings: the mailed link, and the password.
    expect(login.body).toMatch(/<h2 id="by-link">邮件登录链接<\/h2>[\s\S]*<h2 id="by-password">密码登录<\/h2>/);
    expect(login.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(login.headers['content-security-policy']).toContain("default-src 'none'");
    const cross = await app.inject({ method: 'POST', url: '/login/password', headers: { origin: 'https://evil.example' }, payload: { login: 'office-lin', password: 'x' } });
    expect(cross.statusCode).toBe(403);
    const english = await app.inject({ method: 'GET', url: '/login?lang=en' });
    expect(english.body).toContain('E-mail me a sign-in link');
    expect(String(english.headers['set-cookie'])).toMatch(/perfcycle_lang=en/);
  });

  it('limits sign-in attempts per account and address', async () => {
    const limited = await h.api({ signinMax: 3 });
    const attempt = (login: string) => limited.inject({ method: 'POST', url: '/api/auth/password', payload: { login, password: 'guess guess guess' } });
    for (let i = 0; i < 3; i += 1) expect((await attempt('director-zhang')).statusCode).toBe(401);
    const blocked = await attempt('director-zhang');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
    expect(blocked.json()).toMatchObject({ error: { code: 'rate-limited' } });
    // A colleague behind the same address is not locked out by it.
    expect((await attempt('head-cai')).statusCode).toBe(401);
  });
});
