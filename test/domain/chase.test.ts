// The chase for one deadline: reminders before it, escalations after it, repeats until delivered.
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chaseEvents, chaseOffsetSeconds, type ChaseEvent } from '../../domain/chase.js';
import { cycleFileSchemas, parseCycleFile, type ReminderPolicy } from '../../domain/cycle-file.js';
import { deadline } from '../../domain/cycle.js';
import { buildWorkCalendar } from '../../domain/official-holidays.js';
import { addDays } from '../../domain/time.js';
import { exampleCycle, exampleCycleFile } from '../helpers/cycle.js';

const ZONE = 'Asia/Shanghai';
const cal = buildWorkCalendar('2019-01-01', '2021-12-31');
const defaults: ReminderPolicy = cycleFileSchemas().reminderPolicySchema.parse({});
const PLAN_DUE = '2019-12-31T23:59:59.999+08:00';

function take(gen: Generator<ChaseEvent>, n: number): ChaseEvent[] {
  const out: ChaseEvent[] = [];
  for (const ev of gen) {
    out.push(ev);
    if (out.length >= n) break;
  }
  return out;
}

const ms = (e: ChaseEvent) => DateTime.fromISO(e.at).toMillis();
const brief = (e: ChaseEvent) => `${e.at} ${e.kind} ${e.to.join('+')}${e.daysBefore === undefined ? '' : ` -${e.daysBefore}`}`;

describe('chaseEvents for the 2019 plan, due 2019-12-31', () => {
  it('uses the plan deadline of the example cycle', () => {
    expect(deadline(exampleCycle('chase'), 'planSubmission')).toBe(PLAN_DUE);
  });

  it('reminds 7, 3, 1 and 0 days before, escalates to the leader the next day and to the director after 3 working days', () => {
    expect(take(chaseEvents(PLAN_DUE, defaults, cal, ZONE), 6).map(brief)).toEqual([
      '2019-12-24T09:00:00+08:00 reminder actor -7',
      '2019-12-28T09:00:00+08:00 reminder actor -3',
      '2019-12-30T09:00:00+08:00 reminder actor -1',
      '2019-12-31T09:00:00+08:00 reminder actor -0',
      // The next calendar day, although New Year’s Day is a holiday.
      '2020-01-01T09:00:00+08:00 escalate-leader leader+actor',
      // 1 January is off: 2 (Thu), 3 (Fri), 6 (Mon).
      '2020-01-06T09:00:00+08:00 escalate-director director+actor',
    ]);
  });

  it('then repeats every 5 working days, across the Spring Festival and its make-up Sunday', () => {
    const repeats = take(chaseEvents(PLAN_DUE, defaults, cal, ZONE), 10).slice(6);
    expect(repeats.map(brief)).toEqual([
      '2020-01-13T09:00:00+08:00 overdue-repeat director+actor',
      // 14, 15, 16, 17, then Sunday 19 January (make-up workday).
      '2020-01-19T09:00:00+08:00 overdue-repeat director+actor',
      // 20, 21, 22, 23, then 24 January–2 February off: Monday 3 February.
      '2020-02-03T09:00:00+08:00 overdue-repeat director+actor',
      '2020-02-10T09:00:00+08:00 overdue-repeat director+actor',
    ]);
  });

  it('keeps going without maxRepeats', () => {
    const many = take(chaseEvents(PLAN_DUE, defaults, cal, ZONE), 200);
    expect(many).toHaveLength(200);
    expect(many.slice(6).every((e) => e.kind === 'overdue-repeat')).toBe(true);
  });

  it('is strictly ascending', () => {
    const evs = take(chaseEvents(PLAN_DUE, defaults, cal, ZONE), 60);
    for (let i = 1; i < evs.length; i += 1) expect(ms(evs[i]!), brief(evs[i]!)).toBeGreaterThan(ms(evs[i - 1]!));
  });
});

