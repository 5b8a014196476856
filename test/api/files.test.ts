// Files over the API against a real Temporal dev server: a file named by hash must be the caller's own
// upload (a refusal is audited), and a download goes only through an item the file is used on, so a
// department head cannot reach another head's file by copying its hash and size into his own item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { fileStore } from '../../client/file-store.js';
import type { FileRef } from '../../workflows/definitions.js';
import { csrfHeaders, harness, multipart, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let id: string;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('files');
  app = await h.api();
  id = h.input.cycleId;
  for (const who of ['office-lin', 'head-zheng', 'head-xu']) cookies[who] = await signIn(app, h.dataDir, who);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const as = (who: string) => csrfHeaders(cookies[who]!);
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as(who) });
const submit = (who: string, deliverable: string, payload: object) =>
  app.inject({ method: 'POST', url: `/api/cycles/${id}/deliverables/${deliverable}/submit`, headers: as(who), payload });
const fileUrl = (deliverable: string, sha256: string) => `/api/cycles/${id}/deliverables/${deliverable}/files/${sha256}`;

async function upload(who: string, name: string, content: string): Promise<FileRef[]> {
  const body = multipart([{ name: 'files', filename: name, content }]);
  const res = await app.inject({ method: 'POST', url: '/api/files', headers: { ...as(who), ...body.headers }, payload: body.payload });
  expect(res.statusCode).toBe(201);
  return res.json() as FileRef[];
}

describe('files in the API', () => {
  it('brings the cycle to the summary phase, where each head has his department\'s items', { timeout: 120_000 }, async () => {
    await h.client.start(h.input, 'office-lin');
    const plan = await upload('office-lin', '工作方案.pdf', '%PDF-1.4 plan');
    expect(await h.client.store.files.get(plan[0]!.sha256)).toMatchObject({ uploadedBy: 'office-lin', name: '工作方案.pdf' });
    expect((await submit('office-lin', 'plan', { files: plan })).statusCode).toBe(200);
    expect(await h.client.store.files.uses(plan[0]!.sha256)).toMatchObject([{ cycleId: id, subject: 'plan', kind: 'submission', usedBy: 'office-lin' }]);
    await h.client.approve(id, 'plan', { actor: 'hr-reviewer' });
    await h.client.approve(id, 'plan', { actor: 'efficiency-group' });
    expect((await h.client.status(id)).phase).toBe('summary');
  });

  it('refuses, and audits, a head naming another head\'s file; keeps it from him through his own item', { timeout: 60_000 }, async () => {
    const zhengs = await upload('head-zheng', '规划科年度总结.docx', 'zheng\'s summary');
    const sha = zhengs[0]!.sha256;

    const taken = await submit('head-xu', 'summary-law', { note: '借用', files: zhengs });
    expect(taken.statusCode).toBe(403);
    expect(taken.json()).toMatchObject({ error: { code: 'refused', field: 'files.0.sha256' } });
    expect(taken.json().error.message).toMatch(/^files\.0\.sha256: 只能提交本人上传的文件.* \/ only files you uploaded/);
    const audit = await h.client.audit(id);
    expect(audit.some((e) => e.action === 'refused' && e.actor === 'head-xu' && e.subject === 'summary-law' && e.detail?.startsWith('submit: files.0.sha256'))).toBe(true);
    expect((await h.client.status(id)).deliverables.find((d) => d.id === 'summary-law')?.state).toBe('open');
    expect((await get('head-xu', fileUrl('summary-law', sha))).statusCode).toBe(404);

    // Defence in depth: even if his item recorded the hash (here past the API, as an operator could),
    // the file is not served from it: it was neither uploaded by him nor handed in there through the API.
    await h.client.submit(id, 'summary-law', { actor: 'head-xu', files: zhengs });
    expect((await get('head-xu', fileUrl('summary-law', sha))).statusCode).toBe(404);

    // The owner submits his own file and downloads it from his item; the other head still cannot.
    expect((await submit('head-zheng', 'summary-planning', { files: zhengs })).statusCode).toBe(200);
    const mine = await get('head-zheng', fileUrl('summary-planning', sha));
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toBe('zheng\'s summary');
    expect((await get('head-xu', fileUrl('summary-planning', sha))).statusCode).toBe(403);
  });

  it('takes a page form\'s files from whoever sends their bytes, and serves them from that item', { timeout: 60_000 }, async () => {
    // The same bytes head-zheng uploaded first: sent with the form, so head-xu evidently holds them.
    const body = multipart([{ name: 'note', content: '执法科佐证' }, { name: 'files', filename: '执法科总结.docx', content: 'zheng\'s summary' }]);
    const posted = await app.inject({ method: 'POST', url: `/cycles/${id}/d/evidence-law/submit`, headers: { ...as('head-xu'), ...body.headers }, payload: body.payload });
    expect(posted.statusCode).toBe(303);
    const sha = (await h.client.status(id)).deliverables.find((d) => d.id === 'evidence-law')!.submissions[0]!.files[0]!.sha256;
    expect(await h.client.store.files.uses(sha)).toContainEqual(expect.objectContaining({ cycleId: id, subject: 'evidence-law', usedBy: 'head-xu' }));
    const page = await get('head-xu', `/cycles/${id}/d/evidence-law/files/${sha}`);
    expect([page.statusCode, page.body]).toEqual([200, 'zheng\'s summary']);
  });

  it('asks for an upload of a file the database has no record of, and still serves one stored before it', { timeout: 60_000 }, async () => {
    // Bytes put without the database, as every file was before it.
    const old = await fileStore(h.dataDir).put('旧佐证.pdf', Buffer.from('%PDF-1.4 before the database'));
    const unknown = await submit('head-zheng', 'evidence-planning', { files: [old] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { code: 'invalid', field: 'files.0.sha256' } });

    await h.client.submit(id, 'evidence-planning', { actor: 'head-zheng', files: [old] });
    const served = await get('head-zheng', fileUrl('evidence-planning', old.sha256));
    expect(served.statusCode).toBe(200);
    expect(served.body).toBe('%PDF-1.4 before the database');
  });
});
