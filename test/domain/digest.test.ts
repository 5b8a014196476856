// Mails per person and slot, and the waits between rounds of tries of one that did not go out.
import { describe, expect, it } from 'vitest';
import { groupNotices, MAX_RETRY_ROUND_SECONDS, retryRoundDelayMs } from '../../domain/digest.js';
import type { Notice } from '../../domain/notices.js';

describe('retryRoundDelayMs', () => {
  it('waits a minute after the first failed round by default, doubling to half an hour at most', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((r) => retryRoundDelayMs(r) / 60_000)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });

  it('starts from the cycle\'s own wait, with the same ceiling', () => {
    expect([1, 2, 3].map((r) => retryRoundDelayMs(r, 20))).toEqual([20_000, 40_000, 80_000]);
    expect(retryRoundDelayMs(1, MAX_RETRY_ROUND_SECONDS)).toBe(MAX_RETRY_ROUND_SECONDS * 1000);
    expect(retryRoundDelayMs(2000, 5)).toBe(MAX_RETRY_ROUND_SECONDS * 1000);
  });
});

describe('groupNotices', () => {
  const n = (to: string, slot: string, deliverableId: string) => ({ to, slot, deliverableId, kind: 'reminder' } as unknown as Notice);

  it('one group per person and slot, in slot then person order whatever order they were raised in', () => {
    const groups = groupNotices([n('b', '2020-01-02T09:00:00+08:00', 'x'), n('a', '2020-01-02T09:00:00+08:00', 'y'), n('b', '2020-01-01T09:00:00+08:00', 'z'), n('b', '2020-01-02T09:00:00+08:00', 'w')]);
    expect(groups.map((g) => [g.slot.slice(0, 10), g.to, g.notices.map((x) => x.deliverableId)])).toEqual([
      ['2020-01-01', 'b', ['z']], ['2020-01-02', 'a', ['y']], ['2020-01-02', 'b', ['x', 'w']],
    ]);
  });
});
