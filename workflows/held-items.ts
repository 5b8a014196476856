// The deliverables of a cycle held in the cycle workflow itself (cycles started from this version on):
// each item runs as a state machine beside the cycle's other loops, and people act on it by an Update
// to the cycle naming the item. No child workflow, no signal back: a fraction of the events, one
// workflow in the worker's cache per cycle.
import { setHandler } from '@temporalio/workflow';
import type { CycleInput } from '../domain/cycle.js';
import type { DeliverableSpec } from '../domain/deliverables.js';
import type { Delegation } from '../domain/delegation.js';
import { clip, LIMITS, tooLong } from '../domain/limits.js';
import {
  itemApproveUpdate, itemExtendUpdate, itemRejectUpdate, itemSubmitUpdate, itemUrgeUpdate,
  type DeliverableEvent, type DeliverableSnapshot, type HeldItemState, type OnItem,
} from './definitions.js';
import { createItem, type Item, type ItemVerb } from './item.js';
import { notFound } from './input-errors.js';
import { pausable } from './pause.js';
import { conflict, refuse } from './refuse.js';

export interface HeldItemsContext {
  cycle: CycleInput;
  /** Applies an item's change to the cycle's record at once (its snapshot, audit, notices). */
  apply: (ev: DeliverableEvent) => void;
  /** The cycle's wait: it gives up (Paused) when the run continues as new. */
  wait: (done: () => boolean, ms?: number) => Promise<boolean>;
  /** The delegations in force that concern an item, as they stand now. */
  delegationsFor: (id: string) => Delegation[];
  deliverables: () => ReadonlyMap<string, DeliverableSnapshot>;
}

export function installHeldItems(ctx: HeldItemsContext, carried: HeldItemState[] = []) {
  const { cycle } = ctx;
  const items = new Map<string, Item>();
  /** Each item's chase: the cycle waits for all of them to stop before it continues as new. */
  const chases = new Set<Promise<void>>();
  const host = (id: string) => ({
    report: (ev: DeliverableEvent) => ctx.apply(ev),
    wait: ctx.wait,
    delegations: () => ctx.delegationsFor(id),
    serial: true,
  });
  const start = (spec: DeliverableSpec, resume?: HeldItemState) => {
    const item = createItem({
      cycleId: cycle.cycleId, spec, policy: cycle.policy, workCalendar: cycle.workCalendar, timeZone: cycle.timeZone, coordinator: cycle.roles.coordinator,
    }, host(spec.id), resume);
    items.set(spec.id, item);
    const chase: Promise<void> = pausable(item.run()).finally(() => void chases.delete(chase));
    chases.add(chase);
  };
  for (const c of carried) start(c.spec, c);

  /** The item an Update names, or the error that says why there is none to act on. */
  const find = (req: OnItem<{ actor: string }>): Item => {
    const tooLongId = tooLong('deliverableId', req?.deliverableId, LIMITS.id);
    if (tooLongId) refuse(tooLongId);
    const item = items.get(req.deliverableId);
    if (item) return item;
    // Finished in an earlier run of the cycle (it continued as new): its record is all that is left.
    const done = ctx.deliverables().get(req.deliverableId);
    if (done) conflict(`${done.id} 当前状态为 ${done.state}，不能再办理 / is ${done.state}: nothing more can be done`, done);
    notFound(`deliverableId: ${cycle.cycleId} 中没有事项 ${clip(req.deliverableId)} / no such item`);
  };
  const on = <R extends { actor: string }>(verb: (item: Item) => ItemVerb<R>) => ({
    validator: (req: OnItem<R>) => verb(find(req)).validate(req),
    handler: (req: OnItem<R>) => verb(find(req)).run(req),
  });
  const submit = on((i) => i.verbs.submit);
  const approve = on((i) => i.verbs.approve);
  const reject = on((i) => i.verbs.reject);
  const urge = on((i) => i.verbs.urge);
  const extend = on((i) => i.verbs.extend);
  setHandler(itemSubmitUpdate, submit.handler, { validator: submit.validator });
  setHandler(itemApproveUpdate, approve.handler, { validator: approve.validator });
  setHandler(itemRejectUpdate, reject.handler, { validator: reject.validator });
  setHandler(itemUrgeUpdate, urge.handler, { validator: urge.validator });
  setHandler(itemExtendUpdate, extend.handler, { validator: extend.validator });

  return {
    /** Opens an item: listed, its opening recorded and its owner told, in this same task. */
    open: (spec: DeliverableSpec) => start(spec),
    close: (id: string, why: string) => items.get(id)?.close(why),
    /** Resolves once every chase has stopped (after the run was told to continue as new). */
    stopped: () => Promise.all([...chases]),
    /** The open items, for the next run. */
    state: (): HeldItemState[] => [...items.values()].flatMap((i) => {
      const r = i.resumeState();
      return r.snapshot.state === 'open' || r.snapshot.state === 'in-review' ? [{ ...r, spec: i.spec }] : [];
    }),
  };
}