describe('a custom reminder policy', () => {
  it('honours the hour and the days before (duplicates and any order)', () => {
    const policy: ReminderPolicy = { ...defaults, hour: 14, daysBefore: [2, 10, 2, 0] };
    const evs = take(chaseEvents(PLAN_DUE, policy, cal, ZONE), 5);
    expect(evs.map(brief)).toEqual([
      '2019-12-21T14:00:00+08:00 reminder actor -10',
      '2019-12-29T14:00:00+08:00 reminder actor -2',
      '2019-12-31T14:00:00+08:00 reminder actor -0',
      '2020-01-01T14:00:00+08:00 escalate-leader leader+actor',
      '2020-01-06T14:00:00+08:00 escalate-director director+actor',
    ]);
  });

  it('honours leaderAfterDays, directorAfterWorkdays and repeatEveryWorkdays', () => {
    const policy: ReminderPolicy = { ...defaults, daysBefore: [], leaderAfterDays: 2, directorAfterWorkdays: 5, repeatEveryWorkdays: 1 };
    expect(take(chaseEvents(PLAN_DUE, policy, cal, ZONE), 4).map(brief)).toEqual([
      '2020-01-02T09:00:00+08:00 escalate-leader leader+actor',
      '2020-01-08T09:00:00+08:00 escalate-director director+actor',
      '2020-01-09T09:00:00+08:00 overdue-repeat director+actor',
      '2020-01-10T09:00:00+08:00 overdue-repeat director+actor',
    ]);
  });

  it('repeats from the later escalation when the leader comes after the director', () => {
    const policy: ReminderPolicy = { ...defaults, daysBefore: [], leaderAfterDays: 10, directorAfterWorkdays: 1, repeatEveryWorkdays: 2, maxRepeats: 1 };
    expect([...chaseEvents(PLAN_DUE, policy, cal, ZONE)].map(brief)).toEqual([
      '2020-01-02T09:00:00+08:00 escalate-director director+actor',
      '2020-01-10T09:00:00+08:00 escalate-leader leader+actor',
      '2020-01-14T09:00:00+08:00 overdue-repeat director+actor',
    ]);
  });

  it('stops after maxRepeats', () => {
    const two = [...chaseEvents(PLAN_DUE, { ...defaults, maxRepeats: 2 }, cal, ZONE)];
    expect(two).toHaveLength(4 + 2 + 2);
    expect(two.filter((e) => e.kind === 'overdue-repeat').map((e) => e.at)).toEqual(['2020-01-13T09:00:00+08:00', '2020-01-19T09:00:00+08:00']);
    const none = [...chaseEvents(PLAN_DUE, { ...defaults, maxRepeats: 0 }, cal, ZONE)];
    expect(none.map((e) => e.kind)).toEqual(['reminder', 'reminder', 'reminder', 'reminder', 'escalate-leader', 'escalate-director']);
  });

  it('reads the due day and the hour in the cycle’s zone', () => {
    // 2019-12-31T20:00Z is already 1 January in Shanghai.
    const evs = take(chaseEvents('2019-12-31T20:00:00Z', { ...defaults, daysBefore: [0] }, cal, ZONE), 2);
    expect(evs.map((e) => e.at)).toEqual(['2020-01-01T09:00:00+08:00', '2020-01-02T09:00:00+08:00']);
    const berlin = take(chaseEvents('2019-12-31T23:59:59.999+01:00', { ...defaults, daysBefore: [1] }, cal, 'Europe/Berlin'), 1);
    expect(berlin[0]?.at).toBe('2019-12-30T09:00:00+01:00');
  });
});

