// The audit of one deliverable, read back as the states it went through: every action must follow
// from the state before it, and the last state must be the one the status shows. Two people acting on
// the same state (both approving what was in review once) would show here as an impossible step.
import type { AuditEntry } from './audit.js';
import type { DeliverableSpec, DeliverableState } from './deliverables.js';

/** The audit actions that change a deliverable's state; every other line (reminders, refusals) is passed over. */
export const STATE_ACTIONS = ['deliverable-opened', 'submitted', 'approved', 'rejected', 'deliverable-closed'] as const;

export interface ReplayedState {
  state: DeliverableState | 'none';
  /** The review stage waiting (while in review). */
  stage: number;
  /** Each line that could not follow from the state before it, with its seq. */
  errors: string[];
  /** The state-changing lines read, in order. */
  steps: number;
}

type Line = Pick<AuditEntry, 'seq' | 'action' | 'subject'> & Partial<Pick<AuditEntry, 'actor' | 'detail'>>;

/**
 * Replays the lines of `deliverableId` (audit order) for an item with that many review stages (or that
 * spec's). With no
 * stage, the workflow records the submission and the system's approval together.
 */
export function replayDeliverable(entries: readonly Line[], deliverableId: string, spec: number | Pick<DeliverableSpec, 'stages'>): ReplayedState {
  const stages = typeof spec === 'number' ? spec : spec.stages.length;
  let state: ReplayedState['state'] = 'none';
  let stage = 0;
  let steps = 0;
  const errors: string[] = [];
  const fail = (e: Line) => errors.push(`#${e.seq} ${e.action}: 不能在 ${state} 之后 / cannot follow ${state}${state === 'in-review' ? ` (stage ${stage})` : ''}`);
  for (const e of entries) {
    if (e.subject !== deliverableId || !(STATE_ACTIONS as readonly string[]).includes(e.action)) continue;
    steps += 1;
    switch (e.action) {
      case 'deliverable-opened':
        if (state !== 'none') fail(e);
        else state = 'open';
        break;
      case 'submitted':
        if (state !== 'open') fail(e);
        else [state, stage] = ['in-review', 0];
        break;
      case 'approved':
        if (state !== 'in-review') fail(e);
        else if ((stage += 1) >= stages) state = 'accepted';
        break;
      case 'rejected':
        if (state !== 'in-review' || stages === 0) fail(e);
        else [state, stage] = ['open', 0];
        break;
      case 'deliverable-closed':
        if (state !== 'open' && state !== 'in-review') fail(e);
        else state = 'closed';
        break;
    }
  }
  return { state, stage: state === 'in-review' ? stage : 0, errors, steps };
}

/** Whether a replay agrees with a status line of the item (the stage counts only while in review). */
export function replayMatches(r: ReplayedState, status: { state: DeliverableState; stage: number }): boolean {
  return r.errors.length === 0 && r.state === status.state && (status.state !== 'in-review' || r.stage === status.stage);
}
