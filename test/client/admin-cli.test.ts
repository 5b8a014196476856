// `perfcycle admin …` and `perfcycle cycle start` in operator mode, as a user runs them: the directory
// straight in the database, every change audited as operator:<os user>; a cycle file names people by
// their directory id.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorActor } from '../../client/operator.js';
import { cliServer, ROOT, runCli, type CliServer } from '../helpers/cli.js';
import { tempDir } from '../helpers/cycle.js';

const dir = tempDir('admin-cli');
let s: CliServer;
const cli = (...args: string[]) => runCli(args, s.cliEnv);
const store = () => s.client.store;
const OPERATOR = operatorActor();

beforeAll(async () => {
  s = await cliServer(dir);
}, 120_000);
afterAll(async () => {
  await s?.close();
}, 60_000);

describe('perfcycle admin', () => {
  it('imports the example directory (CSV), then lists it by name', async () => {
    const r = await cli('admin', 'import', 'examples/jinjiang-directory.csv');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('新增 added 17, 变更 changed 0');
    const again = await cli('admin', 'import', 'examples/jinjiang-directory.json');
    expect(again.stdout).toContain('新增 added 0, 变更 changed 0');

    const people = await cli('admin', 'people', '--json');
    const doc = JSON.parse(people.stdout) as { units: unknown[]; people: { id: string }[] };
    expect(doc.units).toEqual([{ id: 'jinjiang-zrzy', name: '晋江市自然资源局', coordinator: 'office-lin' }]);
    expect(doc.people).toHaveLength(17);
    const table = (await cli('admin', 'people')).stdout;
    expect(table).toMatch(/office-lin\s+林晓燕（局办公室）.*协调人 coordinator \(jinjiang-zrzy\)/);
    expect(table).toMatch(/head-xu .*晋江市自然资源局\s+政策法规科/);
    expect((await store().audit.list('directory')).at(-1)).toMatchObject({ actor: OPERATOR, role: 'operator', action: 'directory-imported' });
  });

  it('grants an administrator and changes an e-mail, audited as the operator; bad input names the field and changes nothing', async () => {
    expect((await cli('admin', 'grant', 'head-wu')).code).toBe(0);
    expect(await store().directory.isAdmin('head-wu')).toBe(true);
    expect((await store().audit.list('directory')).at(-1)).toMatchObject({ actor: OPERATOR, action: 'admin-granted', subject: 'head-wu' });

    const bad = await cli('admin', 'person', 'head-wu', '--email', 'not-an-address');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/email: 邮箱格式错误/);
    const ok = await cli('admin', 'person', 'head-wu', '--email', 'wu.haifeng@jinjiang.example', '--phone', '0595-1');
    expect(ok.code).toBe(0);
    expect((await store().audit.list('directory')).at(-1)).toMatchObject({
      actor: OPERATOR, action: 'person-changed', subject: 'head-wu', detail: 'email: head-wu@jinjiang.example → wu.haifeng@jinjiang.example; phone: - → 0595-1',
    });
    expect((await cli('admin', 'revoke', 'head-wu')).code).toBe(0);
    expect(await store().directory.isAdmin('head-wu')).toBe(false);

    const nobody = await cli('admin', 'coordinator', 'jinjiang-zrzy', 'nobody');
    expect([nobody.code, nobody.stderr]).toEqual([1, expect.stringMatching(/not in the organisation directory/)]);
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'id,name,email,unit\nhead-wu,吴海峰,wu@elsewhere.example,\nnew,新人,nope,\n');
    const refused = await cli('admin', 'import', csv);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('第 3 行「email」/ row 3, column "email"')]);
    expect((await store().directory.person('head-wu'))?.email).toBe('wu.haifeng@jinjiang.example');
    const verified = await cli('audit', 'verify', 'directory');
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringMatching(/^审计链完整 \/ audit chain intact/)]);
  });

  it('prints a one-time sign-in link for a person of the directory', async () => {
    const r = await cli('admin', 'link', 'office-lin');
    expect(r.stdout).toMatch(/\/auth\/link\/[A-Za-z0-9_-]{43}\n$/);
    expect((await cli('admin', 'link', 'nobody')).stderr).toMatch(/not in the organisation directory: nobody/);
  });
});

describe('perfcycle cycle start as the operator', () => {
  it('starts the example from the directory\'s people, recorded as operator:<user>, and links the people', async () => {
    // The example lists head-wu's old address, which the directory no longer has: refused, naming it.
    const stale = await cli('cycle', 'start', '--config', 'examples/jinjiang-2019.json');
    expect([stale.code, stale.stderr]).toEqual([1, expect.stringMatching(/people\.10\.email: 与组织目录不一致/)]);
    // Without its people list the file takes everyone it names from the directory.
    const f = JSON.parse(readFileSync(join(ROOT, 'examples/jinjiang-2019.json'), 'utf8')) as Record<string, unknown>;
    delete f.people;
    const config = join(dir, 'no-people.json');
    writeFileSync(config, JSON.stringify(f));
    const r = await cli('cycle', 'start', '--config', config);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const id = r.stdout.trim();
    expect(id).toBe('perfcycle-jinjiang-zrzy-2019');
    let started;
    for (let i = 0; i < 100 && !started; i += 1) {
      started = (await store().audit.list(id)).find((e) => e.action === 'cycle-started');
      if (!started) await new Promise((done) => setTimeout(done, 100));
    }
    expect(started).toMatchObject({ actor: OPERATOR, role: 'operator' });
    // The cycle took head-wu's address from the directory, not the file's.
    expect((await store().cycles.get(id))?.people.find((p) => p.id === 'head-wu')?.email).toBe('wu.haifeng@jinjiang.example');
    expect((await store().accounts.get('head-zheng'))?.cycles).toContain(id);
    expect((await cli('cycle', 'start', '--config', config)).stderr).toMatch(/already running/);
  });

  it('refuses a file naming someone the directory does not have, naming the path', async () => {
    const f = JSON.parse(readFileSync(join(ROOT, 'examples/jinjiang-2019.json'), 'utf8')) as { year: number; departments: { owner: string }[] };
    f.year = 2020;
    f.departments[2]!.owner = 'someone-new';
    const path = join(dir, 'stranger.json');
    writeFileSync(path, JSON.stringify(f));
    const r = await cli('cycle', 'start', '--config', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('departments.2.owner: 组织目录中没有此人 / not in the organisation directory');
  });
});
