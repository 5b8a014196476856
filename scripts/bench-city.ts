// A city's year on the time-skipping server: N units (default 38, the city of the source document),
// each the example cycle (examples/jinjiang-2019.json) under its own unit and people, played through
// 2019-12-01 → 2020-05-31 with everyone delivering late; then, on a fresh server of the same kind
// (same binary, same start instant, same machine), the floor: trivial workflows of the same shape
// (scripts/bench/floor-workflows.ts) repeating the same instants, timers, signals, children,
// activities and Updates with no domain code. Prints one JSON document.
//
//   npm run -s bench                   # 38 units (-s: no npm banner before the JSON)
//   npm run bench -- --units 1 --out bench.json
//   npm run bench -- --units 5 --no-floor --worker-options '{"maxCachedWorkflows":100}'
//
// Client calls go strictly one at a time (overlapping calls break the time-skipping server's lock
// accounting), and the clock is moved on a connection of its own (scripts/bench/clock.ts: on the
// client's default connection a skip longer than ~90 s is silently sent twice, which is what stalled
// the 38-unit run). --worker-options and --bundler-options (JSON) are for experiments; BENCH_CPU_PROF=dir
// writes the worker's V8 CPU profiles, BENCH_HEAP_SNAPSHOT=dir heap snapshots of its threads
// (scripts/bench/heap-snapshot.ts, read with scripts/bench/heap-summary.ts). The worker runs in a child process
// (scripts/bench/worker-process.ts): its peak RSS is the kernel's VmHWM of that process. The database
// is PostgreSQL, as in production (Debian's, in a temp dir, as the tests start it; --db pglite puts
// PGlite in this process instead); the SMTP sink and the client live in this one. A run in which neither worker nor server nor
// this process uses CPU for --stall-seconds is reported as stalled, with what the worker and the
// server say at that moment.
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CycleClient } from '../client/cycle-client.js';
import type { CycleInput } from '../domain/cycle.js';
import { openStore } from '../store/index.js';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/create-worker.js';
import { tempDir } from '../test/helpers/cycle.js';
import { pgliteDb, postgresDb, type TestDb } from '../test/helpers/db.js';
import { seedDirectory } from '../test/helpers/directory.js';
import { serverNow, timeSkippingServer } from '../test/helpers/temporal.js';
import { floorPlanOf } from './bench/floor-plan.js';
import { floorUpdate } from './bench/floor-workflows.js';
import { fetchTree, historyStats, type HistoryStats } from './bench/histories.js';
import { serverClock, type Clock } from './bench/clock.js';
import { childrenMatching, machine, procSample, treeCpuSeconds } from './bench/proc.js';
import { unitCycle, yearSteps, YEAR_START, type Step } from './bench/scenario.js';
import { startCountingSink } from './bench/smtp.js';
import { updateTiming } from './bench/update-timing.js';
import type { WorkerSample } from './bench/worker-process.js';
import { freePort } from '../test/helpers/net.js';

const { values: opts } = parseArgs({
  options: {
    units: { type: 'string', default: '38' },
    'no-floor': { type: 'boolean', default: false },
    db: { type: 'string', default: 'postgres' },
    'worker-options': { type: 'string', default: '' },
    'bundler-options': { type: 'string', default: '' },
    'stall-seconds': { type: 'string', default: '60' },
    /** The cycles' reminders.spreadMinutes (absent, as in the example file: every unit chased at 09:00 sharp). */
    spread: { type: 'string', default: '0' },
    /** Also write the report here (npm prints its own banner on stdout; or use npm run -s). */
    out: { type: 'string' },
  },
});
const UNITS = Number(opts.units);
if (!Number.isInteger(UNITS) || UNITS < 1) throw new Error(`--units: a positive whole number (got ${opts.units})`);
const STALL_MS = Number(opts['stall-seconds']) * 1000;
const SPREAD = Number(opts.spread);
if (!Number.isInteger(SPREAD) || SPREAD < 0 || SPREAD > 59) throw new Error(`--spread: whole minutes, 0 to 59 (got ${opts.spread})`);
const WORKER_OPTIONS = opts['worker-options'] ?? '';
const BUNDLER_OPTIONS = opts['bundler-options'] ?? '';
const DAY = 86_400_000;
const HERE = fileURLToPath(new URL('.', import.meta.url));
const log = (...a: unknown[]) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---- measuring ----

