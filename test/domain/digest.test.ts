// Mails per person and slot, when each falls due, and the waits between rounds of tries of one that did not go out.
import { describe, expect, it } from 'vitest';
import { groupNotices, mailDueAt, MAX_RETRY_ROUND_SECONDS, retryRoundDelayMs } from '../../domain/digest.js';
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

describe('mailDueAt', () => {
  const SLOT = '2026-11-27T09:07:23+08:00';
  const slotMs = Date.parse(SLOT);
  const GRACE = 60_000;
  const at = (kind: Notice['kind'], raisedAfterSlotMs: number, slot = SLOT) =>
    ({ to: 'p', slot, kind, deliverableId: 'plan', raisedMs: Date.parse(slot) + raisedAfterSlotMs } as unknown as Notice);
  const now = { urgeAtOnce: true, fromSchedule: true };
  const before = { urgeAtOnce: true, fromSchedule: false };

  it('puts a chase a grace after the instant it was scheduled for, however late its timer raised it', () => {
    for (const kind of ['reminder', 'escalate-leader', 'escalate-director', 'overdue-repeat'] as const) {
      expect(mailDueAt(at(kind, 0), GRACE, now)).toBe(slotMs + GRACE);
      expect(mailDueAt(at(kind, 4_500), GRACE, now)).toBe(slotMs + GRACE);
      // Raised past its grace (a worker long down): at once.
      expect(mailDueAt(at(kind, 90_000), GRACE, now)).toBe(slotMs + 90_000);
    }
  });

  it('keeps, for cycles started before, the grace from when the notice was raised', () => {
    expect(mailDueAt(at('reminder', 4_500), GRACE, before)).toBe(slotMs + 4_500 + GRACE);
  });

  it('lets an action\'s notice wait the whole grace from when it came in, its slot being its minute', () => {
    const minute = '2026-11-27T10:15:00+08:00';
    expect(mailDueAt(at('review-requested', 50_000, minute), GRACE, now)).toBe(Date.parse(minute) + 50_000 + GRACE);
    expect(mailDueAt(at('urged', 50_000, minute), GRACE, now)).toBe(Date.parse(minute) + 50_000);
    expect(mailDueAt(at('urged', 50_000, minute), GRACE, { urgeAtOnce: false, fromSchedule: true })).toBe(Date.parse(minute) + 50_000 + GRACE);
  });
});
