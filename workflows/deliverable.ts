// The deliverable child workflow of cycles started before items were held in the cycle itself: runs
// the item (workflows/item.ts) and tells its cycle of every change by signal. New cycles start none.
import { allHandlersFinished, condition, getExternalWorkflowHandle, patched, setHandler } from '@temporalio/workflow';
import type { Delegation } from '../domain/delegation.js';
import {
  approveUpdate, closeSignal, delegationsSignal, deliverableEventSignal, deliverableQuery, extendUpdate, rejectUpdate, submitUpdate, urgeUpdate,
  type DeliverableArgs, type DeliverableSnapshot,
} from './definitions.js';
import { createItem } from './item.js';

export async function deliverableWorkflow(args: DeliverableArgs): Promise<DeliverableSnapshot> {
  const parent = getExternalWorkflowHandle(args.cycleId);
  // ---- 委托 (issue 11): the cycle's delegations that concern this item, whole, as the cycle sends them ----
  let delegations: Delegation[] = args.delegations ?? [];
  setHandler(delegationsSignal, (list) => {
    delegations = list;
  });
  const item = createItem(args, {
    report: (ev) => parent.signal(deliverableEventSignal, ev),
    wait: (done, ms) => (ms === undefined ? condition(done).then(() => true) : condition(done, ms)),
    delegations: () => delegations,
    // Histories recorded before this version ran handlers without a second look; they replay as they ran.
    serial: patched('serial-updates'),
  });
  setHandler(deliverableQuery, item.snapshot);
  const { submit, approve, reject, urge, extend } = item.verbs;
  setHandler(submitUpdate, submit.run, { validator: submit.validate });
  setHandler(approveUpdate, approve.run, { validator: approve.validate });
  setHandler(rejectUpdate, reject.run, { validator: reject.validate });
  setHandler(urgeUpdate, urge.run, { validator: urge.validate });
  setHandler(extendUpdate, extend.run, { validator: extend.validate });
  setHandler(closeSignal, item.close);
  await item.run();
  // The update that accepted it is still reporting to the cycle: let it answer its caller first.
  await condition(allHandlersFinished);
  return item.snapshot();
}
