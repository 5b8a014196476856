// The live benchmark (issue 10, item 1, second mode): N open cycles on the Temporal CLI dev server in
// real time, their calendars moved so that reminders and escalations fall due during the run
// (scripts/bench/live-scenario.ts), a burst of real actions through CycleClient, and one JSON document:
// action latency, worker memory per open cycle, how late the reminders went out, beside the targets.
//
//   npx tsx scripts/bench-live.ts                      # 1,000 cycles, 200 actions, 4 at a time
//   npx tsx scripts/bench-live.ts --cycles 20 --actions 30 --out live.json
//
// The run: the "quiet" cycles (nothing due at the slot; the bursts act on them) start first, and the
// worker CPU they cost until their first mail is out sets how far ahead the slot must be for the rest
// to open before it. The rest alternate between a plan due today (the 0-days reminder at the slot) and
// one due yesterday (the leader escalation at the slot: director and office), each chased at its own
// second of --spread minutes after the slot (reminders.spreadMinutes; 0: all at the slot). In the
// middle of that window a burst of --actions begins (--burst-at moves it) while the reminders fire;
// once every digest owed at the slot is sent (or --settle-seconds after the spread and the grace), the
// same burst again on other units, the worker calm. The worker is a child process (scripts/bench/live-worker.ts): RSS is its kernel's VmRSS /
// VmHWM. The database is PostgreSQL as in production (--db pglite: PGlite in the run's process); the
// SMTP sink and the client live in the run's process, the dev server in its own.
// A run past --max-minutes, or whose worker passes --max-worker-gib (the machine is shared), stops
// and reports what it reached.
import { fork } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { CycleClient } from '../client/cycle-client.js';
import type { CycleInput } from '../domain/cycle.js';
import { openStore } from '../store/index.js';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/create-worker.js';
import { tempDir } from '../test/helpers/cycle.js';
import { pgliteDb, postgresDb } from '../test/helpers/db.js';
import { seedDirectory } from '../test/helpers/directory.js';
import { devServer } from '../test/helpers/temporal.js';
import { digestsAt, liveCycle, unitActions, type Group } from './bench/live-scenario.js';
import { latencyMs, latencySeconds, promHistogram, promTotal } from './bench/live-report.js';
import type { Sent } from './bench/live-worker.js';
import { startLiveWorker, type LiveWorker } from './bench/live-process.js';
import { childrenMatching, machine, procSample } from './bench/proc.js';
import { unitCycle } from './bench/scenario.js';
import { startCountingSink } from './bench/smtp.js';
import { updateTiming } from './bench/update-timing.js';

const { values: opts } = parseArgs({
  options: {
    cycles: { type: 'string', default: '1000' },
    actions: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    'start-concurrency': { type: 'string', default: '8' },
    /** The cycles' digestGraceSeconds (production default 60), subtracted from the lateness. */
    grace: { type: 'string', default: '60' },
    /** The slot this many seconds after the quiet cycles are open; default from what they cost. */
    'lead-seconds': { type: 'string' },
    /** The cycles' reminders.spreadMinutes: each cycle's chase at its own second of this many minutes after the slot (0: all at the slot). */
    spread: { type: 'string', default: '10' },
    /** When the first burst begins, seconds from the slot (negative: before); default: the middle of the spread (0 without one). */
    'burst-at': { type: 'string' },
    'settle-seconds': { type: 'string', default: '300' },
    'max-minutes': { type: 'string', default: '30' },
    'max-worker-gib': { type: 'string', default: '12' },
    db: { type: 'string', default: 'postgres' },
    'worker-options': { type: 'string', default: '' },
    /** Node flags for the worker process, space-separated (--worker-node-options=--trace-gc: its lines go to stderr). */
    'worker-node-options': { type: 'string', default: '' },
    out: { type: 'string' },
  },
});

// The dev server (spawned by the SDK's core) prints its banner on the stdout it inherits: the run goes
// in a child whose stdout is this process's stderr, and only the report comes out on stdout here.
if (!process.env.BENCH_LIVE_RUN) {
  const child = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
    execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_LIVE_RUN: '1' }, stdio: ['ignore', 2, 2, 'ipc'],
  });
  let report: string | undefined;
  child.on('message', (m: { report: string }) => { report = m.report; });
  const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
  if (report) {
    console.log(report);
    if (opts.out) writeFileSync(opts.out, `${report}\n`);
  }
  process.exit(code);
}

