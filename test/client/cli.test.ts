// The CLI as a user runs it: `node bin/perfcycle.js …` in a child process from the repository root,
// against a real dev server whose worker runs in this test process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as toYaml } from 'yaml';
import type { CycleClient } from '../../client/cycle-client.js';
import { AUDIT_COLUMNS } from '../../domain/audit.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';
import { sql } from 'kysely';
import { sharedDb } from '../helpers/db.js';
import { seedDirectory } from '../helpers/directory.js';
import { cliServer, ROOT, runCli, signInAll, startCycle, type CliRun, type CliServer } from '../helpers/cli.js';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
}

const EXAMPLE = join(ROOT, 'examples/jinjiang-2019.json');
const dir = tempDir('cli');

type Run = CliRun;

// Never the repository's own data/ directory or the user's sign-ins, never a real server by accident.
function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return runCli(args, { DATA_DIR: join(dir, 'cli-data'), TEMPORAL_ADDRESS: '127.0.0.1:1', PERFCYCLE_API: 'http://127.0.0.1:1', PERFCYCLE_HOME: join(dir, 'home'), ...env }, input);
}

/** The example cycle file under a unique unit id, written to a temp file. */
function cycleFile(unitId: string, edit: (f: Record<string, any>) => void = () => {}): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const f = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  f.unit.id = unitId;
  edit(f);
  const path = join(dir, `${unitId}.json`);
  writeFileSync(path, JSON.stringify(f, null, 2));
  return path;
}

const DATES = ['2019-12-31', '2020-01-10', '2020-01-31', '2020-02-10', '2020-02-14', '2020-03-31', '2020-04-30', '2020-05-15'];

