// The shape of a recorded workflow, for the floor to repeat with no domain code: per workflow task
// that was not an Update's, its instant (when what woke it happened) and what it started there
// (activities, signals and their targets, children); per Update, the signals and activities it sent;
// as many timers in all. Instants are shifted (the floor runs after the city on the same server).
import { timeMs, typeName, type HistoryEvent, type Run } from './histories.js';

/** What the floor has seen so far: signals received, activities done, child events, signals delivered. */
export interface Seen { signals: number; activities: number; children: number; delivered: number }

export interface FloorMoment {
  at: number;
  /** Woken by a timer in the original: the floor sleeps until `at`. Otherwise it waits for `after`. */
  timer: boolean;
  /** What the original had seen by then: the floor waits for as much (no timer, no event). */
  after: Seen;
  activities: number;
  signals: string[];
  children: { workflowId: string; plan: FloorPlan }[];
  /** Timers started here and cancelled at the next moment: the original's timers that the floor's own waits do not make. */
  padTimers: number;
}

export interface FloorPlan {
  moments: FloorMoment[];
  updates: number;
  /** What the original's workflow task that took each Update (in their order) started besides. */
  perUpdate: { signals: string[]; activities: number }[];
}

const COMMANDS = new Set([
  'TimerStarted', 'TimerCanceled', 'ActivityTaskScheduled', 'ActivityTaskCancelRequested', 'SignalExternalWorkflowExecutionInitiated',
  'StartChildWorkflowExecutionInitiated', 'RequestCancelExternalWorkflowExecutionInitiated', 'MarkerRecorded',
  'UpsertWorkflowSearchAttributes', 'WorkflowPropertiesModified', 'WorkflowExecutionCompleted', 'WorkflowExecutionFailed',
  'WorkflowExecutionContinuedAsNew', 'WorkflowExecutionUpdateAccepted', 'WorkflowExecutionUpdateCompleted', 'WorkflowExecutionUpdateRejected',
]);
const BOOKKEEPING = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskCompleted', 'WorkflowTaskFailed', 'WorkflowTaskTimedOut']);

interface Group { at: number; timer: boolean; after: Seen; update: boolean; updates: number; timers: number; activities: number; signals: string[]; children: string[] }

const SEEN: Record<string, keyof Seen> = {
  WorkflowExecutionSignaled: 'signals',
  ActivityTaskCompleted: 'activities', ActivityTaskFailed: 'activities', ActivityTaskTimedOut: 'activities', ActivityTaskCanceled: 'activities',
  ChildWorkflowExecutionStarted: 'children', ChildWorkflowExecutionCompleted: 'children', ChildWorkflowExecutionFailed: 'children',
  ExternalWorkflowExecutionSignaled: 'delivered', SignalExternalWorkflowExecutionFailed: 'delivered',
};

function groupsOf(events: HistoryEvent[]): { groups: Group[]; updates: number } {
  const groups: Group[] = [];
  const seen: Seen = { signals: 0, activities: 0, children: 0, delivered: 0 };
  let trigger: { at: number; timer: boolean } | undefined;
  let open: Group | undefined;
  let updates = 0;
  for (const e of events) {
    const n = typeName(e);
    if (open && !COMMANDS.has(n)) {
      groups.push(open);
      open = undefined;
    }
    if (n === 'WorkflowTaskCompleted') {
      open = {
        at: trigger?.at ?? timeMs(e), timer: trigger?.timer ?? false, after: { ...seen },
        update: false, updates: 0, timers: 0, activities: 0, signals: [], children: [],
      };
      trigger = undefined;
      continue;
    }
    if (open) {
      if (n === 'TimerStarted') open.timers += 1;
      if (n === 'ActivityTaskScheduled') open.activities += 1;
      if (n === 'SignalExternalWorkflowExecutionInitiated') open.signals.push(e.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId ?? '');
      if (n === 'StartChildWorkflowExecutionInitiated') open.children.push(e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? '');
      if (n === 'WorkflowExecutionUpdateAccepted') { open.update = true; open.updates += 1; updates += 1; }
      if (n === 'WorkflowExecutionUpdateCompleted') open.update = true;
      continue;
    }
    const kind = SEEN[n];
    if (kind) seen[kind] += 1;
    // What woke the next workflow task: the first thing that happened after the last one completed.
    if (!BOOKKEEPING.has(n)) trigger ??= { at: timeMs(e), timer: n === 'TimerFired' };
  }
  if (open) groups.push(open);
  return { groups, updates };
}

/** The floor plan of `workflowId` and (inside it) of every child it started; ids become `rename(id)`. */
export function floorPlanOf(tree: Map<string, Run[]>, workflowId: string, shiftMs: number, rename: (id: string) => string): FloorPlan {
  const events = (tree.get(workflowId) ?? []).flatMap((r) => r.events);
  const { groups, updates } = groupsOf(events);
  const timers = groups.reduce((s, g) => s + g.timers, 0);
  const byUpdate = groups.filter((g) => g.update);
  const moments: FloorMoment[] = groups
    .filter((g) => !g.update && (g.activities || g.signals.length || g.children.length))
    .map((g) => ({
      at: g.at + shiftMs,
      timer: g.timer,
      after: g.after,
      activities: g.activities,
      signals: g.signals.map(rename),
      children: g.children.map((c) => ({ workflowId: rename(c), plan: floorPlanOf(tree, c, shiftMs, rename) })),
      padTimers: 0,
    }));
  // The floor waits for each later moment with a timer; the original's other timers are padded in.
  const waits = moments.filter((m) => m.timer).length;
  if (moments[0]) moments[0].padTimers = Math.max(0, timers - waits);
  // A task that took several Updates gives its work to the first of them.
  const perUpdate = byUpdate.flatMap((g) => [
    { signals: g.signals.map(rename), activities: g.activities },
    ...Array.from({ length: Math.max(0, g.updates - 1) }, () => ({ signals: [], activities: 0 })),
  ]);
  return { moments, updates, perUpdate };
}
