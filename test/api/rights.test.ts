// Roles in the API against a real Temporal dev server: who may start, see, submit, pre-approve and
// approve; attachments (types, size, hashes, downloads); the audit of every refusal; audit filters
// and CSV; the iCalendar feed; the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { StatusView } from '../../client/cycle-client.js';
import type { AuditEntry } from '../../domain/audit.js';
import type { FileRef } from '../../workflows/definitions.js';
import { auditUntil, csrfHeaders, harness, multipart, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('rights');
  app = await h.api({ maxUploadBytes: 64 * 1024 });
  id = h.input.cycleId;
  for (const who of ['office-lin', 'hr-reviewer', 'efficiency-group', 'efficiency-office', 'head-zheng', 'head-xu', 'leader-wang', 'leader-li', 'leader-chen', 'director-zhang']) {
    cookies[who] = await signIn(app, h.dataDir, who);
  }
});
afterAll(async () => {
  await h?.close();
});

const as = (who: string) => csrfHeaders(cookies[who]!);
const post = (who: string, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: as(who), payload });
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as(who) });
const act = (who: string, deliverable: string, verb: string, payload: object = {}) => post(who, `/api/cycles/${id}/deliverables/${deliverable}/${verb}`, payload);
const refusedIn = (entries: AuditEntry[], actor: string, subject: string) => entries.some((e) => e.action === 'refused' && e.actor === actor && e.subject === subject);

async function upload(who: string, name: string, content: string | Buffer) {
  const body = multipart([{ name: 'files', filename: name, content }]);
  return app.inject({ method: 'POST', url: '/api/files', headers: { ...as(who), ...body.headers }, payload: body.payload });
}