describe('perfcycle without a server', () => {
  it('cycle validate --config examples/jinjiang-2019.json prints the cycle and its 8 dates', async () => {
    const r = await cli(['cycle', 'validate', '--config', 'examples/jinjiang-2019.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('perfcycle-jinjiang-zrzy-2019: 晋江市自然资源局 2019');
    for (const [key, date] of [
      ['planSubmission', DATES[0]], ['planApproval', DATES[1]], ['summary', DATES[2]], ['reviewStart', DATES[3]],
      ['reviewEnd', DATES[4]], ['scoring', DATES[5]], ['publication', DATES[6]], ['rectification', DATES[7]],
    ]) expect(r.stdout).toMatch(new RegExp(`^${key}\\s+${date}$`, 'm'));
    // 2019/2020 are covered by the official holiday data: no warning.
    expect(r.stdout).not.toContain('official holiday data ends');
  });

  it('cycle validate --json is one JSON document; a YAML file reads the same', async () => {
    const yamlPath = join(dir, 'jinjiang.yaml');
    writeFileSync(yamlPath, toYaml(JSON.parse(readFileSync(EXAMPLE, 'utf8'))));
    const [fromJson, fromYaml] = await Promise.all([
      cli(['cycle', 'validate', '--config', EXAMPLE, '--json']),
      cli(['cycle', 'validate', '--config', yamlPath, '--json']),
    ]);
    expect(fromJson.code).toBe(0);
    const doc = JSON.parse(fromJson.stdout) as { cycleId: string; dates: Record<string, string>; timeZone: string };
    expect(doc.cycleId).toBe('perfcycle-jinjiang-zrzy-2019');
    expect(Object.values(doc.dates)).toEqual(DATES);
    expect(doc.timeZone).toBe('Asia/Shanghai');
    expect(fromYaml.code).toBe(0);
    expect(JSON.parse(fromYaml.stdout)).toEqual(doc);
  });

  it('cycle validate for a year past the official holiday data computes its dates and says so', async () => {
    const path = cycleFile('cli-2031', (f) => { f.year = 2031; delete f.calendar; });
    const r = await cli(['cycle', 'validate', '--config', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^planSubmission\s+2031-12-31$/m);
    expect(r.stdout).toMatch(/^rectification\s+2032-05-15$/m);
    expect(r.stdout).toContain('official holiday data ends');
  });

  it('a bad cycle file: exit code 1, stderr names the file and the field, stdout empty', async () => {
    const path = cycleFile('cli-bad', (f) => { f.departments[1].owner = 'nobody'; f.people[0].email = 'not-an-address'; });
    // `cycle start` checks the file against the directory, on the server: that is for its own tests.
    const r = await cli(['cycle', 'validate', '--config', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/departments\.1\.owner: .*"nobody"/);
    expect(r.stderr).toMatch(/people\.0\.email: /);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack
  });

  it('a file that is missing or not JSON/YAML: exit code 1 with the reason', async () => {
    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{"unit": [');
    const [missing, bad] = await Promise.all([
      cli(['cycle', 'validate', '--config', join(dir, 'missing.json')]),
      cli(['cycle', 'validate', '--config', garbage]),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read cycle file .*missing\.json: ENOENT/);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not valid JSON or YAML');
  });

  it('--help lists the commands', async () => {
    const [r, sub] = await Promise.all([cli(['--help']), cli(['submit', '--help'])]);
    expect(r.code).toBe(0);
    for (const c of ['cycle', 'status', 'submit', 'approve', 'reject', 'audit']) expect(r.stdout).toMatch(new RegExp(`^\\s+${c}\\b`, 'm'));
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--as <id>');
    expect(sub.stdout).toContain('--file <path...>');
  });

  it('audit with a bad --format fails naming --format, before connecting', async () => {
    const r = await cli(['audit', 'perfcycle-x-2019', '--format', 'xml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--format');
    expect(r.stderr).toContain('"xml"');
    expect(r.stderr).not.toContain('cannot reach Temporal');
  });

  it('a person command without a sign-in, a missing required option or an unknown command: non-zero exit, message on stderr', async () => {
    const [notSignedIn, noReason, unknown] = await Promise.all([
      cli(['submit', 'perfcycle-x-2019', 'plan']), cli(['reject', 'perfcycle-x-2019', 'plan']), cli(['frobnicate']),
    ]);
    expect([notSignedIn.code, notSignedIn.stderr]).toEqual([1, expect.stringContaining('not signed in to http://127.0.0.1:1: run perfcycle login <id>')]);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('--reason');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('frobnicate');
  });

  it('login to an API that is not there: exit code 1 naming the address', async () => {
    const r = await cli(['login', 'office-lin', '--password-stdin'], {}, 'secret\n');
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toContain('cannot reach the API at http://127.0.0.1:1');
  });

  it('no server: exit code 1 saying what to start', async () => {
    const r = await cli(['status', 'perfcycle-x-2019', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1/);
  });
});

describe('perfcycle against a dev server and its API', () => {
  let server: CliServer;
  let client: CycleClient;
  // The people who act in these tests, each signed in once from the same credentials home.
  const PEOPLE = ['office-lin', 'hr-reviewer', 'efficiency-group', 'head-zheng'];

  const run = (...args: string[]) => runCli(args, server.cliEnv);
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`perfcycle ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    server = await cliServer(dir);
    ({ client } = server);
    await seedDirectory(client.store, exampleCycle('cli-people'));
    await signInAll(client, server.cliEnv, PEOPLE);
  }, 180_000);
  afterAll(() => server?.close(), 60_000);

  // Next year's cycle with the default calendar: nothing is overdue yet.
  const YEAR = new Date().getFullYear() + 1;
  const cycleFor = (unit: string) => exampleCycle(unit, (f) => { f.year = YEAR; f.calendar = {}; });

  it('submit with a file, approve twice, each as the signed-in person: status --json shows the summary phase at once; audit --format csv lists it all', async () => {
    const id = await startCycle(client, cycleFor('cli-main'));

    const attachment = join(dir, '2027 年度方案.txt');
    writeFileSync(attachment, '绩效评估工作方案及"三定"规定\n');
    // Words, names and dates as people write them; never the state code or an ISO instant.
    const submitted = await ok('submit', id, 'plan', '--as', 'office-lin', '--note', '年度方案', '--file', attachment);
    expect(submitted).toMatch(/^已提交「绩效评估工作方案及"三定"规定」，等待 市人社局考核科 审核，期限 \d{4}年\d+月\d+日（周.）24:00 \/ Submitted "Work plan/);
    const approved = await ok('approve', id, 'plan', '--as', 'hr-reviewer');
    expect(approved).toMatch(/^已审核通过「绩效评估工作方案及"三定"规定」，等待 市机关效能建设领导小组 审核，期限 \d{4}年/);
    expect(await ok('approve', id, 'plan', '--as', 'efficiency-group')).toMatch(/^已审核通过「绩效评估工作方案及"三定"规定」，该事项已通过 \/ Approved "Work plan and "three-determination" mandate": accepted/);
    for (const line of [submitted, approved]) expect(line).not.toMatch(/in-review|accepted|T\d\d:\d\d|hr-reviewer|efficiency-group/);

    const statusOut = await ok('status', id, '--json');
    const status = JSON.parse(statusOut) as {
      phase: string; cycleId: string;
      deliverables: { id: string; state: string; owner: string; actors: string[]; due: string; overdueDays: number; submissions: { files: { name: string; sha256: string; size: number }[]; note?: string }[] }[];
    };
    expect(status.cycleId).toBe(id);
    expect(status.phase).toBe('summary');
    expect(status.deliverables).toHaveLength(1 + 16);
    for (const d of status.deliverables) {
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['id', 'state', 'owner', 'actors', 'due', 'overdueDays']));
      expect(d.due, d.id).toMatch(/\+08:00$/);
      expect(d.overdueDays, d.id).toBe(0);
    }
    const byId = new Map(status.deliverables.map((d) => [d.id, d]));
    expect(byId.get('plan')).toMatchObject({ state: 'accepted', owner: 'office-lin', actors: [] });
    expect(byId.get('summary-planning')).toMatchObject({ state: 'open', owner: 'head-zheng', actors: ['head-zheng'], due: `${YEAR + 1}-01-31T23:59:59.999+08:00` });
    expect(byId.get('evidence-law')).toMatchObject({ state: 'open', owner: 'head-xu', actors: ['head-xu'], due: `${YEAR + 1}-02-10T23:59:59.999+08:00` });
    // The file went to the server first (POST /api/files), then its hash into the workflow.
    const [sub] = byId.get('plan')!.submissions;
    expect(sub?.note).toBe('年度方案');
    expect(sub?.files).toEqual([expect.objectContaining({ name: '2027 年度方案.txt', size: Buffer.byteLength('绩效评估工作方案及"三定"规定\n') })]);
    expect(existsSync(join(server.api.dataDir, 'files', sub!.files[0]!.sha256))).toBe(true);
    expect(existsSync(join(dir, 'cli-data', 'files'))).toBe(false);

    const table = await ok('status', id);
    expect(table).toContain('(summary)');
    expect(table).toMatch(/summary-planning\s+待提交 open\s+郑伟（规划科科长）\s+郑伟（规划科科长）\s+\d{4}年1月31日（周.）24:00/);

    const csv = await ok('audit', id, '--format', 'csv');
    expect(csv.startsWith('\uFEFF')).toBe(true); // for Excel, like the portal's CSV
    const [head, ...rows] = parseCsv(csv, { bom: true }) as string[][];
    // The codes for machines, and beside them the words for people.
    expect(head).toEqual([...AUDIT_COLUMNS, 'text']);
    const col = (name: (typeof AUDIT_COLUMNS)[number]) => AUDIT_COLUMNS.indexOf(name);
    const line = (r: string[]) => `${r[col('actor')]} ${r[col('role')]} ${r[col('action')]} ${r[col('subject')]}`;
    const lines = rows.map(line);
    expect(lines).toEqual(expect.arrayContaining([
      `office-lin coordinator cycle-started ${id}`,
      'office-lin coordinator submitted plan',
      'hr-reviewer hrReviewer approved plan',
      'efficiency-group approver approved plan',
      `system system phase-changed ${id}`,
    ]));
    for (const r of rows) {
      expect(r[col('at')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/);
      expect(r[col('workflowId')]).toMatch(new RegExp(`^${id}(\\.[a-z-]+)?$`));
    }
    const phaseChange = rows.find((r) => r[col('action')] === 'phase-changed');
    expect(phaseChange?.[col('detail')]).toBe('plan → summary');
    expect(rows.find((r) => r[col('action')] === 'submitted')?.[col('workflowId')]).toBe(`${id}.plan`);
    const text = (action: string) => rows.find((r) => r[col('action')] === action)?.[AUDIT_COLUMNS.length];
    expect(text('submitted')).toBe('林晓燕（局办公室） 提交「绩效评估工作方案及"三定"规定」；说明：年度方案');
    expect(text('phase-changed')).toBe('周期从「制订方案」进入「分析总结」阶段');
    expect(rows.filter((r) => r[col('action')] === 'approved').map((r) => r[AUDIT_COLUMNS.length])).toEqual([
      '市人社局考核科 审核通过「绩效评估工作方案及"三定"规定」（市人社局初审）',
      '市机关效能建设领导小组 审核通过「绩效评估工作方案及"三定"规定」（效能建设领导小组批复）',
    ]);
    expect(text('deliverable-opened')).toMatch(/^系统向 林晓燕（局办公室） 下达「绩效评估工作方案及"三定"规定」，期限 \d{4}年12月31日（周.）24:00$/);

    const auditJson = JSON.parse(await ok('audit', id, '--format', 'json')) as unknown[];
    expect(auditJson).toHaveLength(rows.length);

    // The table for people: words only.
    const words = await ok('audit', id);
    expect(words).toContain('市人社局考核科 审核通过「绩效评估工作方案及"三定"规定」（市人社局初审）');
    expect(words).not.toMatch(/office-lin|deliverable-opened|hrReviewer/);
  }, 180_000);

  it('an unauthorised submit on the plan is refused by the API with exit code 1 and audited as refused', async () => {
    const id = await startCycle(client, cycleFor('cli-refused'));
    const [r, early, later] = await Promise.all([
      run('submit', id, 'plan', '--as', 'head-zheng'),
      // The wrong state is refused too: approving what nobody submitted.
      run('approve', id, 'plan', '--as', 'hr-reviewer'),
      // A deliverable of a later phase does not exist yet.
      run('submit', id, 'summary-planning', '--as', 'head-zheng'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    // The plan is the office's: to a department head it is not even visible.
    expect(r.stderr).toMatch(/郑伟（规划科科长） may not see plan/);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/plan .*is open: cannot approve/);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('no deliverable summary-planning');

    const [, ...rows] = parseCsv(await ok('audit', id, '--format', 'csv'), { bom: true }) as string[][];
    const refused = rows.filter((x) => x[AUDIT_COLUMNS.indexOf('action')] === 'refused');
    expect(refused.map((x) => [x[AUDIT_COLUMNS.indexOf('actor')], x[AUDIT_COLUMNS.indexOf('role')], x[AUDIT_COLUMNS.indexOf('subject')]]).sort()).toEqual([
      ['head-zheng', 'owner:planning', 'plan'],
      ['hr-reviewer', 'hrReviewer', 'plan'],
    ]);
    const zheng = refused.find((x) => x[AUDIT_COLUMNS.indexOf('actor')] === 'head-zheng');
    expect(zheng?.[AUDIT_COLUMNS.indexOf('detail')]).toMatch(/^submit: .*head-zheng may not see plan/);
    expect(zheng?.[AUDIT_COLUMNS.indexOf('at')]).toMatch(/\+08:00$/);
    // Nothing was submitted.
    const status = JSON.parse(await ok('status', id, '--json')) as { phase: string; deliverables: { id: string; state: string }[] };
    expect(status.phase).toBe('plan');
    expect(status.deliverables).toEqual([expect.objectContaining({ id: 'plan', state: 'open' })]);
  }, 120_000);

  it('reject through the API: the reviewer signed in sends it back with a reason and a new due date', async () => {
    const id = await startCycle(client, cycleFor('cli-reject'));
    await ok('submit', id, 'plan', '--as', 'office-lin');
    const out = await ok('reject', id, 'plan', '--as', 'hr-reviewer', '--reason', '目标量化不足', '--due', `${YEAR}-12-30`, '--json');
    expect(JSON.parse(out)).toMatchObject({ id: 'plan', state: 'open', due: `${YEAR}-12-30T23:59:59.999+08:00` });
    // Without --json: the new due date as people write it, the owner by name.
    await ok('submit', id, 'plan', '--as', 'office-lin');
    const words = await ok('reject', id, 'plan', '--as', 'hr-reviewer', '--reason', '仍需补充', '--due', `${YEAR}-12-29`);
    expect(words).toMatch(new RegExp(`^已退回「绩效评估工作方案及"三定"规定」，请 林晓燕（局办公室） 于 ${YEAR}年12月29日（周.）24:00 前重新提交 / Sent back .*: 林晓燕（局办公室） to resubmit by \\w{3} 29 December ${YEAR}, 24:00`));
  }, 120_000);

  it('audit verify: exit 0 on an intact chain; a row edited in the database is named, exit 1', async () => {
    const id = await startCycle(client, cycleFor('cli-verify'));
    await run('submit', id, 'plan', '--as', 'head-zheng');
    const { store } = await sharedDb();
    const rows = await until(() => store.audit.list(id), (r) => r.length >= 3);
    expect(await ok('audit', 'verify', id)).toMatch(new RegExp(`audit chain intact: ${rows.length}`));
    // The check reads the database alone: it answers with Temporal out of reach.
    const alone = await runCli(['audit', 'verify', id], { ...server.cliEnv, TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect([alone.code, alone.stdout]).toEqual([0, expect.stringMatching(`audit chain intact: ${rows.length}`)]);
    await store.db.transaction().execute((tx) => sql`update audit_entries set actor = 'office-lin' where cycle_id = ${id} and pos = 2`.execute(tx));
    const broken = await run('audit', 'verify', id);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/breaks at row 2: .*the row was changed/);
  }, 120_000);

  it('status of a cycle that does not exist: exit code 1', async () => {
    const r = await run('status', 'perfcycle-nowhere-2019', '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no such cycle');
  });

  it('a past year opens overdue: status counts the days', async () => {
    const id = await startCycle(client, exampleCycle('cli-past'));
    const status = JSON.parse(await ok('status', id, '--json')) as { deliverables: { id: string; overdueDays: number }[] };
    const expected = Math.floor((Date.now() - Date.parse('2020-01-01T00:00:00+08:00')) / 86_400_000) + 1;
    expect(Math.abs((status.deliverables[0]?.overdueDays ?? 0) - expected)).toBeLessThanOrEqual(1);
  });
});
