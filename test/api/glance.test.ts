// Progress at a glance over HTTP: the dashboard carries its charts as data and loads Chart.js and the
// drawing code from the app itself (long cached, named by hash, SRI-checked), the CSP allows scripts
// from this site only; the calendar of deadlines shows each person what they may see, by name.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('glance');
  app = await h.api();
  id = h.input.cycleId;
  for (const who of ['office-lin', 'head-zheng']) cookies[who] = await signIn(app, h.dataDir, who);
  const started = await app.inject({ method: 'POST', url: '/api/cycles', headers: csrfHeaders(cookies['office-lin']!), payload: h.file });
  if (started.statusCode !== 201) throw new Error(`start: ${started.body}`);
});
afterAll(async () => {
  await h?.close();
});

const page = (who: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });

describe('the dashboard\'s charts', () => {
  it('loads exactly the app\'s own scripts, named by hash and checked by SRI; no inline script; the CSP allows this site\'s scripts only', async () => {
    const res = await page('office-lin', `/cycles/${id}`);
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    const external = scripts.filter((a) => a.includes('src='));
    // Every other script element is data (application/json), which the browser never runs.
    expect(scripts.filter((a) => !a.includes('src=')).every((a) => a.includes('type="application/json"'))).toBe(true);
    expect(external.map((a) => /src="([^"?]+)/.exec(a)![1])).toEqual(['/assets/chart.umd.min.js', '/assets/charts.js']);
    for (const attrs of external) {
      const src = /src="([^"]+)"/.exec(attrs)![1]!;
      const integrity = /integrity="([^"]+)"/.exec(attrs)![1];
      const file = await app.inject({ method: 'GET', url: src });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(integrity).toBe(`sha384-${createHash('sha384').update(file.rawPayload).digest('base64')}`);
      expect(src).toContain(`?v=${createHash('sha256').update(file.rawPayload).digest('hex').slice(0, 16)}`);
    }
    expect((await app.inject({ method: 'GET', url: '/assets/chart.umd.min.js' })).rawPayload.toString()).toMatch(/^\/\*!\n \* Chart\.js v4/);
    expect((await app.inject({ method: 'GET', url: '/assets/package.json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/assets/..%2Fpackage.json' })).statusCode).not.toBe(200);
  });

  it('draws completion per department from the dashboard\'s own counts, by name; overdue over time from the cycle\'s start; English when chosen', async () => {
    const res = await page('office-lin', `/cycles/${id}`);
    const data = [...res.body.matchAll(/<section class="card" data-testid="(chart-[a-z]+)">[\s\S]*?<script type="application\/json" data-chart>([\s\S]*?)<\/script>/g)]
      .map((m) => ({ chart: m[1], spec: JSON.parse(m[2]!) as { config: { data: { labels: string[]; datasets: { label: string; data: number[] }[] } } } }));
    // No score yet: no score chart.
    expect(data.map((d) => d.chart)).toEqual(['chart-completion', 'chart-overdue']);
    const completion = data[0]!.spec.config.data;
    expect(completion.labels).toEqual(['本局（方案、结果、整改）', ...h.input.departments.map((d) => d.name)]);
    // The plan waits for the office; each department's summary and evidence are still to come.
    const series = Object.fromEntries(completion.datasets.map((d) => [d.label, d.data]));
    expect(series['待办（未逾期）']![0]).toBe(1);
    expect(series['未开始']).toEqual([3, ...h.input.departments.map(() => 2)]);
    // The same numbers as the table below, cell for cell.
    const planning = /<tr data-testid="dept"><td[^>]*><b>规划科<\/b>[\s\S]*?<\/tr>/.exec(res.body)![0];
    expect(/data-testid="count-notStarted">(\d+)</.exec(planning)![1]).toBe('2');
    // This year's cycle, started just now: one point, nothing overdue.
    const overdue = data[1]!.spec.config.data;
    expect(overdue.datasets[0]!.data).toEqual([0]);
    expect(res.body).toMatch(/<details data-chart-table open>[\s\S]*data-testid="overdue-table"/);

    const en = await page('office-lin', `/cycles/${id}?lang=en`);
    expect(en.body).toContain('At a glance');
    expect(en.body).toContain('Completion by department');
    expect(en.body).toContain(`href="/api/cycles/${id}/ledger?format=csv&amp;lang=en"`);
    expect(en.body).toContain(`href="/cycles/${id}/calendar"`);
  });
});

describe('the calendar of deadlines', () => {
  it('shows the office every deadline, by month and day, with names; a department head only what he may see', async () => {
    const lin = await page('office-lin', `/cycles/${id}/calendar`);
    expect(lin.statusCode).toBe(200);
    expect(lin.body).toContain(`<a href="/cycles/${id}/d/plan">绩效评估工作方案及&quot;三定&quot;规定</a>`);
    expect(lin.body).toContain('林晓燕（局办公室） 提交');
    expect(lin.body).toContain('政策法规科年度工作总结及目标台账');
    expect(lin.body.match(/data-testid="month"/g)!.length).toBeGreaterThanOrEqual(5);
    expect(lin.body.replace(/<[^>]+>/g, ' ')).not.toMatch(/office-lin|head-|summary-|evidence-/);

    const zheng = await page('head-zheng', `/cycles/${id}/calendar`);
    expect(zheng.statusCode).toBe(200);
    expect(zheng.body).toContain('规划科年度工作总结及目标台账');
    expect(zheng.body).not.toContain('政策法规科年度工作总结');
    expect(zheng.body).not.toContain('绩效评估工作方案');
    expect((await app.inject({ method: 'GET', url: `/cycles/${id}/calendar` })).statusCode).toBe(303);
  });
});
