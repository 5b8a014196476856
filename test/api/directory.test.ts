// Issue 8, findings 1 and 2, replayed: a cycle file could re-address the director's account (and start a
// cycle that mails the attacker), and a cycle id could be bound again to other people. Now the
// organisation directory is the only source of who a person is, and only its administrators, the
// coordinator it registers for a unit, or an operator may start that unit's cycles.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleFile } from '../../domain/cycle-file.js';
import { cycleIdOf } from '../../domain/cycle.js';
import { csrfHeaders, harness, multipart, signIn, type Harness } from './harness.js';

const ATTACKER = 'attacker@evil.example';
let h: Harness;
let app: FastifyInstance;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  h = await harness('directory');
  app = await h.api();
  await h.client.store.directory.importDirectory({ units: [], departments: [], people: [{ id: 'admin-chen', name: '陈管理员', email: 'admin-chen@jinjiang.example' }] }, 'operator:test');
  await h.client.store.directory.grantAdmin('admin-chen', 'operator:test');
  for (const who of ['office-lin', 'head-zheng', 'admin-chen']) cookies[who] = await signIn(app, h.dataDir, who);
}, 120_000);
afterAll(async () => {
  await h?.close();
}, 60_000);

const as = (who: string) => csrfHeaders(cookies[who]!);
const post = (who: string, url: string, payload: object) => app.inject({ method: 'POST', url, headers: as(who), payload });
const get = (who: string, url: string) => app.inject({ method: 'GET', url, headers: as(who) });
const directoryChain = () => h.client.store.audit.list('directory');
/** The harness's cycle file, changed (a deep copy: h.file stays as the registered cycle's). */
const fileWith = (edit: (f: CycleFile) => void): CycleFile => {
  const f = JSON.parse(JSON.stringify(h.file)) as CycleFile;
  edit(f);
  return f;
};
/** Finding 1's file: head-zheng as coordinator, and a "director" whose mail goes to the attacker. */
const hijack = (year = h.file.year) => fileWith((f) => {
  f.year = year;
  f.roles.coordinator = 'head-zheng';
  f.people = f.people.map((p) => (p.id === 'director-zhang' ? { ...p, email: ATTACKER, name: `Zhang <${ATTACKER}>, Director` } : p));
});
async function mailedToAttacker(): Promise<string[]> {
  const hits: string[] = [];
  for (const dir of ['outbox', 'worker-outbox']) {
    for (const name of await readdir(join(h.dataDir, dir)).catch(() => [] as string[])) {
      if ((await readFile(join(h.dataDir, dir, name), 'utf8')).includes(ATTACKER)) hits.push(name);
    }
  }
  return hits;
}

describe('starting a cycle (issue 8, findings 1 and 2)', () => {
  it('refuses a department head\'s file naming himself coordinator and re-addressing the director: 403, audited, nothing changed', async () => {
    const next = h.file.year + 1;
    const res = await post('head-zheng', '/api/cycles', hijack(next));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/head-zheng .*may not start cycles of/);
    const refusal = (await directoryChain()).find((e) => e.action === 'refused' && e.actor === 'head-zheng');
    expect(refusal).toMatchObject({ subject: cycleIdOf(h.input.unit.id, next) });
    expect(refusal?.detail).toMatch(/^start: /);
    expect(await h.client.store.directory.person('director-zhang')).toMatchObject({ email: 'director-zhang@jinjiang.example', name: '张建国（局长）' });
    expect(await h.client.store.cycles.get(cycleIdOf(h.input.unit.id, next))).toBeUndefined();
    expect(await mailedToAttacker()).toEqual([]);
  });

  it('refuses the same people from the registered coordinator: 400 naming the field; an id outside the directory names its path', async () => {
    const res = await post('office-lin', '/api/cycles', fileWith((f) => {
      f.year += 2;
      f.people = f.people.map((p) => (p.id === 'director-zhang' ? { ...p, email: ATTACKER } : p));
    }));
    expect(res.statusCode).toBe(400);
    const index = h.file.people.findIndex((p) => p.id === 'director-zhang');
    expect(res.json().error.message).toContain(`people.${index}.email: 与组织目录不一致`);
    expect(res.json().error.message).toContain('change it there');
    const stranger = await post('office-lin', '/api/cycles', fileWith((f) => { f.year += 2; f.departments[2]!.owner = 'someone-new'; }));
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.message).toContain('departments.2.owner: 组织目录中没有此人 / not in the organisation directory');
    expect((await h.client.store.directory.person('director-zhang'))?.email).toBe('director-zhang@jinjiang.example');
    expect(await mailedToAttacker()).toEqual([]);
  });

  it('lets the registered coordinator start the registered cycle; the id is never bound again, running or terminated: 409', async () => {
    const id = h.input.cycleId;
    const started = await post('office-lin', '/api/cycles', h.file);
    expect([started.statusCode, started.json()]).toEqual([201, { cycleId: id }]);
    const members = async () => (await h.client.store.accounts.all()).filter((a) => a.cycles.includes(id)).map((a) => a.id);
    const before = { input: await h.client.store.cycles.get(id), members: await members() };
    expect(before.members).toContain('director-zhang');

    const again = await post('office-lin', '/api/cycles', h.file);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'conflict']);
    const other = await post('admin-chen', '/api/cycles', fileWith((f) => { f.roles.approver = 'leader-li'; }));
    expect([other.statusCode, other.json().error.message]).toEqual([409, expect.stringMatching(/already running/)]);

    await h.env.client.workflow.getHandle(id).terminate('test: terminated');
    for (const body of [h.file, fileWith((f) => { f.roles.director = 'leader-wang'; })]) {
      const res = await post('office-lin', '/api/cycles', body);
      expect([res.statusCode, res.json().error.message]).toEqual([409, expect.stringMatching(/exists/)]);
    }
    expect(await h.client.store.cycles.get(id)).toEqual(before.input);
    expect(await members()).toEqual(before.members);
  });

  it('gives the trusted header of local scripts no way round: a person is checked, an operator\'s name is nobody', async () => {
    const scripts = await h.api({ trustHeader: true });
    const as = (who: string) => scripts.inject({ method: 'POST', url: '/api/cycles', headers: { 'x-perfcycle-user': who }, payload: fileWith((f) => { f.year += 4; }) });
    expect((await as('head-zheng')).statusCode).toBe(403);
    expect((await as('operator:root')).statusCode).toBe(401);
    expect((await scripts.inject({ method: 'GET', url: '/api/directory', headers: { 'x-perfcycle-user': 'head-zheng' } })).statusCode).toBe(403);
  });

  it('lets a directory administrator start any unit\'s cycle', async () => {
    const next = h.file.year + 3;
    const res = await post('admin-chen', '/api/cycles', fileWith((f) => { f.year = next; }));
    expect([res.statusCode, res.json()]).toEqual([201, { cycleId: cycleIdOf(h.input.unit.id, next) }]);
    await h.env.client.workflow.getHandle(cycleIdOf(h.input.unit.id, next)).terminate('test: done');
  });
});

