// Chasing by hand over HTTP (issue 11): who may urge (催办) and extend (延期), what a wrong person, a
// wrong date and a finished item get (403 audited, 400 naming the field, 409), the item page's forms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { StatusView } from '../../client/cycle-client.js';
import { localDateOf } from '../../domain/time.js';
import { acceptPlan, auditUntil, csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('chase');
  app = await h.api();
  id = h.input.cycleId;
  for (const who of ['office-lin', 'hr-reviewer', 'efficiency-group', 'head-zheng', 'leader-wang', 'leader-li', 'director-zhang']) {
    cookies[who] = await signIn(app, h.dataDir, who);
  }
  const started = await post('office-lin', '/api/cycles', h.file);
  if (started.statusCode !== 201) throw new Error(`start: ${started.statusCode} ${started.body}`);
  // The plan through its two reviews: the summaries open.
  await acceptPlan(h, post);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function post(who: string, url: string, payload: object = {}) {
  return app.inject({ method: 'POST', url, headers: csrfHeaders(cookies[who]!), payload });
}
const act = (who: string, deliverable: string, verb: string, payload: object = {}) => post(who, `/api/cycles/${id}/deliverables/${deliverable}/${verb}`, payload);
const item = async (deliverable: string) => ((await app.inject({ method: 'GET', url: `/api/cycles/${id}`, headers: csrfHeaders(cookies['office-lin']!) })).json() as StatusView)
  .deliverables.find((d) => d.id === deliverable)!;

describe('urging and extending over HTTP', () => {
  it('refuses a department head who urges or extends his own item (403) and audits it', async () => {
    const urge = await act('head-zheng', 'summary-planning', 'urge', { message: '自己催自己' });
    expect(urge.statusCode).toBe(403);
    expect(urge.json().error).toMatchObject({ code: 'refused' });
    expect(urge.json().error.message).toMatch(/head-zheng 无权催办「规划科年度工作总结及目标台账」，应由 office-lin, director-zhang, leader-wang 办理/);
    const extend = await act('head-zheng', 'summary-planning', 'extend', { due: '2099-01-31', reason: '来不及' });
    expect(extend.statusCode).toBe(403);
    // Another department's leader may not urge this one's.
    expect((await act('leader-li', 'summary-planning', 'urge')).statusCode).toBe(403);
    const audit = await auditUntil(h.client, id, (e) => e.filter((x) => x.action === 'refused' && x.subject === 'summary-planning').length >= 3);
    expect(audit.filter((e) => e.action === 'refused' && e.subject === 'summary-planning').map((e) => `${e.actor} ${e.role} ${e.detail?.split(':')[0]}`))
      .toEqual(['head-zheng owner:planning urge', 'head-zheng owner:planning extend', 'leader-li leader:landuse leader:mineral leader:enforcement urge']);
  });

  it('answers 400 naming the field for a day that does not exist, one not after today, and a missing reason', async () => {
    const feb31 = await act('office-lin', 'summary-planning', 'extend', { due: '2019-02-31', reason: '顺延' });
    expect(feb31.statusCode).toBe(400);
    expect(feb31.json().error).toMatchObject({ code: 'invalid', field: 'body.due' });
    const today = await act('office-lin', 'summary-planning', 'extend', { due: localDateOf(new Date(), h.input.timeZone), reason: '顺延' });
    expect(today.statusCode).toBe(400);
    expect(today.json().error).toMatchObject({ code: 'invalid', field: 'due' });
    expect(today.json().error.message).toContain('after today');
    expect((await act('office-lin', 'summary-planning', 'extend', { due: '2099-01-31' })).json().error).toMatchObject({ code: 'invalid', field: 'body.reason' });
    expect((await act('director-zhang', 'summary-planning', 'urge', { message: 'x'.repeat(501) })).json().error).toMatchObject({ code: 'invalid', field: 'body.message' });
    // Nothing was audited for bad input.
    expect((await h.client.audit(id)).filter((e) => e.actor === 'office-lin' && e.action === 'refused')).toEqual([]);
  });

  it('answers 409 for an item already accepted, saying who approved it', async () => {
    const urge = await act('director-zhang', 'plan', 'urge');
    expect(urge.statusCode).toBe(409);
    expect(urge.json().error.message).toMatch(/已由 市机关效能建设领导小组 于 .* 审批通过/);
    const extend = await act('office-lin', 'plan', 'extend', { due: '2099-01-31', reason: '顺延' });
    expect(extend.statusCode).toBe(409);
    expect(extend.json().error.code).toBe('conflict');
  });

  it('lets the responsible leader urge once a day (409 naming him the second time) and the coordinator extend', async () => {
    const urged = await act('leader-wang', 'summary-planning', 'urge', { message: '请月底前提交' });
    expect(urged.statusCode).toBe(200);
    expect(urged.json()).toMatchObject({ urged: [{ to: 'head-zheng', by: 'leader-wang' }] });
    const again = await act('director-zhang', 'summary-planning', 'urge');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/今天已由 王志明（副局长） 于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 催办过 郑伟（规划科科长）/);

    const due = `${h.input.year + 1}-02-28`;
    const extended = await act('office-lin', 'summary-planning', 'extend', { due, reason: '配合市里统一安排' });
    expect(extended.statusCode).toBe(200);
    expect(extended.json().due.slice(0, 10)).toBe(due);
    expect((await item('summary-planning')).due.slice(0, 10)).toBe(due);
    const audit = await auditUntil(h.client, id, (e) => e.some((x) => x.action === 'deadline-extended'));
    expect(audit.filter((e) => e.action === 'urged' || e.action === 'deadline-extended').map((e) => `${e.actor} ${e.role} ${e.action} ${e.subject} ${e.detail}`)).toEqual([
      'leader-wang leader:planning urged summary-planning to=head-zheng: 请月底前提交',
      `office-lin coordinator deadline-extended summary-planning ${h.input.dates.summary} → ${due}: 配合市里统一安排`,
    ]);
  });

  it('shows the forms on the item page to those who may use them, and takes them', async () => {
    const page = (who: string) => app.inject({ method: 'GET', url: `/cycles/${id}/d/summary-cadastre`, headers: { cookie: cookies[who]! } });
    const office = await page('office-lin');
    expect(office.body).toContain('data-testid="urge-form"');
    expect(office.body).toContain('data-testid="extend-form"');
    const wang = await page('leader-wang');
    expect(wang.body).toContain('data-testid="urge-form"');
    expect(wang.body).not.toContain('data-testid="extend-form"');
    const token = /action="\/cycles\/[^"]+\/urge"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"/.exec(wang.body)?.[1];
    expect(token).toBeDefined();
    const res = await app.inject({
      method: 'POST', url: `/cycles/${id}/d/summary-cadastre/urge`,
      headers: { cookie: cookies['leader-wang']!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ message: '请抓紧', _csrf: token! }).toString(),
    });
    expect([res.statusCode, res.headers.location]).toEqual([303, `/cycles/${id}/d/summary-cadastre?done=urged`]);
    expect((await item('summary-cadastre')).urged).toMatchObject([{ to: 'head-wu', by: 'leader-wang' }]);
  });

  it('publishes both operations in the OpenAPI document', async () => {
    const paths = Object.keys(((await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> }).paths);
    expect(paths).toEqual(expect.arrayContaining([
      '/api/cycles/{cycleId}/deliverables/{deliverableId}/urge', '/api/cycles/{cycleId}/deliverables/{deliverableId}/extend',
    ]));
  });
});