const int = (name: keyof typeof opts, min: number) => {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: a whole number ≥ ${min} (got ${String(opts[name])})`);
  return n;
};
const N = int('cycles', 2);
const ACTIONS = int('actions', 0);
const CONCURRENCY = int('concurrency', 1);
const START_CONCURRENCY = int('start-concurrency', 1);
const GRACE = int('grace', 0);
const SPREAD = int('spread', 0);
if (SPREAD > 59) throw new Error('--spread: at most 59 minutes (as reminders.spreadMinutes)');
const SPREAD_MS = SPREAD * 60_000;
// In the middle of the spread both the cycles' chase timers and their mails (a grace later) are firing.
const BURST_AT = opts['burst-at'] !== undefined ? Number(opts['burst-at']) : SPREAD * 30;
const SETTLE_MS = int('settle-seconds', 10) * 1000;
const MAX_MS = Number(opts['max-minutes']) * 60_000;
const MAX_WORKER_MIB = Number(opts['max-worker-gib']) * 1024;
const WORKER_OPTIONS = opts['worker-options'] ?? '';
const CHASE_KINDS = new Set(['reminder', 'escalate-leader', 'escalate-director', 'overdue-repeat']);
const log = (...a: unknown[]) => console.error(`[live ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const round1 = (n: number) => Math.round(n * 10) / 10;
/** To the parent, which prints it; resolves once the message has left (exiting sooner could drop it). */
const emit = (report: unknown) => new Promise<void>((r) => process.send!({ report: JSON.stringify(report, null, 2) }, () => r()));

/** Each Update's round trip alone (CycleClient's call also waits until the cycle has seen it). */
const { interceptor: timing, ms: updateMs } = updateTiming();

/** Until `ok()`, asking every 200 ms. */
async function until(ok: () => Promise<boolean>): Promise<void> {
  while (!(await ok())) await sleep(200);
}

/** `n` at a time over `items`, in order. */
async function pool<T>(items: T[], n: number, each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await each(items[next++]!);
  }));
}

