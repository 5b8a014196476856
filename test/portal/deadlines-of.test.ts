// An item's two deadlines on its page and in my tasks: the owner's stays visible once it is in review,
// as the item keeps it (moved by a send-back or an extension), beside the reviewer's.
import { describe, expect, it } from 'vitest';
import { deadlinesOf } from '../../client/portal/tasks.js';
import { exampleCycle } from '../helpers/cycle.js';

const input = exampleCycle('deadlines');
const base = { id: 'summary-planning', stage: 0, submissions: [], reviews: [] };

describe('deadlinesOf', () => {
  it('shows the owner\'s deadline while open and the reviewer\'s once submitted, with the owner\'s kept beside it', () => {
    expect(deadlinesOf({ ...base, state: 'open', due: '2020-01-31T23:59:59.999+08:00' }, input).submit).toBe('2020-01-31T23:59:59.999+08:00');
    const inReview = deadlinesOf({ ...base, state: 'in-review', due: '2020-02-07T23:59:59.999+08:00', ownerDue: '2020-02-12T23:59:59.999+08:00' }, input);
    expect(inReview).toMatchObject({ submit: '2020-02-12T23:59:59.999+08:00', review: '2020-02-07T23:59:59.999+08:00' });
  });
  it('for an item recorded before the owner\'s deadline was kept: the calendar\'s, unless it was sent back (then unknown)', () => {
    expect(deadlinesOf({ ...base, state: 'in-review', due: '2020-02-07T23:59:59.999+08:00' }, input).submit).toBe('2020-01-31T23:59:59.999+08:00');
    const sentBack = { ...base, state: 'in-review' as const, due: '2020-02-07T23:59:59.999+08:00', reviews: [{ at: '2020-02-01T10:00:00+08:00', by: 'leader-wang', role: 'leader', decision: 'rejected' as const, reason: 'x' }] };
    expect(deadlinesOf(sentBack, input).submit).toBeUndefined();
  });
});