describe('the directory over HTTP', () => {
  it('is for administrators only: anyone else gets 403, audited; /api/me says who is one', async () => {
    const refused = await get('head-zheng', '/api/directory');
    expect(refused.statusCode).toBe(403);
    expect((await directoryChain()).at(-1)).toMatchObject({ action: 'refused', actor: 'head-zheng', subject: 'directory' });
    expect((await get('head-zheng', '/admin')).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url: '/api/directory/people/head-wu', headers: as('office-lin'), payload: { email: ATTACKER } })).statusCode).toBe(403);
    expect((await h.client.store.directory.person('head-wu'))?.email).toBe('head-wu@jinjiang.example');

    const dir = await get('admin-chen', '/api/directory');
    expect(dir.statusCode).toBe(200);
    expect(dir.json().units).toEqual([{ id: h.input.unit.id, name: h.input.unit.name, coordinator: 'office-lin' }]);
    expect((await get('admin-chen', '/api/me')).json()).toMatchObject({ admin: true });
    expect((await get('head-zheng', '/api/me')).json()).toMatchObject({ admin: false });
  });

  it('imports as an administrator: an e-mail changed is audited in the directory chain; a bad row changes nothing', async () => {
    const wu = (await h.client.store.directory.person('head-wu'))!;
    const res = await post('admin-chen', '/api/directory/import', { people: [{ ...wu, email: 'wu.haifeng@jinjiang.example' }] });
    expect([res.statusCode, res.json()]).toEqual([200, { added: [], changed: ['head-wu'] }]);
    expect((await directoryChain()).find((e) => e.action === 'person-changed' && e.subject === 'head-wu'))
      .toMatchObject({ actor: 'admin-chen', role: 'admin', detail: 'email: head-wu@jinjiang.example → wu.haifeng@jinjiang.example' });
    expect((await h.client.store.audit.verify('directory')).ok).toBe(true);

    const csv = 'id,name,email,unit\nhead-wu,吴海峰,wu@elsewhere.example,\nnewcomer,新人,not-an-address,\n';
    const body = multipart([{ name: 'file', filename: 'people.csv', content: csv }]);
    const bad = await app.inject({ method: 'POST', url: '/api/directory/import', headers: { ...as('admin-chen'), ...body.headers }, payload: body.payload });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'file' });
    expect(bad.json().error.message).toContain('第 3 行「email」/ row 3, column "email": 邮箱格式错误');
    expect((await h.client.store.directory.person('head-wu'))?.email).toBe('wu.haifeng@jinjiang.example');
    expect(await h.client.store.directory.person('newcomer')).toBeUndefined();

    const put = await app.inject({ method: 'PUT', url: '/api/directory/people/head-wu', headers: as('admin-chen'), payload: { email: 'nope' } });
    expect([put.statusCode, put.json().error.field]).toEqual([400, 'body.email']);
  });

  it('shows the page to an administrator with names, and edits a person through its form (CSRF token in every form)', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin?edit=head-cai', headers: { cookie: cookies['admin-chen']! } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('林晓燕（局办公室）');
    expect(page.body).toContain('耕地保护与利用科');
    const forms = [...page.body.matchAll(/<form\b[^>]*method="post"[^>]*>(<input type="hidden" name="_csrf" value="([^"]+)">)?/g)];
    expect(forms.length).toBeGreaterThanOrEqual(3);
    expect(forms.every((m) => m[2])).toBe(true);
    const token = forms.find((m) => m[0].includes('/admin/people/head-cai'))![2]!;
    const res = await app.inject({
      method: 'POST', url: '/admin/people/head-cai', headers: { cookie: cookies['admin-chen']!, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: token, name: '蔡明', email: 'cai.ming@jinjiang.example', phone: '0595-8888' }).toString(),
    });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin?saved=1']);
    expect(await h.client.store.directory.person('head-cai')).toMatchObject({ name: '蔡明', email: 'cai.ming@jinjiang.example', phone: '0595-8888' });
  });
});
