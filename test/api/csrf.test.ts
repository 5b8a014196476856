// Issue 8, finding #3: forged requests. A cookie-authenticated change needs a CSRF token (pages: a hidden
// field in every POST form; the API: x-csrf-token), bound to the session; a bearer token needs none; the
// JSON API refuses form bodies (415); `Origin: null` and other sites' origins are refused; helmet's headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { csrfHeaders, harness, multipart, signIn, visitorCsrf, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('csrf');
  app = await h.api();
  id = h.input.cycleId;
  await h.client.start(h.input, 'office-lin');
  for (const who of ['office-lin', 'hr-reviewer', 'head-zheng']) cookies[who] = await signIn(app, h.dataDir, who);
});
afterAll(async () => {
  await h?.close();
});

const planState = async () => (await h.client.status(id)).deliverables.find((d) => d.id === 'plan')!.state;
const api = (who: string, verb: string, headers: Record<string, string>, payload: object = {}) =>
  app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/${verb}`, headers: { cookie: cookies[who]!, ...headers }, payload });
const tokenOf = (who: string) => csrfHeaders(cookies[who]!)['x-csrf-token'];
/** The `_csrf` values of a page's POST forms, in order, and the forms without one. */
function formTokens(body: string): { tokens: string[]; bare: string[] } {
  const tokens: string[] = [];
  const bare: string[] = [];
  for (const m of body.matchAll(/<form\b[^>]*method="post"[^>]*>(<input type="hidden" name="_csrf" value="([^"]+)">)?/g)) {
    if (m[2]) tokens.push(m[2]);
    else bare.push(m[0]);
  }
  return { tokens, bare };
}

describe('the JSON API with the session cookie', () => {
  it('refuses an action without the token (403 csrf, nothing done), does it with the token', async () => {
    const none = await api('office-lin', 'submit', {}, { note: '方案' });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ error: { code: 'csrf', field: 'x-csrf-token' } });
    expect(none.json().error.message).toContain('GET /api/auth/csrf');
    const wrong = await api('office-lin', 'submit', { 'x-csrf-token': `${tokenOf('office-lin')}x` }, { note: '方案' });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([403, 'csrf']);
    expect(await planState()).toBe('open');

    const ok = await api('office-lin', 'submit', { 'x-csrf-token': tokenOf('office-lin') }, { note: '方案' });
    expect(ok.statusCode).toBe(200);
    expect(await planState()).toBe('in-review');
  });

  it('binds the token to the session: another person\'s, or a visitor\'s token planted with its cookie, is refused', async () => {
    // Same browser secret is not enough: head-zheng's token does not work with hr-reviewer's session.
    const secret = /perfcycle_csrf=([^;]+)/.exec(cookies['head-zheng']!)![1];
    const session = /perfcycle_session=([^;]+)/.exec(cookies['hr-reviewer']!)![1];
    const mixed = await app.inject({
      method: 'POST', url: `/api/cycles/${id}/deliverables/plan/approve`,
      headers: { cookie: `perfcycle_session=${session}; perfcycle_csrf=${secret}`, 'x-csrf-token': tokenOf('head-zheng') }, payload: {},
    });
    expect([mixed.statusCode, mixed.json().error.code]).toEqual([403, 'csrf']);
    // A page on another port of this host can set cookies for it (cookies ignore ports): its own secret
    // and a token it got as a visitor still do not match the victim's session.
    const attacker = await visitorCsrf(app);
    const tossed = await app.inject({
      method: 'POST', url: `/api/cycles/${id}/deliverables/plan/approve`,
      headers: { cookie: `perfcycle_session=${session}; ${attacker.cookie}`, 'x-csrf-token': attacker.token }, payload: {},
    });
    expect([tossed.statusCode, tossed.json().error.code]).toEqual([403, 'csrf']);
    expect(await planState()).toBe('in-review');
  });

  it('needs no token with a bearer token (a browser never sends one by itself)', async () => {
    const session = /perfcycle_session=([^;]+)/.exec(cookies['hr-reviewer']!)![1];
    const res = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/approve`, headers: { authorization: `Bearer ${session}` }, payload: { comment: '初审通过' } });
    expect(res.statusCode).toBe(200);
    const plan = (await h.client.status(id)).deliverables.find((d) => d.id === 'plan')!;
    expect(plan.actors).toEqual(['efficiency-group']);
  });

  it('hands out tokens: GET /api/auth/csrf, and csrfToken in every sign-in answer', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/csrf', headers: { cookie: cookies['head-zheng']! } });
    expect(res.statusCode).toBe(200);
    const { csrfToken } = res.json() as { csrfToken: string };
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: cookies['head-zheng']!, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    cookies['head-zheng'] = await signIn(app, h.dataDir, 'head-zheng');
    // The secret cookie: HttpOnly, SameSite=Lax, for the whole site.
    const fresh = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
    expect(String(fresh.headers['set-cookie'])).toMatch(/^perfcycle_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });
});