const pct = (xs: number[], p: number) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!);
};
const latency = (xs: number[]) => ({ n: xs.length, p50: pct(xs, 50), p99: pct(xs, 99), max: pct(xs, 100) });
const round1 = (n: number) => Math.round(n * 10) / 10;

const { interceptor: timing, ms: updateMs } = updateTiming();

const bundleDirs: string[] = [];
async function bundle(options: BundleOptions): Promise<string> {
  const { code } = await bundleWorkflowCode({ ...options, logger: new DefaultLogger('WARN') });
  const dir = tempDir('bench-bundle');
  bundleDirs.push(dir);
  const path = join(dir, 'workflows.js');
  writeFileSync(path, code);
  return path;
}

interface BenchWorker {
  child: ChildProcess;
  pid: number;
  metricsPort: number;
  sample(gc?: boolean): Promise<WorkerSample>;
  metrics(): Promise<string>;
  /** Peak RSS so far (VmHWM), MiB. */
  peak(): number;
  stop(): Promise<number>;
}

async function startWorker(kind: 'city' | 'floor', env: TestWorkflowEnvironment, taskQueue: string, bundlePath: string, extra: Record<string, string>): Promise<BenchWorker> {
  const metricsPort = await freePort();
  const child = fork(join(HERE, 'bench/worker-process.ts'), [], {
    // BENCH_CPU_PROF=<dir>: V8 CPU profiles of the worker (main and workflow threads) for a profiler.
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: {
      ...process.env, BENCH_KIND: kind, TEMPORAL_ADDRESS: env.address, TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: bundlePath,
      METRICS_PORT: String(metricsPort), BENCH_WORKER_OPTIONS: WORKER_OPTIONS, ...extra,
    },
    stdio: ['ignore', 2, 2, 'ipc'], // its output (Core's warnings) on stderr: stdout is the report's,
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} worker exited (${code}) before it was ready`)));
    child.on('message', (m: { type: string }) => { if (m.type === 'ready') resolve(); });
  });
  const pid = child.pid!;
  let peak = 0;
  const peakNow = () => (peak = Math.max(peak, procSample(pid)?.peakRssMiB ?? 0));
  return {
    child, pid, metricsPort,
    sample: (gc = false) => new Promise((resolve) => {
      const on = (m: { type: string; sample: WorkerSample }) => {
        if (m.type !== 'sample') return;
        child.off('message', on);
        resolve(m.sample);
      };
      child.on('message', on);
      child.send({ type: 'sample', gc });
    }),
    metrics: async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
    peak: peakNow,
    async stop() {
      peakNow();
      child.send({ type: 'stop' });
      const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(late);
      return peak;
    },
  };
}

// ---- servers ----

interface Server { env: TestWorkflowEnvironment; clock: Clock; client: Client; pid: number | undefined }

async function startServer(): Promise<Server> {
  const before = new Set(childrenMatching(process.pid, 'temporal-test-server'));
  const env = await timeSkippingServer(YEAR_START);
  const pid = childrenMatching(process.pid, 'temporal-test-server').find((p) => !before.has(p));
  const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', interceptors: { workflow: [timing] } });
  return { env, clock: await serverClock(env), client, pid };
}

async function stopServer(s: Server): Promise<void> {
  await s.clock.close().catch(() => undefined);
  await s.env.teardown().catch(() => undefined);
}

// ---- stalls ----

class Stalled extends Error {
  constructor(readonly at: string, readonly diagnosis: unknown) {
    super(`stalled at ${at}`);
  }
}

interface Watch {
  pids: () => number[];
  diagnose: (at: string) => Promise<unknown>;
}

/** `p`, unless nobody (worker, server, this process) uses any CPU for STALL_MS first. */
async function watched<T>(at: string, p: Promise<T>, w: Watch): Promise<T> {
  let settled = false;
  const done = p.then(() => { settled = true; }, () => { settled = true; });
  const cpu = () => w.pids().reduce((s, pid) => s + (procSample(pid)?.cpuSeconds ?? 0), 0) + process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;
  let last = cpu();
  let quietSince = Date.now();
  while (!settled) {
    await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
    if (settled) break;
    const now = cpu();
    // Polls and timers cost a little even when idle: below 2 % of one core for the whole window is idle.
    if (now - last > 0.04) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince > STALL_MS) throw new Stalled(at, await w.diagnose(at));
  }
  return p;
}

// ---- one run ----

/**
 * CPU seconds used so far by the worker, the test server, this process (client, SMTP sink, and PGlite
 * when it is the database) and PostgreSQL's processes when it is.
 */
function cpuNow(workerPid: number, serverPid: number | undefined, dbPid: number | undefined) {
  const self = process.cpuUsage();
  return {
    worker: procSample(workerPid)?.cpuSeconds ?? 0,
    server: serverPid === undefined ? 0 : procSample(serverPid)?.cpuSeconds ?? 0,
    bench: (self.user + self.system) / 1e6,
    ...(dbPid !== undefined && { database: treeCpuSeconds(dbPid) }),
  };
}
const cpuSince = (a: ReturnType<typeof cpuNow>, b: ReturnType<typeof cpuNow>) => ({
  worker: round1(b.worker - a.worker), server: round1(b.server - a.server), bench: round1(b.bench - a.bench),
  ...(a.database !== undefined && b.database !== undefined && { database: round1(b.database - a.database) }),
});

interface RunResult {
  wallSeconds: number;
  cpuSeconds: { worker: number; server: number; bench: number };
  updateLatencyMs: ReturnType<typeof latency>;
  actionLatencyMs?: ReturnType<typeof latency>;
  peakWorkerRssMiB: number;
  memory?: unknown;
}

const steps: Step[] = yearSteps(unitCycle(0).departments.map((d) => d.id));

async function main() {
  const t0 = performance.now();
  const m = machine();
  log(`${UNITS} unit(s) on ${m.cpus} CPUs (${m.model}), load ${m.loadAvg.join(' ')}; bundling workflows`);
  const [cityBundle, floorBundle] = [
    await bundle({ ...WORKFLOW_BUNDLE_OPTIONS, ...JSON.parse(BUNDLER_OPTIONS || '{}') }),
    await bundle({ workflowsPath: join(HERE, 'bench/floor-workflows.ts') }),
  ];
  // The city and the floor each get a server of their own (the same binary, started the same way): the
  // test server keeps every lock and unlock it ever made in a list it scans on each request, so
  // whichever ran second on a shared one would pay for the first (see the README's Benchmark section).
  let srv = await startServer();
  let db: TestDb | undefined;
  const smtp = await startCountingSink();
  const cycles: CycleInput[] = Array.from({ length: UNITS }, (_, i) => unitCycle(i))
    .map((c) => (SPREAD ? { ...c, policy: { ...c.policy, spreadMinutes: SPREAD } } : c));
  let worker: BenchWorker | undefined;
  const watch: Watch = {
    pids: () => [worker?.pid, srv.pid].filter((p): p is number => p !== undefined),
    diagnose: async (at) => diagnose(at, srv.env, srv.client, worker, cycles),
  };
  try {
    db = opts.db === 'postgres' ? await postgresDb() : await pgliteDb();
    const store = await openStore(db.connection);
    for (const c of cycles) await seedDirectory(store, c);

    // ---- the city ----
    const cityQueue = `bench-city-${process.pid}`;
    const { env, client, clock } = srv;
    worker = await startWorker('city', env, cityQueue, cityBundle, { DATABASE_URL: db.url, SMTP_URL: smtp.url });
    const baseline = await worker.sample(true);
    const timeline: Record<string, unknown>[] = [];
    const mark = async (label: string) => {
      const s = await worker!.sample(true);
      timeline.push({ at: label, rssMiB: procSample(worker!.pid)?.rssMiB, heapUsedMiB: s.heapUsedMiB, externalMiB: s.externalMiB, cachedWorkflows: s.cachedWorkflows });
    };
    const cc = new CycleClient(client, { taskQueue: cityQueue, store, now: () => serverNow(env) });
    log('city: starting cycles');
    updateMs.length = 0;
    const actionMs: number[] = [];
    const tCity = performance.now();
    const cpuCity = cpuNow(worker.pid, srv.pid, db?.pid);
    for (const c of cycles) await watched('start', cc.start(c, c.roles.coordinator), watch);
    await mark('started');
    for (const step of steps) {
      if ('skipTo' in step) {
        log(`city: → ${step.skipTo}`);
        await watched(step.skipTo, clock.skipTo(step.skipTo), watch);
        await mark(step.skipTo);
        continue;
      }
      for (const c of cycles) {
        const t = performance.now();
        await watched(`${step.act} ${step.item}`, cc[step.act](c.cycleId, step.item, { actor: step.actor(c) }), watch);
        actionMs.push(performance.now() - t);
      }
    }
    log('city: waiting for the cycles to close');
    for (const c of cycles) await watched('close', env.client.workflow.getHandle(c.cycleId).result(), watch);
    const cityWall = (performance.now() - tCity) / 1000;
    const cityCpu = cpuSince(cpuCity, cpuNow(worker.pid, srv.pid, db?.pid));
    await mark('closed');
    const cityUpdates = latency(updateMs);
    const cityPeak = await worker.stop();
    worker = undefined;
    const mails = smtp.count();
    log(`city: ${round1(cityWall)} s; reading histories`);
    const cityTree = await fetchTree(client, cycles.map((c) => c.cycleId));
    const cityStats = historyStats(cityTree);
    const city: RunResult & HistoryStats & { mails: number } = {
      ...cityStats, mails, wallSeconds: round1(cityWall), cpuSeconds: cityCpu, updateLatencyMs: cityUpdates, actionLatencyMs: latency(actionMs), peakWorkerRssMiB: cityPeak,
      memory: {
        workerBaselineMiB: { rss: baseline.rssMiB, heapUsed: baseline.heapUsedMiB },
        timeline,
        ...perWorkflow(timeline, baseline, UNITS),
      },
    };

    // ---- the floor ----
    let floor: (RunResult & HistoryStats) | undefined;
    if (!opts['no-floor']) {
      await stopServer(srv);
      srv = await startServer();
      const { env: floorEnv, client: floorClient, clock: floorClock } = srv;
      const now = (await serverNow(floorEnv)).getTime();
      // The floor's server starts at the same instant; a shift only if it had to start later.
      const shift = Math.max(0, Math.ceil((now - Date.parse(YEAR_START)) / DAY) * DAY);
      const twin = (id: string) => `floor-${id}`;
      const plans = cycles.map((c) => ({ id: twin(c.cycleId), plan: floorPlanOf(cityTree, c.cycleId, shift, twin) }));
      const floorQueue = `bench-floor-${process.pid}`;
      worker = await startWorker('floor', floorEnv, floorQueue, floorBundle, {});
      const at = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
      await watched('floor start', floorClock.skipTo(at(YEAR_START)), watch);
      log('floor: starting');
      updateMs.length = 0;
      const tFloor = performance.now();
      const cpuFloor = cpuNow(worker.pid, srv.pid, db?.pid);
      for (const p of plans) await floorClient.workflow.start('floorWorkflow', { taskQueue: floorQueue, workflowId: p.id, args: [p.plan] });
      for (const step of steps) {
        if ('skipTo' in step) {
          await watched(`floor ${step.skipTo}`, floorClock.skipTo(at(step.skipTo)), watch);
          continue;
        }
        for (const c of cycles) await watched(`floor ${step.item}`, poke(floorClient, twin(c.cycleId), step.act), watch);
      }
      for (const p of plans) await watched('floor close', floorEnv.client.workflow.getHandle(p.id).result(), watch);
      const floorWall = (performance.now() - tFloor) / 1000;
      const floorCpu = cpuSince(cpuFloor, cpuNow(worker.pid, srv.pid, db?.pid));
      const floorUpdates = latency(updateMs);
      const floorPeak = await worker.stop();
      worker = undefined;
      const floorStats = historyStats(await fetchTree(floorClient, plans.map((p) => p.id)));
      floor = { ...floorStats, wallSeconds: round1(floorWall), cpuSeconds: floorCpu, updateLatencyMs: floorUpdates, peakWorkerRssMiB: floorPeak };
    }

    const eps = (r: { events: number; wallSeconds: number }) => Math.round(r.events / r.wallSeconds);
    const ratio = floor ? Math.round((eps(city) / eps(floor)) * 100) / 100 : null;
    const report = {
      units: UNITS,
      workflows: city.workflows,
      historyEvents: { total: city.events, largest: city.largestHistory },
      mails: city.mails,
      wallSeconds: city.wallSeconds,
      cpuSeconds: city.cpuSeconds,
      peakWorkerRssMiB: city.peakWorkerRssMiB,
      eventsPerSecond: eps(city),
      updateLatencyMs: city.updateLatencyMs,
      actionLatencyMs: city.actionLatencyMs,
      floor: floor && {
        workflows: floor.workflows, historyEvents: { total: floor.events, largest: floor.largestHistory }, wallSeconds: floor.wallSeconds, cpuSeconds: floor.cpuSeconds,
        peakWorkerRssMiB: floor.peakWorkerRssMiB, eventsPerSecond: eps(floor), updateLatencyMs: floor.updateLatencyMs,
      },
      ratio,
      targets: {
        wall: UNITS >= 38 ? { limit: 60, ok: city.wallSeconds <= 60 } : UNITS === 1 ? { limit: 10, ok: city.wallSeconds <= 10 } : null,
        workerRss: { limitMiB: 1024, ok: city.peakWorkerRssMiB <= 1024 },
        ratio: { limit: 1.0, ok: ratio === null ? null : ratio >= 1 },
        updateP99: { limitMs: 200, ok: (city.updateLatencyMs.p99 ?? 0) <= 200 },
      },
      detail: {
        city: {
          runs: city.runs, workflowTasks: city.workflowTasks, timers: city.timers, signalsSent: city.signalsSent, childrenStarted: city.childrenStarted,
          activitiesScheduled: city.activitiesScheduled, activitiesByType: city.activitiesByType, updatesAccepted: city.updatesAccepted,
          continuedAsNew: city.continuedAsNew, byWorkflowType: city.byWorkflowType,
          workflowTasksWokenBy: city.workflowTasksWokenBy, eventsByType: city.eventsByType, memory: city.memory,
        },
        floor: floor && {
          workflowTasks: floor.workflowTasks, timers: floor.timers, signalsSent: floor.signalsSent, childrenStarted: floor.childrenStarted,
          activitiesScheduled: floor.activitiesScheduled, updatesAccepted: floor.updatesAccepted, eventsByType: floor.eventsByType,
        },
      },
      setup: {
        machine: { ...m, loadAvg: undefined, loadAvgAtStart: m.loadAvg, loadAvgAtEnd: machine().loadAvg },
        worker: 'child process (scripts/bench/worker-process.ts), worker/create-worker.ts options'
          + (WORKER_OPTIONS ? ` + ${WORKER_OPTIONS}` : '') + '; peak RSS = its VmHWM; pre-built bundle'
          + (BUNDLER_OPTIONS ? ` (bundler options ${BUNDLER_OPTIONS})` : ''),
        servers: 'city and floor each on a fresh time-skipping test server (same binary), one after the other',
        database: opts.db === 'postgres' ? 'PostgreSQL (Debian), own process' : 'PGlite in the benchmark process',
        wall: 'first cycle start → last cycle closed (server start, bundling and history reading excluded)',
        spreadMinutes: SPREAD,
        totalSeconds: round1((performance.now() - t0) / 1000),
      },
    };
    console.log(JSON.stringify(report, null, 2));
    if (opts.out) writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  } catch (err) {
    if (!(err instanceof Stalled)) throw err;
    const stalled = JSON.stringify({ units: UNITS, stalled: { at: err.at, afterSeconds: round1((performance.now() - t0) / 1000), diagnosis: err.diagnosis } }, null, 2);
    console.log(stalled);
    if (opts.out) writeFileSync(opts.out, `${stalled}\n`);
    process.exitCode = 2;
  } finally {
    if (worker) worker.child.kill('SIGKILL');
    await stopServer(srv);
    await smtp.close();
    await db?.stop().catch(() => undefined);
    for (const dir of bundleDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** What each open cycle and each cached workflow costs the worker: RSS above the baseline when most are cached. */
function perWorkflow(timeline: Record<string, unknown>[], baseline: WorkerSample, units: number) {
  const cachedOf = (t: Record<string, unknown>) => t.cachedWorkflows as number;
  const top = timeline.reduce<Record<string, unknown> | undefined>((a, b) => (!a || cachedOf(b) > cachedOf(a) ? b : a), undefined);
  if (!top || !cachedOf(top)) return {};
  const rss = (top.rssMiB as number) - baseline.rssMiB;
  return {
    mostCachedAt: top.at,
    perOpenCycleMiB: round1(rss / units),
    perCachedWorkflowMiB: round1(rss / cachedOf(top)),
  };
}

/** A floor Update, waiting (briefly) for a twin its parent has not started yet. */
async function poke(client: Client, workflowId: string, what: string): Promise<void> {
  for (let i = 0; ; i += 1) {
    try {
      await client.workflow.getHandle(workflowId).executeUpdate(floorUpdate, { args: [what] });
      return;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || i >= 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** `p`, or 'no answer' after 5 s (a workflow whose lock the server never released answers nothing). */
const within5s = <T>(p: Promise<T>): Promise<T | 'no answer in 5 s'> =>
  Promise.race([p, new Promise<'no answer in 5 s'>((r) => setTimeout(() => r('no answer in 5 s'), 5000))]);

/** At a stall: the worker's own account (cache, slots, in-flight), its metrics, and what the server holds. */
async function diagnose(at: string, env: TestWorkflowEnvironment, client: Client, worker: BenchWorker | undefined, cycles: CycleInput[]) {
  const out: Record<string, unknown> = { at };
  if (worker) {
    out.worker = await within5s(worker.sample());
    out.workerMetrics = String(await within5s(worker.metrics().catch((e: Error) => e.message))).split('\n')
      .filter((l) => /^temporal_(sticky_cache|worker_task_slots|num_pollers|workflow_task_(schedule_to_start|execution_failed)|activity_execution_failed|workflow_slot)/.test(l) && !/_bucket/.test(l));
  }
  const now = async () => { const t = await within5s(serverNow(env)); return typeof t === 'string' ? NaN : t.getTime(); };
  const t1 = await now();
  await new Promise((r) => setTimeout(r, 5000));
  const t2 = await now();
  out.server = {
    now: Number.isNaN(t2) ? null : new Date(t2).toISOString(),
    // Time-skipping locked: its clock follows the wall clock. Unlocked: it jumps to the next timer.
    advancedMsIn5s: t2 - t1,
  };
  const open: Record<string, unknown>[] = [];
  for (const c of cycles) {
    const tree = [c.cycleId];
    try {
      const h = await within5s(client.workflow.getHandle(c.cycleId).fetchHistory());
      for (const e of typeof h === 'string' ? [] : h.events ?? []) {
        const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (child) tree.push(child);
      }
    } catch {
      // not started
    }
    for (const id of tree) {
      try {
        const d = await within5s(client.workflow.getHandle(id).describe());
        if (d === 'no answer in 5 s') {
          open.push({ id, describe: d });
          continue;
        }
        if (d.status.name !== 'RUNNING') continue;
        const raw = d.raw;
        const pendingTask = raw.pendingWorkflowTask;
        const activities = raw.pendingActivities ?? [];
        if (!pendingTask && !activities.length && !(raw.pendingChildren ?? []).length) continue;
        open.push({
          id, historyLength: d.historyLength,
          ...(pendingTask && { pendingWorkflowTask: { state: pendingTask.state, attempt: pendingTask.attempt } }),
          ...(activities.length && { pendingActivities: activities.map((a) => ({ type: a.activityType?.name, state: a.state, attempt: a.attempt })) }),
        });
      } catch (err) {
        open.push({ id, error: (err as Error).message });
      }
    }
  }
  out.workflowsWithPendingWork = open.slice(0, 50);
  out.workflowsWithPendingWorkCount = open.length;
  return out;
}

await main();
process.exit();