describe('any policy and deadline', () => {
  it('gives events in time order: reminders before the deadline, everything else after, repeats strictly ascending', () => {
    const dueDay = fc.integer({ min: 0, max: 700 }).map((n) => addDays('2019-06-01', n));
    const policy = fc.record({
      daysBefore: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
      hour: fc.integer({ min: 0, max: 23 }),
      leaderAfterDays: fc.integer({ min: 1, max: 30 }),
      directorAfterWorkdays: fc.integer({ min: 1, max: 30 }),
      repeatEveryWorkdays: fc.integer({ min: 1, max: 60 }),
      maxRepeats: fc.integer({ min: 0, max: 8 }),
    }).map((p): ReminderPolicy => ({ ...defaults, ...p }));
    fc.assert(fc.property(dueDay, policy, (day, p) => {
      const due = `${day}T23:59:59.999+08:00`;
      const evs = [...chaseEvents(due, p, cal, ZONE)];
      expect(evs).toHaveLength(new Set(p.daysBefore).size + 2 + (p.maxRepeats ?? 0));
      for (let i = 1; i < evs.length; i += 1) expect(ms(evs[i]!)).toBeGreaterThanOrEqual(ms(evs[i - 1]!));
      const dueMs = DateTime.fromISO(due).toMillis();
      for (const e of evs) {
        if (e.kind === 'reminder') expect(ms(e)).toBeLessThan(dueMs);
        else expect(ms(e)).toBeGreaterThan(dueMs);
      }
      const repeats = evs.filter((e) => e.kind === 'overdue-repeat');
      const lastEscalation = Math.max(...evs.filter((e) => e.kind.startsWith('escalate')).map(ms));
      if (repeats[0]) expect(ms(repeats[0])).toBeGreaterThan(lastEscalation);
      for (let i = 1; i < repeats.length; i += 1) expect(ms(repeats[i]!)).toBeGreaterThan(ms(repeats[i - 1]!));
    }), { numRuns: 150 });
  });
});

describe('the chase spread over spreadMinutes', () => {
  const ids = Array.from({ length: 1000 }, (_, i) => `perfcycle-unit-${String(i).padStart(4, '0')}-2026`);

  it('puts no offset on a cycle without a spread, as cycles started before it have none', () => {
    expect(chaseOffsetSeconds('perfcycle-a-2026', {})).toBe(0);
    expect(chaseOffsetSeconds('perfcycle-a-2026', { spreadMinutes: 0 })).toBe(0);
  });

  it('gives each cycle a fixed second inside the window, spread evenly over it', () => {
    const offsets = ids.map((id) => chaseOffsetSeconds(id, { spreadMinutes: 10 }));
    expect(ids.map((id) => chaseOffsetSeconds(id, { spreadMinutes: 10 }))).toEqual(offsets);
    for (const o of offsets) {
      expect(Number.isInteger(o)).toBe(true);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(600);
    }
    // A thousand cycles over ten one-minute bins: none empty, none with more than twice its share.
    const bins = Array.from({ length: 10 }, (_, b) => offsets.filter((o) => Math.floor(o / 60) === b).length);
    expect(Math.min(...bins)).toBeGreaterThan(50);
    expect(Math.max(...bins)).toBeLessThan(200);
    // As random seconds would: 1000 into 600 leave about 600·(1 − e^(−5/3)) ≈ 487 distinct.
    expect(new Set(offsets).size).toBeGreaterThan(420);
  });

  it('moves every event of the chase by the same seconds, the days unchanged', () => {
    const policy = { ...defaults, spreadMinutes: 10 };
    const offset = chaseOffsetSeconds('perfcycle-jinjiang-zrzy-2019', policy);
    expect(offset).toBeGreaterThan(0);
    const plain = take(chaseEvents(PLAN_DUE, defaults, cal, ZONE), 8);
    const spread = take(chaseEvents(PLAN_DUE, policy, cal, ZONE, offset), 8);
    expect(spread.map((e) => ms(e) - offset * 1000)).toEqual(plain.map(ms));
    expect(spread.map((e) => [e.kind, e.to, e.daysBefore])).toEqual(plain.map((e) => [e.kind, e.to, e.daysBefore]));
    expect(spread[0]!.at).toMatch(/^2019-12-24T09:\d\d:\d\d\+08:00$/);
  });

  it('refuses a spread of an hour or more, or one that is not whole minutes, naming the field', () => {
    expect(cycleFileSchemas().reminderPolicySchema.safeParse({ spreadMinutes: 60 }).success).toBe(false);
    expect(cycleFileSchemas().reminderPolicySchema.parse({ spreadMinutes: 10 }).spreadMinutes).toBe(10);
    // A careless file: the error names the field, whatever is wrong with it.
    for (const bad of ['10', -1, 2.5, 1e9]) {
      const file = exampleCycleFile('spread-bad', (f) => { (f.reminders as Record<string, unknown>).spreadMinutes = bad; });
      expect(() => parseCycleFile(file)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'reminders.spreadMinutes' })] }));
    }
  });
});