describe('what a plain form can send', () => {
  const headers = () => ({ ...csrfHeaders(cookies['office-lin']!) });

  it('a form-encoded or text/plain body to a JSON route: 415 naming the type, even with the token', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'text/plain;charset=UTF-8']) {
      const res = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/approve`, headers: { ...headers(), 'content-type': type }, payload: 'comment=ok' });
      expect(res.statusCode, type).toBe(415);
      expect(res.json()).toMatchObject({ error: { code: 'unsupported-media-type', field: 'content-type' } });
      expect(res.json().error.message).toContain(type.split(';')[0]);
      expect(res.json().error.message).toContain('application/json');
    }
    // Multipart only where the route takes it (uploads); not for an action that takes JSON.
    const body = multipart([{ name: 'comment', content: 'ok' }]);
    const mp = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/approve`, headers: { ...headers(), ...body.headers }, payload: body.payload });
    expect([mp.statusCode, mp.json().error.code]).toEqual([415, 'unsupported-media-type']);
    expect(mp.json().error.message).toContain('multipart/form-data');
    const upload = multipart([{ name: 'files', filename: 'a.pdf', content: '%PDF a' }]);
    const files = await app.inject({ method: 'POST', url: '/api/files', headers: { ...headers(), ...upload.headers }, payload: upload.payload });
    expect(files.statusCode).toBe(201);
    // A form-encoded sign-in (login CSRF) is refused too.
    const login = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=office-lin&password=x' });
    expect(login.statusCode).toBe(415);
  });

  it('Origin: null (a redirected POST) and another site\'s origin: 403, even with a valid token', async () => {
    for (const origin of ['null', 'http://127.0.0.1:9999', 'https://evil.example', 'http://localhost:80@evil.example']) {
      const res = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/reject`, headers: { ...headers(), origin }, payload: { reason: 'x' } });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'csrf', field: 'origin' } });
    }
    const fetchSite = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/reject`, headers: { ...headers(), 'sec-fetch-site': 'same-site' }, payload: { reason: 'x' } });
    expect(fetchSite.statusCode).toBe(403);
    // The site itself (its public address) is fine: here a refusal by rights, not by origin.
    const own = await app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/plan/reject`, headers: { ...headers(), origin: 'http://portal.test', 'sec-fetch-site': 'same-origin' }, payload: { reason: 'x' } });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).not.toBe('csrf');
    expect((await h.client.status(id)).deliverables.find((d) => d.id === 'plan')!.state).toBe('in-review');
  });
});

describe('the pages', () => {
  it('put the token in every POST form (multipart ones also in the action\'s query), and refuse a form without it with a page saying what to do', async () => {
    for (const [who, url] of [['office-lin', `/cycles/${id}`], ['office-lin', `/cycles/${id}/scores`], ['office-lin', '/account'], ['hr-reviewer', `/cycles/${id}/d/plan`], ['', '/login']] as const) {
      const page = await app.inject({ method: 'GET', url, headers: who ? { cookie: cookies[who]! } : {} });
      expect(page.statusCode, url).toBe(200);
      const { tokens, bare } = formTokens(page.body);
      expect(bare, url).toEqual([]);
      expect(tokens.length, url).toBeGreaterThan(0);
      for (const m of page.body.matchAll(/<form\b[^>]*enctype="multipart\/form-data"[^>]*>/g)) expect(m[0]).toMatch(/action="[^"]*\?_csrf=[^"]+"/);
    }

    const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie: cookies['office-lin']! } });
    const token = formTokens(account.body).tokens[0]!;
    const post = (fields: Record<string, string>, extra: Record<string, string> = {}) => app.inject({
      method: 'POST', url: '/account/ical', headers: { cookie: cookies['office-lin']!, 'content-type': 'application/x-www-form-urlencoded', ...extra }, payload: new URLSearchParams(fields).toString(),
    });
    const before = (await h.client.store.db.selectFrom('accounts').select('ical_token').where('id', '=', 'office-lin').executeTakeFirstOrThrow()).ical_token;
    for (const res of [await post({}), await post({ _csrf: 'forged' }), await post({ _csrf: token }, { origin: 'null' })]) {
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('请重新加载页面后再提交');
      // In the reader's language only (zh-CN here; English with ?lang=en or the language cookie).
      expect(res.body).not.toContain('reload the page and submit it again');
      // The error page's own forms carry a fresh token: reloading is enough.
      expect(formTokens(res.body).bare).toEqual([]);
    }
    expect((await h.client.store.db.selectFrom('accounts').select('ical_token').where('id', '=', 'office-lin').executeTakeFirstOrThrow()).ical_token).toBe(before);
    const ok = await post({ _csrf: token });
    expect([ok.statusCode, ok.headers.location]).toEqual([303, '/account']);
  });

  it('the sign-in forms work before a session exists (a token per visitor cookie)', async () => {
    const login = await app.inject({ method: 'GET', url: '/login' });
    const secret = login.cookies.find((c) => c.name === 'perfcycle_csrf')!.value;
    const token = formTokens(login.body).tokens[0]!;
    const res = await app.inject({
      method: 'POST', url: '/login/link', headers: { cookie: `perfcycle_csrf=${secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ login: 'head-wu', _csrf: token }).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('登录链接已发送');
    const without = await app.inject({ method: 'POST', url: '/login/link', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'login=head-wu' });
    expect(without.statusCode).toBe(403);
  });

  it('reads a multipart form\'s token from its action before the files', async () => {
    const page = await app.inject({ method: 'GET', url: `/cycles/${id}`, headers: { cookie: cookies['office-lin']! } });
    const action = /<form\b[^>]*action="([^"]+\/targets\?_csrf=[^"]+)"[^>]*enctype="multipart\/form-data"/.exec(page.body)?.[1];
    expect(action).toBeDefined();
    const body = multipart([{ name: 'file', filename: 'targets.csv', content: '序号,目标\n' }]);
    const posted = await app.inject({ method: 'POST', url: action!.replace(/&amp;/g, '&'), headers: { cookie: cookies['office-lin']!, ...body.headers }, payload: body.payload });
    // Past the token: the table itself is what is refused.
    expect(posted.statusCode).toBe(400);
    const without = await app.inject({ method: 'POST', url: `/cycles/${id}/targets`, headers: { cookie: cookies['office-lin']!, ...body.headers }, payload: body.payload });
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain('请重新加载页面');
    const english = await app.inject({ method: 'POST', url: `/cycles/${id}/targets`, headers: { cookie: `${cookies['office-lin']!}; perfcycle_lang=en`, ...body.headers }, payload: body.payload });
    expect(english.statusCode).toBe(403);
    expect(english.body).toContain('reload the page');
    expect(english.body).not.toContain('请重新加载页面');
  });
});

describe('security headers (@fastify/helmet)', () => {
  it('pages and API answers: a CSP without scripts or inline styles but the pages\' own, no framing, nosniff', async () => {
    for (const url of ['/login', '/api/auth/csrf']) {
      const res = await app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const page = await app.inject({ method: 'GET', url: '/login' });
    expect(page.body).not.toMatch(/\sstyle="/);
  });
});
