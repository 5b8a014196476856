import { describe, expect, it } from 'vitest';
import { activeDelegation, concerning, covers, delegationProblem, type Delegation } from '../../domain/delegation.js';

const base = { toName: '王志明', by: 'head-wu', at: '2020-01-01T10:00:00+08:00' };
const item: Delegation = { ...base, id: 1, from: 'head-wu', to: 'deputy-ma', deliverableId: 'summary-cadastre' };
const span: Delegation = { ...base, id: 2, from: 'head-wu', to: 'deputy-li', start: '2020-01-20', end: '2020-01-28' };
const zone = 'Asia/Shanghai';

describe('which delegation is in force', () => {
  it('covers one item whatever the day, a span only on its days, both ends included, in the cycle\'s zone', () => {
    expect(covers(item, 'summary-cadastre', '2030-01-01')).toBe(true);
    expect(covers(item, 'plan', '2020-01-20')).toBe(false);
    expect(['2020-01-19', '2020-01-20', '2020-01-28', '2020-01-29'].map((d) => covers(span, 'plan', d))).toEqual([false, true, true, false]);
    // 2020-01-28 23:30 in Shanghai is still the 28th there, though UTC says the 28th 15:30; 2020-01-28T16:30Z is the 29th there.
    expect(activeDelegation([span], 'head-wu', 'plan', '2020-01-28T15:30:00Z', zone)?.id).toBe(2);
    expect(activeDelegation([span], 'head-wu', 'plan', '2020-01-28T16:30:00Z', zone)).toBeUndefined();
  });
  it('takes the latest made when two cover the item, never a revoked one, and only the principal\'s own', () => {
    const on = '2020-01-21T10:00:00+08:00';
    expect(activeDelegation([span, { ...item, id: 3 }], 'head-wu', 'summary-cadastre', on, zone)?.to).toBe('deputy-ma');
    expect(activeDelegation([span, { ...item, id: 3, revokedAt: on }], 'head-wu', 'summary-cadastre', on, zone)?.to).toBe('deputy-li');
    expect(activeDelegation([span], 'head-cai', 'summary-cadastre', on, zone)).toBeUndefined();
    expect(concerning([item, span, { ...span, id: 4, revokedAt: on }], 'plan').map((d) => d.id)).toEqual([2]);
  });
});

describe('a new delegation\'s own values', () => {
  const today = '2020-01-10';
  it('names the field that is wrong', () => {
    expect(delegationProblem({ from: 'a', to: 'a', deliverableId: 'plan' }, today)).toEqual({ field: 'to', code: 'self' });
    expect(delegationProblem({ from: 'a', to: 'b', deliverableId: 'plan' }, today)).toBeUndefined();
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-12' }, today)).toEqual({ field: 'start', code: 'dates' });
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-02-30', end: '2020-03-02' }, today)).toEqual({ field: 'start', code: 'dates' });
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-12', end: '2020-01-11' }, today)).toEqual({ field: 'start', code: 'dates' });
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-01', end: '2020-01-09' }, today)).toEqual({ field: 'end', code: 'end-passed' });
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-01', end: '2020-01-10' }, today)).toBeUndefined();
  });
  it('allows a span of 92 days, not 93', () => {
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-10', end: '2020-04-10' }, today)).toBeUndefined();
    expect(delegationProblem({ from: 'a', to: 'b', start: '2020-01-10', end: '2020-04-11' }, today)).toEqual({ field: 'end', code: 'span-too-long' });
  });
});
