// Reading a finished run back: every workflow's history (a cycle's children found in its own
// history, continued-as-new runs followed back), and what they hold: events by type, workflow tasks,
// timers and the distinct instants they fired at, the largest history.
import type { Client } from '@temporalio/client';
import proto, { type temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export interface Run { workflowId: string; runId?: string; events: HistoryEvent[] }

// A CommonJS module: its namespace comes through the default export under tsx.
const EventType = proto.temporal.api.enums.v1.EventType;

/** EVENT_TYPE_TIMER_FIRED → TimerFired */
export function typeName(e: HistoryEvent): string {
  const raw = EventType[e.eventType ?? 0] ?? String(e.eventType);
  return raw.replace(/^EVENT_TYPE_/, '').toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
}

export function timeMs(e: HistoryEvent): number {
  const t = e.eventTime;
  if (!t) return 0;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** All runs of `workflowId`, oldest first. */
async function runsOf(client: Client, workflowId: string): Promise<Run[]> {
  const runs: Run[] = [];
  let runId: string | undefined;
  for (;;) {
    const h = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = h.events ?? [];
    runs.unshift({ workflowId, ...(runId && { runId }), events });
    const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    runId = previous;
  }
}

/** The runs of the roots and of every child they (or their children) started, one call at a time. */
export async function fetchTree(client: Client, roots: string[]): Promise<Map<string, Run[]>> {
  const out = new Map<string, Run[]>();
  const queue = [...roots];
  while (queue.length) {
    const id = queue.shift()!;
    if (out.has(id)) continue;
    const runs = await runsOf(client, id);
    out.set(id, runs);
    for (const r of runs) {
      for (const e of r.events) {
        const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (child && !out.has(child)) queue.push(child);
      }
    }
  }
  return out;
}

export interface HistoryStats {
  workflows: number;
  runs: number;
  events: number;
  largestHistory: { workflowId: string; events: number };
  eventsByType: Record<string, number>;
  /** Events, runs and workflow tasks per workflow type (the cycle, its deliverables, …). */
  byWorkflowType: Record<string, { workflows: number; events: number; workflowTasks: number; largest: number }>;
  activitiesByType: Record<string, number>;
  workflowTasks: { completed: number; failed: number; timedOut: number };
  /** Workflow tasks by what woke them (the first event after the previous task), per workflow type. */
  workflowTasksWokenBy: Record<string, Record<string, number>>;
  timers: { started: number; fired: number; canceled: number; distinctFireInstants: number; distinctFireSeconds: number };
  signalsSent: number;
  childrenStarted: number;
  activitiesScheduled: number;
  updatesAccepted: number;
  continuedAsNew: number;
}

export function historyStats(tree: Map<string, Run[]>): HistoryStats {
  const byType: Record<string, number> = {};
  let events = 0;
  let runs = 0;
  let largest = { workflowId: '', events: 0 };
  const fired = new Set<number>();
  const byWf: HistoryStats['byWorkflowType'] = {};
  const activities: Record<string, number> = {};
  const wokenBy: HistoryStats['workflowTasksWokenBy'] = {};
  const BOOKKEEPING = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskFailed', 'WorkflowTaskTimedOut', 'ActivityTaskStarted']);
  for (const [workflowId, rs] of tree) {
    const wfType = rs[0]?.events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?';
    const w = (byWf[wfType] ??= { workflows: 0, events: 0, workflowTasks: 0, largest: 0 });
    w.workflows += 1;
    const woken = (wokenBy[wfType] ??= {});
    for (const r of rs) {
      let trigger: string | undefined;
      let afterTask = true;
      runs += 1;
      events += r.events.length;
      w.events += r.events.length;
      w.largest = Math.max(w.largest, r.events.length);
      if (r.events.length > largest.events) largest = { workflowId, events: r.events.length };
      for (const e of r.events) {
        const n = typeName(e);
        byType[n] = (byType[n] ?? 0) + 1;
        if (n === 'TimerFired') fired.add(timeMs(e));
        if (n === 'WorkflowTaskCompleted') {
          w.workflowTasks += 1;
          const t = trigger ?? 'UpdateOrNone';
          woken[t] = (woken[t] ?? 0) + 1;
          trigger = undefined;
          afterTask = true;
        } else if (afterTask && !BOOKKEEPING.has(n)) {
          // Commands follow the completion; the first other event is what woke the next task.
          if (!/Initiated|Scheduled$|^TimerStarted|^TimerCanceled|MarkerRecorded|Upsert|UpdateAccepted|UpdateCompleted|^WorkflowExecution(Completed|ContinuedAsNew)/.test(n)) {
            trigger = n;
            afterTask = false;
          }
        }
        const act = e.activityTaskScheduledEventAttributes?.activityType?.name;
        if (act) activities[act] = (activities[act] ?? 0) + 1;
      }
    }
  }
  const c = (n: string) => byType[n] ?? 0;
  return {
    workflows: tree.size,
    runs,
    events,
    largestHistory: largest,
    eventsByType: Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1])),
    byWorkflowType: byWf,
    workflowTasksWokenBy: wokenBy,
    activitiesByType: activities,
    workflowTasks: { completed: c('WorkflowTaskCompleted'), failed: c('WorkflowTaskFailed'), timedOut: c('WorkflowTaskTimedOut') },
    timers: {
      started: c('TimerStarted'), fired: c('TimerFired'), canceled: c('TimerCanceled'),
      distinctFireInstants: fired.size, distinctFireSeconds: new Set([...fired].map((t) => Math.floor(t / 1000))).size,
    },
    signalsSent: c('SignalExternalWorkflowExecutionInitiated'),
    childrenStarted: c('StartChildWorkflowExecutionInitiated'),
    activitiesScheduled: c('ActivityTaskScheduled'),
    updatesAccepted: c('WorkflowExecutionUpdateAccepted'),
    continuedAsNew: c('WorkflowExecutionContinuedAsNew'),
  };
}
