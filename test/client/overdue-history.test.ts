// The dashboard's "items overdue over time" (client/portal/overdue-history.ts): each day's count from
// the waits the status tells, the last point being the dashboard's own 逾期 count.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/audit.js';
import { endOfDay, overdueDays } from '../../domain/time.js';
import { historyOf, overdueHistory, type HistoryOptions, type ItemHistory } from '../../client/portal/overdue-history.js';
import { exampleCycle } from '../helpers/cycle.js';

const zone = 'Asia/Shanghai';
const eod = (d: string) => endOfDay(d, zone);
const at = (d: string, time: string) => `${d}T${time}+08:00`;
const options = (from: string, now: string): HistoryOptions => ({ from, now, zone, reviewWorkdays: 5, workCalendar: { off: [], on: [], officialDataUntil: 2030 } });
const item = (x: Partial<ItemHistory> & Pick<ItemHistory, 'state' | 'due'>): ItemHistory => ({ submissions: [], reviews: [], stages: [{}], ...x });

describe('overdueHistory', () => {
  const o = options(at('2020-01-01', '09:00:00'), at('2020-01-20', '12:00:00'));
  const items = [
    // Never handed in, due 10 January.
    item({ state: 'open', due: eod('2020-01-10'), firstDue: eod('2020-01-10') }),
    // Handed in late on the 13th, then approved within its review time.
    item({ state: 'accepted', due: eod('2020-01-20'), firstDue: eod('2020-01-10'), submissions: [{ at: at('2020-01-13', '10:00:00') }], reviews: [{ at: at('2020-01-14', '10:00:00'), decision: 'approved' }] }),
    // Handed in on time; its reviewer is past the review deadline (9 January) ever since.
    item({ state: 'in-review', due: eod('2020-01-09'), firstDue: eod('2020-01-05'), submissions: [{ at: at('2020-01-02', '10:00:00') }] }),
    // Opened on the 15th, already past its calendar deadline: counted from its opening, not before.
    item({ state: 'open', due: eod('2020-01-05'), firstDue: eod('2020-01-05'), openedAt: at('2020-01-15', '10:00:00') }),
    // Sent back and handed in again on the 18th: the resubmission's deadline is not kept, so not counted.
    item({
      state: 'in-review', due: eod('2020-01-27'), firstDue: eod('2020-01-10'),
      submissions: [{ at: at('2020-01-03', '10:00:00') }, { at: at('2020-01-18', '10:00:00') }], reviews: [{ at: at('2020-01-04', '10:00:00'), decision: 'rejected' }],
    }),
    // Evidence due on the 8th, closed undelivered just after midnight on the 16th.
    item({ state: 'closed', due: eod('2020-01-08'), firstDue: eod('2020-01-08'), closedAt: at('2020-01-16', '00:00:05') }),
  ];

  it('counts, at the end of each day, the items waiting past the deadline of whoever had to act', () => {
    const points = overdueHistory(items, o);
    expect(points.map((p) => p.day)).toEqual(Array.from({ length: 20 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`));
    expect(points.map((p) => p.count)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 4, 3, 3, 4, 3, 3, 3, 3, 3]);
  });

  it('ends on the dashboard\'s count: the live items whose current deadline passed a day or more ago', () => {
    const live = items.filter((x) => (x.state === 'open' || x.state === 'in-review') && overdueDays(x.due, new Date(o.now), zone) > 0);
    expect(overdueHistory(items, o).at(-1)).toEqual({ day: '2020-01-20', count: live.length });
  });

  it('a finished review counts against the workflow\'s rule: the fixed date, but no sooner than five working days on', () => {
    // Handed in Thursday 2 January; five working days on is Thursday 9 January; approved on the 14th.
    const reviewed = item({ state: 'accepted', due: eod('2020-01-20'), firstDue: eod('2020-01-05'), stages: [{ due: eod('2020-01-03') }], submissions: [{ at: at('2020-01-02', '10:00:00') }], reviews: [{ at: at('2020-01-14', '10:00:00'), decision: 'approved' }] });
    const counts = overdueHistory([reviewed], o).map((p) => p.count);
    expect(counts.slice(8, 14)).toEqual([0, 1, 1, 1, 1, 0]);
  });

  it('samples a long span once a week, and today', () => {
    const points = overdueHistory(items, options(at('2020-01-01', '09:00:00'), at('2020-06-30', '12:00:00')));
    expect(points[0]!.day).toBe('2020-01-01');
    expect(points[1]!.day).toBe('2020-01-08');
    expect(points.at(-1)!.day).toBe('2020-06-30');
    expect(points.length).toBe(Math.ceil(182 / 7) + 1);
  });
});

describe('historyOf', () => {
  it('takes the calendar\'s deadlines from the cycle and openings, closings and the start from the audit', () => {
    const input = exampleCycle('history');
    const entry = (seq: number, action: AuditEntry['action'], subject: string, when: string): AuditEntry =>
      ({ seq, at: when, actor: 'system', role: 'system', action, subject, detail: '', workflowId: input.cycleId });
    const audit = [
      entry(1, 'cycle-started', input.cycleId, at('2019-12-01', '08:00:00')),
      entry(2, 'deliverable-opened', 'plan', at('2019-12-01', '08:00:01')),
      entry(3, 'deliverable-opened', 'evidence-law', at('2020-01-11', '09:00:00')),
      entry(4, 'deliverable-closed', 'evidence-law', at('2020-02-15', '00:00:05')),
    ];
    const d = (id: string, state: ItemHistory['state']) => ({ id, state, due: eod('2020-02-10'), submissions: [], reviews: [] });
    const { items, options: o } = historyOf([d('plan', 'open'), d('evidence-law', 'closed')], input, audit, at('2020-03-01', '10:00:00'));
    expect(o.from).toBe(at('2019-12-01', '08:00:00'));
    expect(o.reviewWorkdays).toBe(input.policy.reviewWorkdays);
    expect(items[0]).toMatchObject({ firstDue: eod(input.dates.planSubmission), openedAt: at('2019-12-01', '08:00:01'), stages: [{ due: eod(input.dates.planApproval) }, { due: eod(input.dates.planApproval) }] });
    expect(items[1]).toMatchObject({ firstDue: eod(input.dates.reviewStart), openedAt: at('2020-01-11', '09:00:00'), closedAt: at('2020-02-15', '00:00:05'), stages: [{}] });
  });
});