describe('roles in the API', () => {
  it('lets only the coordinator the directory registers start the cycle', async () => {
    const body = h.file;
    // Audited in the directory's chain: a cycle not started has no audit yet.
    const refused = await post('head-zheng', '/api/cycles', body);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/head-zheng .*may not start cycles of/);
    expect((await h.client.store.audit.list('directory')).some((e) => e.action === 'refused' && e.actor === 'head-zheng' && e.subject === id)).toBe(true);
    const started = await post('office-lin', '/api/cycles', body);
    expect(started.statusCode).toBe(201);
    expect(started.json()).toEqual({ cycleId: id });
    expect((await get('office-lin', '/api/cycles')).json()).toMatchObject([{ cycleId: id }]);
  });

  it('runs the plan: the owner submits with a file, only HR pre-approves, only the approver approves; each refusal is audited', async () => {
    expect((await upload('office-lin', 'virus.exe', 'MZ')).json()).toMatchObject({ error: { code: 'invalid', field: 'files' } });
    const big = await upload('office-lin', 'big.pdf', Buffer.alloc(65 * 1024, 1));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: { field: 'files' } });
    const up = await upload('office-lin', '2024年度绩效评估工作方案.pdf', '%PDF-1.4 plan');
    expect(up.statusCode).toBe(201);
    const files = up.json() as FileRef[];
    expect(files[0]).toMatchObject({ name: '2024年度绩效评估工作方案.pdf', size: 13 });

    const unknown = await act('office-lin', 'plan', 'submit', { files: [{ name: 'x.pdf', sha256: 'a'.repeat(64), size: 1 }] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { field: 'files.0.sha256' } });
    const wrongOwner = await act('hr-reviewer', 'plan', 'submit', { files });
    expect(wrongOwner.statusCode).toBe(403);

    const submitted = await act('office-lin', 'plan', 'submit', { note: '方案及三定规定', files });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ state: 'in-review', actors: ['hr-reviewer'] });

    // Not a reviewer at all: refused by the API.
    expect((await act('office-lin', 'plan', 'approve')).statusCode).toBe(403);
    // The approver before HR's pre-approval: the API lets a reviewer of the plan through, the workflow's validator refuses.
    const early = await act('efficiency-group', 'plan', 'approve');
    expect(early.statusCode).toBe(403);
    expect(early.json().error.message).toMatch(/hr-reviewer/);
    expect((await act('efficiency-office', 'plan', 'approve')).statusCode).toBe(403);
    expect((await act('hr-reviewer', 'plan', 'reject', {})).json()).toMatchObject({ error: { field: 'body.reason' } });

    expect((await act('hr-reviewer', 'plan', 'approve', { comment: '初审通过' })).json()).toMatchObject({ actors: ['efficiency-group'] });
    expect((await act('hr-reviewer', 'plan', 'approve')).statusCode).toBe(403);
    expect((await act('efficiency-group', 'plan', 'approve')).json()).toMatchObject({ state: 'accepted' });
    const status = (await get('director-zhang', `/api/cycles/${id}`)).json() as StatusView;
    expect(status.phase).toBe('summary');

    const audit = await auditUntil(h.client, id, (e) => refusedIn(e, 'efficiency-office', 'plan'));
    for (const [who, subject] of [['hr-reviewer', 'plan'], ['office-lin', 'plan'], ['efficiency-group', 'plan'], ['efficiency-office', 'plan']]) {
      expect(refusedIn(audit, who!, subject!), `${who} refused on ${subject}`).toBe(true);
    }
    expect(audit.find((e) => e.action === 'refused' && e.actor === 'office-lin')?.detail).toMatch(/^approve: /);
  });

  it('shows a department head only their own department and lets them act only there', async () => {
    const mine = (await get('head-zheng', `/api/cycles/${id}`)).json() as StatusView;
    expect(mine.deliverables.map((d) => d.id).sort()).toEqual(['evidence-planning', 'summary-planning']);
    const xu = (await get('head-xu', `/api/cycles/${id}`)).json() as StatusView;
    expect(xu.deliverables.map((d) => d.department).sort()).toEqual(['enforcement', 'enforcement', 'law', 'law']);
    const leader = (await get('leader-wang', `/api/cycles/${id}`)).json() as StatusView;
    const led = h.input.departments.filter((d) => d.leader === 'leader-wang').map((d) => d.id);
    expect(new Set(leader.deliverables.map((d) => d.department))).toEqual(new Set(led));
    expect((await get('director-zhang', `/api/cycles/${id}`)).json().deliverables.length).toBe(17);

    const other = await act('head-zheng', 'summary-law', 'submit', { note: '越权' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.message).toMatch(/head-zheng/);

    const up = (await upload('head-zheng', '规划科年度总结.docx', 'summary bytes')).json() as FileRef[];
    expect((await act('head-zheng', 'summary-planning', 'submit', { note: '年度总结及目标台账', files: up })).json()).toMatchObject({ state: 'in-review' });
    // The leader of another department may neither approve nor download.
    const planningLeader = h.input.departments.find((d) => d.id === 'planning')!.leader;
    const outsider = ['leader-wang', 'leader-li', 'leader-chen'].find((l) => l !== planningLeader)!;
    expect((await act(outsider, 'summary-planning', 'approve')).statusCode).toBe(403);
    const url = `/api/cycles/${id}/deliverables/summary-planning/files/${up[0]!.sha256}`;
    expect((await get(outsider, url)).statusCode).toBe(403);
    expect((await get('head-xu', url)).statusCode).toBe(403);
    const file = await get('head-zheng', url);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('summary bytes');
    expect(file.headers['content-disposition']).toContain("filename*=UTF-8''%E8%A7%84%E5%88%92");
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    const audit = await auditUntil(h.client, id, (e) => refusedIn(e, outsider, 'summary-planning') && refusedIn(e, 'head-xu', 'summary-planning'));
    expect(refusedIn(audit, 'head-zheng', 'summary-law')).toBe(true);
    expect(refusedIn(audit, 'head-xu', 'summary-planning')).toBe(true);
  });

  it('filters the audit by role and by query, and exports CSV', async () => {
    const all = (await get('office-lin', `/api/cycles/${id}/audit`)).json() as AuditEntry[];
    const zheng = (await get('head-zheng', `/api/cycles/${id}/audit`)).json() as AuditEntry[];
    expect(all.some((e) => e.subject === 'plan')).toBe(true);
    expect(zheng.some((e) => e.subject === 'plan' && e.actor !== 'head-zheng')).toBe(false);
    expect(zheng.some((e) => e.action === 'phase-changed')).toBe(true);

    const refusals = (await get('office-lin', `/api/cycles/${id}/audit?action=refused&actor=head-zheng`)).json() as AuditEntry[];
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.every((e) => e.actor === 'head-zheng' && e.action === 'refused')).toBe(true);
    expect((await get('office-lin', `/api/cycles/${id}/audit?from=2000-01-01&to=2000-01-02`)).json()).toEqual([]);
    expect((await get('office-lin', `/api/cycles/${id}/audit?from=yesterday`)).json()).toMatchObject({ error: { field: 'querystring.from' } });

    const csv = await get('office-lin', `/api/cycles/${id}/audit?format=csv&subject=plan`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('seq,at,actor,role,action,subject,detail,workflowId,onBehalfOf,text');
    expect(lines.slice(1).every((l) => l.split(',')[5] === 'plan')).toBe(true);
  });

  it('speaks of people by name on the pages: the audit in sentences, its CSV with the words beside the codes, a refusal by name', async () => {
    /** What a reader sees: the page's text without its markup (a filter's option values are codes, for the query). */
    const visible = (body: string) => body.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<[^>]*>/g, ' ').replace(/&quot;/g, '"');
    const page = await get('office-lin', `/cycles/${id}/audit`);
    expect(page.statusCode).toBe(200);
    const text = visible(page.body);
    expect(text).toContain('林晓燕');
    expect(text).toContain('市人社局考核科 审核通过「绩效评估工作方案及"三定"规定」（市人社局初审）');
    expect(text).toMatch(/郑伟（规划科科长） 尝试(提交|查看)「[^」]+」，被拒绝：/);
    expect(text).not.toMatch(/office-lin|head-zheng|deliverable-opened|hrReviewer|owner:planning|@perfcycle|sha256/);
    // The action filter is labelled as such and offers the actions in words.
    expect(page.body).toMatch(/<label>操作<select name="action"><option value="">全部<\/option>/);
    expect(page.body).toContain('<option value="deliverable-opened" >下达任务</option>');
    const en = visible((await get('office-lin', `/cycles/${id}/audit?lang=en`)).body);
    expect(en).toContain('市人社局考核科 approved "Work plan and "three-determination" mandate" (HR preliminary review)');

    const csv = await get('office-lin', `/cycles/${id}/audit.csv?action=approved&lang=zh`);
    expect(csv.body.startsWith('\uFEFF')).toBe(true);
    const [head, ...rows] = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(head).toBe('seq,at,actor,role,action,subject,detail,workflowId,onBehalfOf,text');
    expect(rows[0]).toContain('hr-reviewer,hrReviewer,approved,plan');
    expect(rows[0]).toContain('市人社局考核科 审核通过「绩效评估工作方案及""三定""规定」（市人社局初审）');

    // The ledger's downloads on the dashboard: for those who follow the whole cycle only.
    expect((await get('office-lin', `/cycles/${id}`)).body).toContain(`<a href="/api/cycles/${id}/ledger">XLSX</a>`);
    expect((await get('head-zheng', `/cycles/${id}`)).body).not.toContain('data-testid="downloads"');

    // The API's CSV says the same, in the language asked for.
    const api = (await get('office-lin', `/api/cycles/${id}/audit?format=csv&action=approved&lang=en`)).body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(api[0]).toBe('seq,at,actor,role,action,subject,detail,workflowId,onBehalfOf,text');
    expect(api[1]).toContain('市人社局考核科 approved');

    // A refusal on a page: the reader's language, the person by name.
    const refused = await get('head-zheng', `/cycles/${id}/d/summary-law`);
    expect(refused.statusCode).toBe(403);
    expect(visible(refused.body)).toContain('郑伟（规划科科长） 无权查看「政策法规科年度工作总结及目标台账」');
    expect(visible(refused.body)).not.toContain('head-zheng');
  });

  it('serves each person\'s deadlines as iCalendar at a secret address', async () => {
    const meRes = (await get('head-zheng', '/api/me')).json() as { icalUrl: string };
    const path = new URL(meRes.icalUrl).pathname;
    const ics = await app.inject({ method: 'GET', url: path });
    expect(ics.statusCode).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.body).toContain(`UID:${id}.evidence-planning.submit@perfcycle`);
    expect(ics.body).toContain(`DTSTART;VALUE=DATE:${h.input.dates.reviewStart.replace(/-/g, '')}`);
    expect(ics.body).not.toContain('summary-law');
    expect(ics.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect((await app.inject({ method: 'GET', url: '/ical/not-a-real-token-but-long-enough.ics' })).statusCode).toBe(404);

    const tasks = (await get('head-zheng', `/api/cycles/${id}/tasks`)).json() as { current: { deliverableId: string; daysLeft: number }[] };
    expect(tasks.current.map((t) => t.deliverableId)).toEqual(['evidence-planning']);
    expect(tasks.current[0]!.daysLeft).toBeGreaterThan(0);
  });

  it('publishes every API operation in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> };
    const paths = Object.keys(doc.paths);
    for (const p of ['/api/auth/link', '/api/auth/link/consume', '/api/auth/password', '/api/auth/logout', '/api/me', '/api/me/password',
      '/api/cycles', '/api/cycles/{cycleId}', '/api/cycles/{cycleId}/tasks', '/api/cycles/{cycleId}/audit', '/api/files',
      '/api/cycles/{cycleId}/deliverables/{deliverableId}/submit', '/api/cycles/{cycleId}/deliverables/{deliverableId}/approve',
      '/api/cycles/{cycleId}/deliverables/{deliverableId}/reject', '/api/cycles/{cycleId}/deliverables/{deliverableId}/files/{sha256}']) {
      expect(paths, p).toContain(p);
    }
    expect(paths.some((p) => p.startsWith('/ical/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('/cycles'))).toBe(false);
  });
});
