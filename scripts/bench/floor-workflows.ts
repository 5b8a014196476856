// The floor: a workflow with no domain code that repeats another workflow's shape, as read from its
// history (scripts/bench/floor-plan.ts): at the same instants (shifted) it starts the same children,
// runs as many activities (which do nothing), sends as many signals to the same (twin) workflows,
// starts as many timers, and answers as many Updates, each with what the original's task that took it started.
import {
  allHandlersFinished, CancellationScope, condition, defineSignal, defineUpdate, getExternalWorkflowHandle, ParentClosePolicy, proxyActivities,
  setHandler, sleep, startChild,
} from '@temporalio/workflow';
import type { FloorPlan, Seen } from './floor-plan.js';

export const floorSignal = defineSignal<[number]>('floorEvent');
export const floorUpdate = defineUpdate<number, [string]>('floorPoke');

const { noop } = proxyActivities<{ noop(n: number): Promise<number> }>({ startToCloseTimeout: '1 minute' });

export async function floorWorkflow(plan: FloorPlan): Promise<number> {
  let updates = 0;
  const seen: Seen = { signals: 0, activities: 0, children: 0, delivered: 0 };
  const work: Promise<unknown>[] = [];
  const signal = (to: string) => getExternalWorkflowHandle(to).signal(floorSignal, seen.signals).then(() => void (seen.delivered += 1));
  const activity = (n: number) => noop(n).then(() => void (seen.activities += 1));
  setHandler(floorSignal, () => void (seen.signals += 1));
  setHandler(floorUpdate, async () => {
    const work = plan.perUpdate[updates] ?? { signals: [], activities: 0 };
    updates += 1;
    await Promise.all([...work.signals.map(signal), ...Array.from({ length: work.activities }, () => activity(updates))]);
    return updates;
  });
  let pads: CancellationScope | undefined;
  for (const m of plan.moments) {
    const wait = m.at - new Date().getTime();
    if (m.timer && wait > 0) await sleep(wait);
    const a = m.after;
    await condition(() => seen.signals >= a.signals && seen.activities >= a.activities && seen.children >= a.children && seen.delivered >= a.delivered);
    pads?.cancel();
    pads = undefined;
    if (m.padTimers > 0) {
      const scope = new CancellationScope();
      pads = scope;
      work.push(scope.run(() => Promise.all(Array.from({ length: m.padTimers }, () => sleep('400 days')))).catch(() => undefined));
    }
    work.push(...m.signals.map(signal), ...Array.from({ length: m.activities }, (_, i) => activity(i)));
    for (const c of m.children) {
      const child = startChild(floorWorkflow, { workflowId: c.workflowId, args: [c.plan], parentClosePolicy: ParentClosePolicy.ABANDON });
      work.push(child.then((h) => {
        seen.children += 1;
        return h.result();
      }).then(() => void (seen.children += 1)));
    }
  }
  pads?.cancel();
  await Promise.all(work);
  await condition(() => updates >= plan.updates);
  await condition(allHandlersFinished);
  return seen.signals;
}