async function main() {
  const t0 = performance.now();
  const m0 = machine();
  log(`${N} cycles on ${m0.cpus} CPUs (${m0.model}), load ${m0.loadAvg.join(' ')}; bundling workflows`);
  const { code } = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
  const bundleDir = tempDir('bench-live-bundle');
  const bundlePath = join(bundleDir, 'workflows.js');
  writeFileSync(bundlePath, code);

  const env = await devServer();
  const serverPid = childrenMatching(process.pid, 'start-dev')[0];
  const smtp = await startCountingSink();
  const db = opts.db === 'postgres' ? await postgresDb() : await pgliteDb();
  let worker: LiveWorker | undefined;
  let sampler: NodeJS.Timeout | undefined;
  /** What the run got to, for a report cut short. */
  const reached: Record<string, unknown> = {};
  let loadMax = 0;
  let serverPeakMiB = 0;
  const machineOut = () => ({ cpus: m0.cpus, model: m0.model, memGiB: m0.memGiB, loadAvgAtStart: m0.loadAvg, loadAvgAtEnd: machine().loadAvg, loadAvg1mMax: loadMax });
  let aborting = false;
  const abort = (reason: string) => {
    if (aborting) return;
    aborting = true;
    log(`stopping: ${reason}`);
    worker?.kill();
    if (serverPid) process.kill(serverPid, 'SIGTERM'); // exiting from here skips env.teardown()
    void emit({ mode: 'live: Temporal CLI dev server, real time', cycles: N, aborted: reason, afterSeconds: round1((performance.now() - t0) / 1000), reached, machine: machineOut() })
      .then(() => process.exit(2));
  };
  try {
    const store = await openStore(db.connection);
    const units = Array.from({ length: N }, (_, i) => unitCycle(i));
    const tSeed = performance.now();
    log('seeding the directory');
    for (const u of units) await seedDirectory(store, u);
    const seedSeconds = round1((performance.now() - tSeed) / 1000);

    const client = new Client({ connection: env.connection, namespace: env.namespace ?? 'default', interceptors: { workflow: [timing] } });
    const taskQueue = `bench-live-${process.pid}`;
    const cc = new CycleClient(client, { taskQueue, store });
    worker = await startLiveWorker({ address: env.address, taskQueue, bundlePath, databaseUrl: db.url, smtpUrl: smtp.url, workerOptions: WORKER_OPTIONS, nodeOptions: opts['worker-node-options'] ?? '' });
    const w = worker;

    sampler = setInterval(() => {
      loadMax = Math.max(loadMax, machine().loadAvg[0] ?? 0);
      if (serverPid) serverPeakMiB = Math.max(serverPeakMiB, procSample(serverPid)?.rssMiB ?? 0);
      const p = procSample(w.pid);
      reached.workerPeakRssMiB = p?.peakRssMiB;
      if (p && p.rssMiB > MAX_WORKER_MIB) abort(`worker RSS ${p.rssMiB} MiB passed --max-worker-gib`);
      if (performance.now() - t0 > MAX_MS) abort('--max-minutes passed');
    }, 1000);
    const cpu = () => ({
      worker: procSample(w.pid)?.cpuSeconds ?? 0,
      server: serverPid ? procSample(serverPid)?.cpuSeconds ?? 0 : 0,
      bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    });
    const marks: { at: string; seconds: number; cpu: ReturnType<typeof cpu>; rssMiB?: number; cachedWorkflows?: number }[] = [];
    const mark = async (at: string, withSample = false) => {
      const s = withSample ? await w.sample(true) : undefined;
      marks.push({ at, seconds: round1((performance.now() - t0) / 1000), cpu: cpu(), ...(s && { rssMiB: procSample(w.pid)?.rssMiB ?? s.rssMiB, cachedWorkflows: s.cachedWorkflows }) });
      reached.marks = marks;
      return s;
    };
    /** Digests sent so far whose notices are all "assigned": one per cycle once it has opened its plan. */
    const opened = async () => (await w.sent()).filter((s) => s.kinds.every((k) => k === 'assigned')).length;
    const waitOpened = async (n: number, until: number) => {
      while ((await opened()) < n && Date.now() < until) await sleep(1000);
    };

    await sleep(3000); // pollers up, start-up garbage collectable
    const idle = (await mark('idle', true))!;
    const idleRss = marks.at(-1)!.rssMiB!;

    // ---- the quiet cycles: the bursts', and what a cycle costs the worker to open ----
    const perUnit = unitActions(units[0]!).length;
    // Enough to time the openings (one in twenty), and every unit the two bursts act on.
    const quietCount = Math.min(Math.max(2 * Math.ceil(ACTIONS / perUnit), Math.ceil(N / 20)), Math.floor(N / 2));
    const startMs: number[] = [];
    let slotMs = Infinity;
    let startedAfterSlot = 0;
    const start = async (c: CycleInput) => {
      const t = performance.now();
      await cc.start(c, c.roles.coordinator);
      startMs.push(performance.now() - t);
      reached.cyclesStarted = startMs.length;
      if (Date.now() > slotMs) startedAfterSlot += 1;
    };
    // Nothing of theirs falls due near any slot (see GROUPS): any slot of today will do for them.
    const quiet = units.slice(0, quietCount).map((u) => liveCycle(u, new Date(Math.ceil(Date.now() / 60_000) * 60_000), 'quiet', GRACE));
    log(`starting ${quiet.length} quiet cycles`);
    const cpuQuiet = cpu().worker;
    await pool(quiet, START_CONCURRENCY, start);
    await waitOpened(quiet.length, Date.now() + (GRACE + 120) * 1000);
    const cpuPerCycle = quiet.length ? (cpu().worker - cpuQuiet) / quiet.length : 0.5;
    await mark('quiet-open');

    // ---- the slot: far enough for the rest to open (their first mail out) before it ----
    const rest = units.slice(quietCount);
    // 2.5: the worker gets about a core at best on this shared machine, and the opening mails wait the grace.
    const leadMs = opts['lead-seconds'] !== undefined ? Number(opts['lead-seconds']) * 1000 : (rest.length * cpuPerCycle * 2.5 + GRACE + 30) * 1000;
    const slot = new Date(Math.ceil((Date.now() + leadMs) / 60_000) * 60_000);
    slotMs = slot.getTime();
    const groups: Group[] = ['reminder', 'escalation'];
    const chased = rest.map((u, i) => liveCycle(u, slot, groups[i % 2]!, GRACE, SPREAD));
    const owedPer: Record<Group, number> = { reminder: 1, escalation: 2, quiet: 0 };
    const owed = chased.reduce((n, c, i) => {
      const due = digestsAt(c, slot).length;
      if (due !== owedPer[groups[i % 2]!]) throw new Error(`${c.cycleId}: the calendar does not put its chase on the slot`);
      return n + due;
    }, 0);
    reached.slot = { at: slot.toISOString(), workerCpuSecondsPerOpening: round1(cpuPerCycle * 1000) / 1000, owed };
    log(`slot ${slot.toISOString()} (${round1((slotMs - Date.now()) / 1000)} s ahead; ${round1(cpuPerCycle * 1000)} ms worker CPU per opening); starting ${chased.length} cycles, ${owed} digests owed at the slot`);
    await pool(chased, START_CONCURRENCY, start);
    await mark('started');
    log(`all ${N} started, ${round1((slotMs - Date.now()) / 1000)} s before the slot`);

    // ---- memory with every cycle open (its first mail out) and the worker idle, after a GC ----
    await waitOpened(N, slotMs - 10_000);
    const openedBeforeSlot = await opened();
    const open = (await mark('open', true))!;
    const openRss = marks.at(-1)!.rssMiB!;
    log(`${openedBeforeSlot} of ${N} cycles open; worker RSS ${openRss} MiB (idle ${idleRss}); ${round1((slotMs - Date.now()) / 1000)} s to the slot`);

    // ---- the slot: reminders fire and a burst acts; then a burst on a calm worker ----
    await sleep(slotMs - Date.now());
    await mark('slot');
    // Owed at the slot: a chase falling due at it or at a cycle's second of the spread after it.
    const atSlot = (xs: Sent[]) => xs.filter((s) => {
      const at = Date.parse(s.slot);
      return at >= slotMs && at <= slotMs + SPREAD_MS && s.kinds.some((k) => CHASE_KINDS.has(k));
    });
    let lastOwedMs = 0;
    const waitDigests = async () => {
      const until = slotMs + SPREAD_MS + GRACE * 1000 + SETTLE_MS;
      for (;;) {
        const due = atSlot(await w.sent());
        lastOwedMs = Math.max(0, ...due.map((d) => d.sentMs));
        if (due.length >= owed || Date.now() > until) return;
        await sleep(2000);
      }
    };
    /** ACTIONS actions on its own quiet units, CONCURRENCY units at a time, from `at`. */
    const burst = async (units: CycleInput[], at: number) => {
      await sleep(at - Date.now());
      const t = Date.now();
      const ms: number[] = [];
      const byLabel: Record<string, number[]> = {};
      const failed: Record<string, number> = {};
      updateMs.length = 0;
      const chains = units.map((c, i) => ({ c, acts: unitActions(c).slice(0, Math.max(0, ACTIONS - perUnit * i)) })).filter((x) => x.acts.length);
      await pool(chains, CONCURRENCY, async ({ c, acts }) => {
        for (const { act, item, actor, label } of acts) {
          // An item of the phase the previous action opened: people act once it is there (not timed).
          if (item !== 'plan') await until(() => cc.status(c.cycleId).then((s) => (s.deliverables.find((d) => d.id === item)?.version ?? 0) > 0, () => false));
          const a = performance.now();
          try {
            await (act === 'submit' ? cc.submit(c.cycleId, item, { actor, note: 'bench' }) : cc.approve(c.cycleId, item, { actor }));
            const took = performance.now() - a;
            ms.push(took);
            (byLabel[label] ??= []).push(took);
            reached.actionsDone = (reached.actionsDone as number ?? 0) + 1;
          } catch (err) {
            const msg = (err as Error).message.slice(0, 160);
            failed[msg] = (failed[msg] ?? 0) + 1;
            break; // the rest of this unit's chain would be refused
          }
        }
      });
      return {
        attempted: chains.reduce((n, x) => n + x.acts.length, 0), ok: ms.length, failed,
        fromSlotSeconds: round1((t - slotMs) / 1000), toSlotSeconds: round1((Date.now() - slotMs) / 1000),
        latencyMs: latencyMs(ms), updateRoundTripMs: latencyMs(updateMs),
        byKindMs: Object.fromEntries(Object.entries(byLabel).map(([k, xs]) => [k, latencyMs(xs)])),
      };
    };
    // Each burst its own units: half the quiet ones when there are too few for two full bursts.
    const half = Math.min(Math.ceil(ACTIONS / perUnit), Math.floor(quiet.length / 2));
    const [, during] = await Promise.all([waitDigests(), burst(quiet.slice(0, half), slotMs + BURST_AT * 1000)]);
    await mark('reminders-out');
    log(`reminders out ${round1((lastOwedMs - slotMs) / 1000)} s after the slot; the burst again, on a calm worker`);
    const after = await burst(quiet.slice(half), Date.now() + 10_000);
    const end = (await mark('end', true))!;
    const peakRss = procSample(w.pid)?.peakRssMiB ?? 0;
    const sent = await w.sent();
    const metrics = await w.metrics();
    await w.stop();
    worker = undefined;
    clearInterval(sampler);
    let workflows: number | string;
    try {
      workflows = (await client.workflow.count()).count;
    } catch (err) {
      workflows = `count failed: ${(err as Error).message}`;
    }

    // ---- the report ----
    const due = atSlot(sent);
    const others = sent.filter((s) => !due.includes(s));
    const byKind = (xs: Sent[]) => xs.reduce<Record<string, number>>((a, s) => { for (const k of s.kinds) a[k] = (a[k] ?? 0) + 1; return a; }, {});
    const lateness = latencySeconds(due.map((s) => s.seconds - GRACE));
    const phase = (a: string, b: string) => {
      const [x, y] = [marks.find((m) => m.at === a)!, marks.find((m) => m.at === b)!];
      return { seconds: round1(y.seconds - x.seconds), cpuSeconds: { worker: round1(y.cpu.worker - x.cpu.worker), server: round1(y.cpu.server - x.cpu.server), bench: round1(y.cpu.bench - x.cpu.bench) } };
    };
    const perCycle = (rss: number) => Math.round(((rss - idleRss) / N) * 100) / 100;
    const hist = (name: string) => promHistogram(metrics, `temporal_${name}`);
    const report = {
      mode: 'live: Temporal CLI dev server, real time',
      cycles: {
        started: startMs.length, byGroup: { quiet: quiet.length, reminder: Math.ceil(chased.length / 2), escalation: Math.floor(chased.length / 2) },
        openBeforeSlot: openedBeforeSlot, startedAfterSlot, startConcurrency: START_CONCURRENCY, startLatencyMs: latencyMs(startMs),
      },
      workflows,
      wallSeconds: round1((performance.now() - t0) / 1000),
      actions: {
        what: 'CycleClient submit / approve, each unit in order (scripts/bench/live-scenario.ts unitActions: plan by office, HR, leading group, then each summary by head and leader), each by the person who may',
        measured: 'latencyMs: the whole CycleClient call (the Update, then until the cycle has seen it, as the API answers); updateRoundTripMs: the Update RPC alone',
        concurrency: CONCURRENCY,
        duringReminders: during,
        afterReminders: { ...after, note: 'the same burst on other quiet units, 10 s after the last digest owed at the slot was sent' },
      },
      reminders: {
        slot: slot.toISOString(), spreadMinutes: SPREAD, owed, sent: due.length, byKind: byKind(due), graceSeconds: GRACE,
        latenessSeconds: lateness,
        rawLatenessSeconds: latencySeconds(due.map((s) => s.seconds)),
        split: {
          raisedAfterSlotSeconds: latencySeconds(due.map((s) => ((s.raisedMs ?? NaN) - Date.parse(s.slot)) / 1000).filter(Number.isFinite)),
          sentAfterDueSeconds: latencySeconds(due.map((s) => (s.sentMs - Math.max(Date.parse(s.slot) + GRACE * 1000, s.raisedMs ?? NaN)) / 1000).filter(Number.isFinite)),
          measured: 'raised: the chase timer fires, the cycle records the notice (its raisedMs); sent: from when its mail fell due (domain/digest.ts mailDueAt: a grace after the slot, or at once when raised later) to the send',
        },
        lastSentSecondsAfterSlot: round1((lastOwedMs - slotMs) / 1000),
        measured: `each digest owed at the slot: the mail activity's observeLateness (send time − its notices' slot: the slot and the cycle's own second of the ${SPREAD}-minute spread), every value kept, minus the cycles' digestGraceSeconds (${GRACE} s of deliberate gathering)`,
        otherDigests: { sent: others.length, byKind: byKind(others), note: 'raised by an opening or an action: slot = the minute raised, not a schedule; not in the lateness' },
      },
      mails: smtp.count(),
      worker: {
        rssMiB: { idle: idleRss, allOpen: openRss, end: marks.at(-1)!.rssMiB, peak: peakRss },
        perOpenCycleMiB: { allOpen: perCycle(openRss), peak: perCycle(peakRss) },
        measured: `(RSS − idle worker's RSS) / ${N} cycles; allOpen: after a GC once every cycle had mailed its opening (or 10 s before the slot), peak: VmHWM over the run`,
        heapUsedMiB: { idle: idle.heapUsedMiB, allOpen: open.heapUsedMiB, end: end.heapUsedMiB },
        cachedWorkflows: { allOpen: open.cachedWorkflows, end: end.cachedWorkflows, max: end.maxCachedWorkflows },
      },
      server: { peakRssMiB: serverPeakMiB },
      phases: {
        quietOpening: phase('idle', 'quiet-open'), starting: phase('quiet-open', 'started'), opening: phase('started', 'open'),
        toSlot: phase('open', 'slot'), slotToRemindersOut: phase('slot', 'reminders-out'), secondBurst: phase('reminders-out', 'end'),
      },
      temporalMs: {
        workflowTaskScheduleToStart: hist('workflow_task_schedule_to_start_latency'),
        workflowTaskExecution: hist('workflow_task_execution_latency'),
        workflowTaskReplay: hist('workflow_task_replay_latency'),
        activityScheduleToStart: hist('activity_schedule_to_start_latency'),
        activityExecution: hist('activity_execution_latency'),
        stickyCacheMisses: promTotal(metrics, 'temporal_sticky_cache_miss'),
        forcedEvictions: promTotal(metrics, 'temporal_sticky_cache_total_forced_eviction'),
        workflowTaskFailures: promTotal(metrics, 'temporal_workflow_task_execution_failed'),
      },
      targets: {
        actionP99: {
          limitMs: 300, duringReminders: during.latencyMs.p99, afterReminders: after.latencyMs.p99,
          ok: [during, after].every((b) => b.latencyMs.p99 !== null && b.latencyMs.p99 <= 300 && b.ok === b.attempted),
        },
        reminderLatenessP99: { limitSeconds: 2, value: lateness.p99, ok: lateness.p99 !== null && lateness.p99 <= 2 && due.length === owed },
        workerRss: { limitMiB: 1536, value: peakRss, ok: peakRss <= 1536 },
      },
      machine: machineOut(),
      setup: {
        worker: `child process (scripts/bench/live-worker.ts), worker/create-worker.ts options${WORKER_OPTIONS ? ` + ${WORKER_OPTIONS}` : ''}, pre-built bundle`,
        database: opts.db === 'postgres' ? 'PostgreSQL (Debian), own process' : 'PGlite in the benchmark process',
        cycles: 'examples/jinjiang-2019.json per unit (scripts/bench/scenario.ts unitCycle), calendar moved to the slot in a fixed-offset zone (scripts/bench/live-scenario.ts)',
        seedSeconds,
      },
    };
    await emit(report);
  } finally {
    if (sampler) clearInterval(sampler);
    worker?.kill();
    await env.teardown().catch(() => undefined);
    await smtp.close();
    await db.stop().catch(() => undefined);
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

await main();
process.exit();
