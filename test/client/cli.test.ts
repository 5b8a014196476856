// The CLI as a user runs it: `node bin/perfcycle.js …` in a child process from the repository root,
// against a real dev server whose worker runs in this test process.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as toYaml } from 'yaml';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { outboxSender } from '../../activities/mail-sender.js';
import { AUDIT_COLUMNS } from '../../domain/audit.js';
import { tempDir } from '../helpers/cycle.js';
import { devServer } from '../helpers/temporal.js';
import { testWorker } from '../helpers/worker.js';
import { sql } from 'kysely';
import { sharedDb } from '../helpers/db.js';

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return read();
}
import { ROOT, runCli, type CliRun } from '../helpers/cli.js';

const EXAMPLE = join(ROOT, 'examples/jinjiang-2019.json');
const dir = tempDir('cli');

type Run = CliRun;

// Never the repository's own data/ directory, never a real server by accident.
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runCli(args, { DATA_DIR: join(dir, 'cli-data'), TEMPORAL_ADDRESS: '127.0.0.1:1', ...env });
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
    const commands = [['cycle', 'validate', '--config', path], ['cycle', 'start', '--config', path]];
    const runs = await Promise.all(commands.map((c) => cli(c)));
    for (const [i, r] of runs.entries()) {
      const command = commands[i]!;
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(path);
      expect(r.stderr).toMatch(/departments\.1\.owner: .*"nobody"/);
      expect(r.stderr).toMatch(/people\.0\.email: /);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack
    }
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
    expect(sub.stdout).toContain('--as <user>');
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

  it('a missing required option or an unknown command: non-zero exit, message on stderr', async () => {
    const [noAs, unknown] = await Promise.all([cli(['submit', 'perfcycle-x-2019', 'plan']), cli(['frobnicate'])]);
    expect(noAs.code).not.toBe(0);
    expect(noAs.stderr).toContain('--as');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('frobnicate');
  });

  it('no server: exit code 1 saying what to start', async () => {
    const r = await cli(['status', 'perfcycle-x-2019', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot reach Temporal at 127\.0\.0\.1:1/);
  });
});

