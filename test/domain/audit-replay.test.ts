// The audit of one deliverable read back as states: each action must follow from the one before, and
// two actions on the same state (the race losers, had they acted) show as impossible steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayDeliverable, replayMatches } from '../../domain/audit-replay.js';
import type { AuditAction } from '../../domain/audit.js';
import type { DeliverableState } from '../../domain/deliverables.js';

let seq = 0;
const line = (action: AuditAction, subject = 'summary-law') => ({ seq: ++seq, action, subject, actor: 'x' });

describe('replayDeliverable', () => {
  it('follows a two-stage item through a rejection loop to acceptance', () => {
    const lines = [
      line('deliverable-opened', 'plan'), line('submitted', 'plan'), line('approved', 'plan'), line('rejected', 'plan'),
      line('submitted', 'plan'), line('approved', 'plan'),
    ];
    expect(replayDeliverable(lines, 'plan', 2)).toEqual({ state: 'in-review', stage: 1, errors: [], steps: 6 });
    const done = replayDeliverable([...lines, line('approved', 'plan')], 'plan', 2);
    expect(done).toMatchObject({ state: 'accepted', errors: [] });
    expect(replayMatches(done, { state: 'accepted', stage: 2 })).toBe(true);
  });

  it('passes over other items and other actions (reminders, escalations, refusals)', () => {
    const lines = [
      line('deliverable-opened'), line('deliverable-opened', 'summary-planning'), line('escalated'), line('refused'),
      line('submitted', 'summary-planning'), line('reminder-sent'),
    ];
    expect(replayDeliverable(lines, 'summary-law', 1)).toEqual({ state: 'open', stage: 0, errors: [], steps: 1 });
  });

  it('reads an item with no review stage: the submission and the system\'s approval together accept it', () => {
    const r = replayDeliverable([line('deliverable-opened', 'result'), line('submitted', 'result'), line('approved', 'result')], 'result', { stages: [] });
    expect(r).toMatchObject({ state: 'accepted', errors: [] });
    expect(replayDeliverable([line('deliverable-opened', 'result'), line('submitted', 'result'), line('rejected', 'result')], 'result', 0).errors).toHaveLength(1);
  });

  it('names every impossible step: the same approval twice, an approval after a rejection, anything after closing', () => {
    const twice = replayDeliverable([line('deliverable-opened'), line('submitted'), line('approved'), line('approved')], 'summary-law', 1);
    expect(twice.state).toBe('accepted');
    expect(twice.errors).toEqual([expect.stringMatching(/^#\d+ approved: .*cannot follow accepted$/)]);
    const crossed = replayDeliverable([line('deliverable-opened'), line('submitted'), line('rejected'), line('approved')], 'summary-law', 1);
    expect(crossed).toMatchObject({ state: 'open', errors: [expect.stringMatching(/approved: .*cannot follow open/)] });
    const closed = replayDeliverable([line('deliverable-opened'), line('deliverable-closed'), line('submitted')], 'summary-law', 1);
    expect(closed).toMatchObject({ state: 'closed', errors: [expect.stringMatching(/submitted/)] });
    expect(replayMatches(closed, { state: 'closed', stage: 0 })).toBe(false);
  });

  it('knows nothing before the item was opened', () => {
    expect(replayDeliverable([], 'plan', 2)).toEqual({ state: 'none', stage: 0, errors: [], steps: 0 });
    expect(replayDeliverable([line('submitted', 'plan')], 'plan', 2).errors).toHaveLength(1);
  });

  it('agrees with a model of the workflow\'s rules for any sequence of attempted actions', () => {
    type Try = 'submit' | 'approve' | 'reject' | 'close';
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 }), fc.array(fc.constantFrom<Try>('submit', 'approve', 'reject', 'close'), { maxLength: 30 }), (stages, tries) => {
      // The workflow's rules: only what the state allows is done (and audited); the rest is refused or late.
      let state: DeliverableState = 'open';
      let stage = 0;
      const lines = [line('deliverable-opened', 'item')];
      for (const t of tries) {
        if (t === 'submit' && state === 'open') {
          lines.push(line('submitted', 'item'));
          [state, stage] = ['in-review', 0];
          if (stages === 0) {
            lines.push(line('approved', 'item'));
            state = 'accepted';
          }
        } else if (t === 'approve' && state === 'in-review') {
          lines.push(line('approved', 'item'));
          stage += 1;
          if (stage >= stages) state = 'accepted';
        } else if (t === 'reject' && state === 'in-review') {
          lines.push(line('rejected', 'item'));
          [state, stage] = ['open', 0];
        } else if (t === 'close' && (state === 'open' || state === 'in-review')) {
          lines.push(line('deliverable-closed', 'item'));
          state = 'closed';
        }
      }
      const r = replayDeliverable(lines, 'item', stages);
      expect(r.errors).toEqual([]);
      expect(replayMatches(r, { state, stage })).toBe(true);
    }), { numRuns: 300 });
  });
});
