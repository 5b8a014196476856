// 委托 / 转办 over HTTP (issue 11): a colleague of the directory, not a person of the cycle, sees and acts
// on what was handed to them and nothing else; bad input is a 400 naming the field; someone handing on
// another's work is refused (403, audited) unless they are the coordinator; revoking ends it at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { StatusView } from '../../client/cycle-client.js';
import { operatorActor } from '../../client/operator.js';
import { acceptPlan, auditUntil, csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};
const DEPUTY = { id: 'deputy-gao', name: '高明（规划科副科长）', email: 'gao@jinjiang.example', lang: 'zh-CN' as const };

beforeAll(async () => {
  h = await harness('delegation');
  id = h.input.cycleId;
  const unit = h.input.unit;
  await h.client.store.directory.importDirectory({
    units: [{ id: unit.id, name: unit.name }, { id: 'other-bureau', name: '市另一局' }], departments: [],
    people: [{ ...DEPUTY, unit: unit.id }, { id: 'stranger-qian', name: '钱某（另一局）', email: 'qian@other.example', lang: 'zh-CN', unit: 'other-bureau' }],
  }, operatorActor());
  app = await h.api();
  for (const who of ['office-lin', 'hr-reviewer', 'efficiency-group', 'head-zheng', 'head-wu', DEPUTY.id]) cookies[who] = await signIn(app, h.dataDir, who);
  const started = await post('office-lin', '/api/cycles', h.file);
  if (started.statusCode !== 201) throw new Error(`start: ${started.statusCode} ${started.body}`);
  await acceptPlan(h, post);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function post(who: string, url: string, payload: object = {}) {
  return app.inject({ method: 'POST', url, headers: csrfHeaders(cookies[who]!), payload });
}
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: csrfHeaders(cookies[who]!) });
const delegate = (who: string, payload: object) => post(who, `/api/cycles/${id}/delegations`, payload);