describe('perfcycle against a dev server', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let taskQueue: string;
  let running: Promise<void>;
  let databaseUrl: string;

  beforeAll(async () => {
    env = await devServer();
    databaseUrl = (await sharedDb()).url;
    const w = await testWorker(env, { sender: outboxSender(join(dir, 'outbox')), dataDir: join(dir, 'worker-data') });
    ({ worker, taskQueue } = w);
    running = worker.run();
  }, 120_000);
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await env?.teardown();
  }, 60_000);

  const run = (...args: string[]) => cli(args, { TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: databaseUrl });
  const ok = async (...args: string[]) => {
    const r = await run(...args);
    if (r.code !== 0 || r.stderr !== '') throw new Error(`perfcycle ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    return r.stdout;
  };
  // Next year's cycle with the default calendar: nothing is overdue yet.
  const YEAR = new Date().getFullYear() + 1;
  const fileFor = (unit: string) => cycleFile(unit, (f) => { f.year = YEAR; delete f.calendar; });

  it('start, start again, submit with a file, approve twice: status --json shows the summary phase at once; audit --format csv lists it all', async () => {
    const config = fileFor('cli-main');
    const id = `perfcycle-cli-main-${YEAR}`;
    expect(await ok('cycle', 'start', '--config', config)).toBe(`${id}\n`);
    // The portal knows the cycle and its people at once (in the database): they can ask for a sign-in link.
    const { store } = await sharedDb();
    expect((await store.accounts.get('office-lin'))?.cycles).toContain(id);
    expect((await store.cycles.get(id))?.people.map((p) => p.id)).toContain('head-zheng');
    expect(existsSync(join(dir, 'cli-data', 'users.json'))).toBe(false);
    expect(existsSync(join(dir, 'cli-data', 'portal'))).toBe(false);

    const again = await run('cycle', 'start', '--config', config);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/already running/);
    expect(again.stderr).toContain(id);

    const attachment = join(dir, '2027 年度方案.txt');
    writeFileSync(attachment, '绩效评估工作方案及"三定"规定\n');
    expect(await ok('submit', id, 'plan', '--as', 'office-lin', '--note', '年度方案', '--file', attachment)).toMatch(/submitted plan: in-review/);
    expect(await ok('approve', id, 'plan', '--as', 'hr-reviewer')).toMatch(/approved plan: in-review/);
    expect(await ok('approve', id, 'plan', '--as', 'efficiency-group')).toMatch(/approved plan: accepted/);

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
    // The file went into the CLI's store and its hash into the workflow.
    const [sub] = byId.get('plan')!.submissions;
    expect(sub?.note).toBe('年度方案');
    expect(sub?.files).toEqual([expect.objectContaining({ name: '2027 年度方案.txt', size: Buffer.byteLength('绩效评估工作方案及"三定"规定\n') })]);
    expect(existsSync(join(dir, 'cli-data', 'files', sub!.files[0]!.sha256))).toBe(true);

    const table = await ok('status', id);
    expect(table).toContain('(summary)');
    expect(table).toMatch(/summary-planning\s+待提交 open\s+head-zheng/);

    const csv = await ok('audit', id, '--format', 'csv');
    expect(csv.startsWith('\uFEFF')).toBe(true); // for Excel, like the portal's CSV
    const [head, ...rows] = parseCsv(csv, { bom: true }) as string[][];
    expect(head).toEqual([...AUDIT_COLUMNS]);
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

    const auditJson = JSON.parse(await ok('audit', id, '--format', 'json')) as unknown[];
    expect(auditJson).toHaveLength(rows.length);
  }, 180_000);

  it('an unauthorised submit on the plan is refused with exit code 1 and audited as refused', async () => {
    const config = fileFor('cli-refused');
    const id = await ok('cycle', 'start', '--config', config).then((s) => s.trim());
    const [r, early, later] = await Promise.all([
      run('submit', id, 'plan', '--as', 'head-zheng'),
      // The wrong state is refused too: approving what nobody submitted.
      run('approve', id, 'plan', '--as', 'hr-reviewer'),
      // A deliverable of a later phase does not exist yet.
      run('submit', id, 'summary-law', '--as', 'head-xu'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/head-zheng may not submit plan/);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/plan .*is open: cannot approve/);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('no open deliverable summary-law');

    const [, ...rows] = parseCsv(await ok('audit', id, '--format', 'csv'), { bom: true }) as string[][];
    const refused = rows.filter((x) => x[AUDIT_COLUMNS.indexOf('action')] === 'refused');
    expect(refused.map((x) => [x[AUDIT_COLUMNS.indexOf('actor')], x[AUDIT_COLUMNS.indexOf('role')], x[AUDIT_COLUMNS.indexOf('subject')]]).sort()).toEqual([
      ['head-zheng', 'owner:planning', 'plan'],
      ['hr-reviewer', 'hrReviewer', 'plan'],
    ]);
    const zheng = refused.find((x) => x[AUDIT_COLUMNS.indexOf('actor')] === 'head-zheng');
    expect(zheng?.[AUDIT_COLUMNS.indexOf('detail')]).toMatch(/^submit: .*head-zheng may not submit plan/);
    expect(zheng?.[AUDIT_COLUMNS.indexOf('at')]).toMatch(/\+08:00$/);
    // Nothing was submitted.
    const status = JSON.parse(await ok('status', id, '--json')) as { phase: string; deliverables: { id: string; state: string }[] };
    expect(status.phase).toBe('plan');
    expect(status.deliverables).toEqual([expect.objectContaining({ id: 'plan', state: 'open' })]);
  }, 120_000);

  it('audit verify: exit 0 on an intact chain; a row edited in the database is named, exit 1', async () => {
    const id = await ok('cycle', 'start', '--config', fileFor('cli-verify')).then((x) => x.trim());
    await run('submit', id, 'plan', '--as', 'head-zheng');
    const { store } = await sharedDb();
    const rows = await until(() => store.audit.list(id), (r) => r.length >= 3);
    expect(await ok('audit', 'verify', id)).toMatch(new RegExp(`audit chain intact: ${rows.length}`));
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
    const config = cycleFile('cli-past');
    const id = await ok('cycle', 'start', '--config', config).then((s) => s.trim());
    const status = JSON.parse(await ok('status', id, '--json')) as { deliverables: { id: string; overdueDays: number }[] };
    const expected = Math.floor((Date.now() - Date.parse('2020-01-01T00:00:00+08:00')) / 86_400_000) + 1;
    expect(Math.abs((status.deliverables[0]?.overdueDays ?? 0) - expected)).toBeLessThanOrEqual(1);
  });
});