describe('delegating over HTTP', () => {
  it('answers 400 naming the field for an unknown colleague, one of another unit, oneself, and neither item nor span', async () => {
    const unknown = await delegate('head-zheng', { to: 'nobody-here', deliverableId: 'summary-planning' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ code: 'invalid', field: 'to' });
    const other = await delegate('head-zheng', { to: 'stranger-qian', deliverableId: 'summary-planning' });
    expect(other.json().error).toMatchObject({ code: 'invalid', field: 'to' });
    expect(other.json().error.message).toContain('钱某（另一局） 不是 郑伟（规划科科长） 所在单位的人员');
    expect((await delegate('head-zheng', { to: 'head-zheng', deliverableId: 'summary-planning' })).json().error).toMatchObject({ code: 'invalid', field: 'to' });
    expect((await delegate('head-zheng', { to: DEPUTY.id })).json().error).toMatchObject({ code: 'invalid', field: 'start' });
    expect((await delegate('head-zheng', { to: DEPUTY.id, start: '2019-02-31', end: '2019-03-01' })).json().error).toMatchObject({ code: 'invalid', field: 'body.start' });
    // An oversized reason: 400 naming it; a form posted from another page (no CSRF token): refused, nothing made.
    expect((await delegate('head-zheng', { to: DEPUTY.id, deliverableId: 'summary-planning', reason: 'x'.repeat(2001) })).json().error).toMatchObject({ code: 'invalid', field: 'body.reason' });
    const forged = await app.inject({
      method: 'POST', url: `/cycles/${id}/delegations`, headers: { cookie: cookies['head-zheng']!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ to: DEPUTY.id, deliverableId: 'summary-planning' }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect((await get('head-zheng', `/api/cycles/${id}/delegations`)).json()).toEqual([]);
  });

  it('refuses handing on another\'s work (403, audited) but lets the coordinator do it (转办)', async () => {
    const res = await delegate('head-wu', { to: DEPUTY.id, from: 'head-zheng', deliverableId: 'summary-planning' });
    expect(res.statusCode).toBe(403);
    const audit = await auditUntil(h.client, id, (e) => e.some((x) => x.action === 'refused' && x.actor === 'head-wu'));
    expect(audit.find((x) => x.action === 'refused' && x.actor === 'head-wu')?.detail).toMatch(/^delegate: head-wu 无权替 head-zheng 委托/);
    const byCoordinator = await delegate('office-lin', { to: DEPUTY.id, from: 'head-zheng', deliverableId: 'summary-planning', reason: '郑科长住院' });
    expect(byCoordinator.statusCode).toBe(201);
    expect(byCoordinator.json()).toMatchObject({ from: 'head-zheng', to: DEPUTY.id, toName: DEPUTY.name, by: 'office-lin' });
    const revoked = await post('head-zheng', `/api/cycles/${id}/delegations/${byCoordinator.json().id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ revokedBy: 'head-zheng' });
  });

  it('lets the colleague see and submit only the item handed over, for its owner; revoking ends it', async () => {
    // Before: the deputy is no person of the cycle.
    expect((await get(DEPUTY.id, `/api/cycles/${id}`)).statusCode).toBe(403);
    const made = await delegate('head-zheng', { to: DEPUTY.id, deliverableId: 'summary-planning', reason: '出差一周' });
    expect(made.statusCode).toBe(201);
    const status = (await get(DEPUTY.id, `/api/cycles/${id}`)).json() as StatusView;
    expect(status.deliverables.map((d) => d.id)).toEqual(['summary-planning']);
    expect((await get(DEPUTY.id, '/api/cycles')).json().map((c: { cycleId: string }) => c.cycleId)).toContain(id);
    // Another head's item is out of reach (403 before the workflow is asked).
    expect((await post(DEPUTY.id, `/api/cycles/${id}/deliverables/summary-cadastre/submit`, { note: 'x' })).statusCode).toBe(403);
    const submitted = await post(DEPUTY.id, `/api/cycles/${id}/deliverables/summary-planning/submit`, { note: '代郑科长提交' });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().submissions.at(-1)).toMatchObject({ by: DEPUTY.id, for: 'head-zheng' });
    const audit = await auditUntil(h.client, id, (e) => e.some((x) => x.action === 'submitted' && x.subject === 'summary-planning'));
    expect(audit.find((x) => x.action === 'submitted' && x.subject === 'summary-planning')).toMatchObject({ actor: DEPUTY.id, onBehalfOf: 'head-zheng' });
    // The person it was for reads the delegation in the cycle's list.
    const list = (await get('head-zheng', `/api/cycles/${id}/delegations`)).json() as { id: number; revokedAt?: string }[];
    expect(list.filter((d) => !d.revokedAt).map((d) => d.id)).toEqual([made.json().id]);
    expect((await post('head-zheng', `/api/cycles/${id}/delegations/${made.json().id}/revoke`)).statusCode).toBe(200);
    expect((await get(DEPUTY.id, `/api/cycles/${id}`)).statusCode).toBe(403);
    // Taken back twice: 409; an unknown one: 404.
    expect((await post('head-zheng', `/api/cycles/${id}/delegations/${made.json().id}/revoke`)).statusCode).toBe(409);
    expect((await post('head-zheng', `/api/cycles/${id}/delegations/999/revoke`)).statusCode).toBe(404);
  });

  it('does it all from the pages: the item\'s form, my tasks with whom I act for, the audit in sentences, revoking', async () => {
    const page = (who: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
    const form = async (who: string, body: string, action: string, fields: Record<string, string>) => {
      const token = new RegExp(`action="${action}"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"`).exec(body)?.[1];
      if (!token) throw new Error(`no form ${action}`);
      return app.inject({
        method: 'POST', url: action, headers: { cookie: cookies[who]!, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ ...fields, _csrf: token }).toString(),
      });
    };
    const item = `/cycles/${id}/d/summary-cadastre`;
    const wu = await page('head-wu', item);
    expect(wu.body).toContain('data-testid="delegate-form"');
    expect(wu.body).toContain(`<option value="${DEPUTY.id}">${DEPUTY.name}</option>`);
    // Another unit's people are no colleagues.
    expect(wu.body).not.toContain('钱某');
    const made = await form('head-wu', wu.body, `/cycles/${id}/delegations`, { to: DEPUTY.id, deliverableId: 'summary-cadastre', back: item, reason: '下乡调研' });
    expect([made.statusCode, made.headers.location]).toEqual([303, `${item}?done=delegated`]);

    const tasks = await page(DEPUTY.id, '/tasks');
    expect(tasks.body).toContain('地籍与确权登记科年度工作总结');
    expect(tasks.body).toMatch(/data-testid="acting-for">代 吴海峰（地籍与确权登记科科长） 办理/);
    const deputyItem = await page(DEPUTY.id, item);
    expect(deputyItem.body).toContain(`action="${item}/submit?`);
    expect(deputyItem.body).toContain('高明（规划科副科长） 代 吴海峰（地籍与确权登记科科长） 办理 · 下乡调研');
    expect(deputyItem.body).not.toMatch(/deputy-gao|head-wu/);

    // Who made it takes it back from "my tasks", which also offers the out-of-office form.
    const mine = await page('head-wu', '/tasks');
    expect(mine.body).toContain('data-testid="away-form"');
    const n = (await get('head-wu', `/api/cycles/${id}/delegations`)).json().at(-1).id as number;
    const back = await form('head-wu', mine.body, `/cycles/${id}/delegations/${n}/revoke`, { back: '/tasks' });
    expect([back.statusCode, back.headers.location]).toEqual([303, '/tasks?done=revoked']);
    expect((await page(DEPUTY.id, '/tasks')).body).not.toContain('data-testid="acting-for"');

    const audit = await page('office-lin', `/cycles/${id}/audit`);
    expect(audit.body).toContain('吴海峰（地籍与确权登记科科长） 委托 高明（规划科副科长） 代为办理「地籍与确权登记科年度工作总结');
    expect(audit.body).toContain('林晓燕（局办公室） 将 郑伟（规划科科长） 的「规划科年度工作总结');
    expect(audit.body).toContain('高明（规划科副科长）（代 郑伟（规划科科长）） 提交「规划科年度工作总结');
    expect(audit.body).toContain('吴海峰（地籍与确权登记科科长） 收回了交给 高明（规划科副科长） 的委托');
  });
});
