// A cycle file resolved into the workflow's input: the default calendar for any year, the order of
// the dates, and what each phase asks of whom, by when.
import { describe, expect, it } from 'vitest';
import { CycleFileError, cycleFileSchemas, type CycleFile } from '../../domain/cycle-file.js';
import {
  cycleIdOf, deadline, defaultCalendar, DEFAULT_TRACKING, personById, resolveCycle, rolesOf, windowOpens, type CalendarKey,
} from '../../domain/cycle.js';
import { deliverablesFor, gateOf, type DeliverableSpec } from '../../domain/deliverables.js';
import { PHASES } from '../../domain/phases.js';
import { exampleCycle, exampleFile } from '../helpers/cycle.js';

const KEYS: CalendarKey[] = ['planSubmission', 'planApproval', 'summary', 'reviewStart', 'reviewEnd', 'scoring', 'publication', 'rectification'];

function forYear(year: number, edit: (f: CycleFile) => void = () => {}) {
  const f = exampleFile();
  f.year = year;
  f.unit = { ...f.unit, id: `cy-${year}` };
  f.calendar = {};
  edit(f);
  return resolveCycle(f);
}

function refusal(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(CycleFileError);
    return (err as CycleFileError).issues;
  }
  throw new Error('expected the calendar to be refused');
}

describe('the default calendar for any year Y', () => {
  it.each([2024, 2031])('%i', (y) => {
    const n = y + 1;
    const expected = {
      planSubmission: `${y}-12-31`,
      planApproval: `${n}-01-10`,
      summary: `${n}-01-31`,
      reviewStart: `${n}-02-10`,
      reviewEnd: `${n}-02-14`,
      scoring: `${n}-03-31`,
      publication: `${n}-04-30`,
      rectification: `${n}-05-15`,
    };
    expect(defaultCalendar(y)).toEqual(expected);
    const c = forYear(y);
    expect(c.dates).toEqual(expected);
    expect(Object.keys(c.dates)).toEqual(KEYS);
    expect(c.cycleId).toBe(`perfcycle-cy-${y}-${y}`);
    expect(c.year).toBe(y);
    // "By D" is the end of day D in Shanghai; the review window opens at the start of its first day.
    expect(deadline(c, 'planSubmission')).toBe(`${y}-12-31T23:59:59.999+08:00`);
    expect(deadline(c, 'rectification')).toBe(`${n}-05-15T23:59:59.999+08:00`);
    expect(deadline(c, 'reviewEnd')).toBe(`${n}-02-14T23:59:59.999+08:00`);
    expect(windowOpens(c)).toBe(`${n}-02-10T00:00:00+08:00`);
  });

  it('keeps what the file sets and defaults the rest', () => {
    const c = forYear(2024, (f) => {
      f.calendar = { summary: '2025-01-25', reviewWindow: { start: '2025-02-17', end: '2025-02-21' } };
    });
    expect(c.dates).toEqual({ ...defaultCalendar(2024), summary: '2025-01-25', reviewStart: '2025-02-17', reviewEnd: '2025-02-21' });
  });

  it('resolves the 2019 example to the source document’s dates', () => {
    const c = exampleCycle('cal');
    expect(c.dates).toEqual(defaultCalendar(2019));
    expect(c.cycleId).toBe('perfcycle-jinjiang-zrzy-cal-2019');
    expect(cycleIdOf('jinjiang-zrzy', 2019)).toBe('perfcycle-jinjiang-zrzy-2019');
  });

  it('reads deadlines in the file’s time zone', () => {
    const c = forYear(2024, (f) => { f.timeZone = 'Europe/Berlin'; });
    expect(deadline(c, 'planSubmission')).toBe('2024-12-31T23:59:59.999+01:00');
    expect(deadline(c, 'rectification')).toBe('2025-05-15T23:59:59.999+02:00');
  });
});

describe('an out-of-order calendar is refused, naming calendar.<key>', () => {
  it.each([
    ['planApproval', { planApproval: '2019-12-30' }],
    ['summary', { summary: '2020-01-09' }],
    ['scoring', { scoring: '2020-02-13' }],
    ['publication', { publication: '2020-03-30' }],
    ['rectification', { rectification: '2020-04-29' }],
  ] as [CalendarKey, CycleFile['calendar']][])('calendar.%s', (key, calendar) => {
    const issues = refusal(() => exampleCycle(`ooo-${key}`, (f) => { f.calendar = { ...f.calendar, ...calendar }; }));
    expect(issues.map((i) => i.path)).toEqual([`calendar.${key}`]);
    expect(issues[0]?.message).toContain(String(Object.values(calendar)[0]));
  });

  it('a moved plan deadline names the default that now comes before it', () => {
    const issues = refusal(() => forYear(2024, (f) => { f.calendar = { planSubmission: '2025-01-15' }; }));
    expect(issues.map((i) => i.path)).toEqual(['calendar.planApproval']);
    expect(issues[0]?.message).toMatch(/2025-01-10.*planSubmission 2025-01-15/);
  });

  it('a review window ending after scoring names calendar.scoring', () => {
    const issues = refusal(() => forYear(2024, (f) => { f.calendar = { reviewWindow: { start: '2025-02-10', end: '2025-04-05' } }; }));
    expect(issues.map((i) => i.path)).toEqual(['calendar.scoring']);
  });

  // The internal key is reviewStart; the error names the file's field.
  it('a review window opening before the summary deadline names calendar.reviewWindow.start', () => {
    const issues = refusal(() => exampleCycle('ooo-review', (f) => { f.calendar = { ...f.calendar, reviewWindow: { start: '2020-01-20', end: '2020-02-14' } }; }));
    expect(issues.map((i) => i.path)).toEqual(['calendar.reviewWindow.start']);
  });

  it('allows a one-day review window and equal neighbouring dates', () => {
    expect(() => exampleCycle('ooo-ok', (f) => {
      f.calendar = { ...f.calendar, planApproval: '2019-12-31', reviewWindow: { start: '2020-02-10', end: '2020-02-10' } };
    })).not.toThrow();
  });
});

describe('deliverablesFor each phase of the 2019 example', () => {
  const c = exampleCycle('dlv');
  const byId = (specs: DeliverableSpec[]) => new Map(specs.map((s) => [s.id, s]));
  const END = 'T23:59:59.999+08:00';

  it('plan: the coordinator delivers to HR, then the approver; due 31 December', () => {
    const specs = deliverablesFor('plan', c);
    expect(specs).toHaveLength(1);
    const plan = specs[0]!;
    expect(plan).toMatchObject({
      id: 'plan', kind: 'plan', owner: 'office-lin', ownerRole: 'coordinator', leader: 'director-zhang', director: 'director-zhang',
      due: `2019-12-31${END}`,
    });
    expect(plan.stages.map((s) => [s.person, s.role, s.due])).toEqual([
      ['hr-reviewer', 'hrReviewer', `2020-01-10${END}`],
      ['efficiency-group', 'approver', `2020-01-10${END}`],
    ]);
    expect(plan.title.zh).toContain('三定');
    expect(gateOf('plan', specs)).toEqual(['plan']);
  });

  it('summary: each department head delivers a summary (reviewed by the responsible leader) and evidence (filed by the office)', () => {
    const specs = deliverablesFor('summary', c);
    expect(specs).toHaveLength(16);
    const m = byId(specs);
    expect(m.get('summary-planning')).toMatchObject({
      kind: 'summary', department: 'planning', owner: 'head-zheng', ownerRole: 'owner:planning', leader: 'leader-wang', director: 'director-zhang',
      due: `2020-01-31${END}`,
    });
    expect(m.get('summary-planning')?.stages.map((s) => [s.person, s.role])).toEqual([['leader-wang', 'leader:planning']]);
    expect(m.get('summary-planning')?.stages[0]?.due).toBeUndefined();
    expect(m.get('evidence-planning')).toMatchObject({ kind: 'evidence', owner: 'head-zheng', leader: 'leader-wang', due: `2020-02-10${END}` });
    expect(m.get('evidence-planning')?.stages.map((s) => [s.person, s.role])).toEqual([['office-lin', 'coordinator']]);
    // head-xu heads two departments: two summaries, each reviewed by its own leader.
    expect([m.get('summary-law'), m.get('summary-enforcement')].map((s) => [s?.owner, s?.stages[0]?.person])).toEqual([
      ['head-xu', 'leader-chen'], ['head-xu', 'leader-li'],
    ]);
    for (const d of c.departments) {
      expect(m.get(`summary-${d.id}`)?.owner).toBe(d.owner);
      expect(m.get(`evidence-${d.id}`)?.owner).toBe(d.owner);
    }
    // Evidence is chased but does not hold the phase.
    expect(gateOf('summary', specs)).toEqual(c.departments.map((d) => `summary-${d.id}`));
  });

  it('review: nothing new to deliver (the window runs on timers)', () => {
    expect(deliverablesFor('review', c)).toEqual([]);
    expect(deliverablesFor('closed', c)).toEqual([]);
  });

  it('scoring: the efficiency office records the result, no review; due 31 March', () => {
    const specs = deliverablesFor('scoring', c);
    expect(specs).toEqual([expect.objectContaining({
      id: 'result', kind: 'result', owner: 'efficiency-office', ownerRole: 'efficiencyOffice', stages: [], due: `2020-03-31${END}`,
      leader: 'efficiency-office', director: 'director-zhang',
    })]);
  });

  it('publication: the coordinator files the bonus list with the efficiency office; due 30 April', () => {
    const [b] = deliverablesFor('publication', c);
    expect(b).toMatchObject({ id: 'bonus-list', owner: 'office-lin', due: `2020-04-30${END}` });
    expect(b?.stages.map((s) => [s.person, s.role])).toEqual([['efficiency-office', 'efficiencyOffice']]);
  });

  it('rectification: the coordinator reports to HR; due 15 May', () => {
    const [r] = deliverablesFor('rectification', c);
    expect(r).toMatchObject({ id: 'rectification', owner: 'office-lin', due: `2020-05-15${END}` });
    expect(r?.stages.map((s) => [s.person, s.role])).toEqual([['hr-reviewer', 'hrReviewer']]);
  });

  it('every deliverable of every phase has a known owner, reviewers, leader and director, and an end-of-day +08:00 due', () => {
    const known = new Set(c.people.map((p) => p.id));
    for (const phase of PHASES) {
      for (const s of deliverablesFor(phase, c)) {
        expect(s.due, s.id).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999\+08:00$/);
        for (const who of [s.owner, s.leader, s.director, ...s.stages.map((x) => x.person)]) expect(known.has(who), `${s.id}: ${who}`).toBe(true);
        expect(s.title.zh.length * s.title.en.length).toBeGreaterThan(0);
      }
    }
  });

  it('follows the calendar of another year', () => {
    const c2031 = forYear(2031);
    expect(deliverablesFor('plan', c2031)[0]?.due).toBe(`2031-12-31${END}`);
    expect(deliverablesFor('summary', c2031).find((s) => s.id === 'summary-office')?.due).toBe(`2032-01-31${END}`);
    expect(deliverablesFor('rectification', c2031)[0]?.due).toBe(`2032-05-15${END}`);
  });
});

describe('people and roles', () => {
  const c = exampleCycle('ppl');
  it('finds people and every role they hold', () => {
    expect(personById(c, 'head-xu')?.email).toBe('head-xu@jinjiang.example');
    expect(personById(c, 'nobody')).toBeUndefined();
    expect(rolesOf(c, 'head-xu')).toEqual(['owner:law', 'owner:enforcement']);
    expect(rolesOf(c, 'leader-wang')).toEqual(['leader:planning', 'leader:cadastre', 'leader:registry']);
    expect(rolesOf(c, 'office-lin')).toEqual(['coordinator']);
    expect(rolesOf(c, 'nobody')).toEqual([]);
  });
});

describe('the default progress tracking', () => {
  it('is what the schema gives an empty tracking section', () => {
    expect(cycleFileSchemas().trackingSchema.parse({})).toEqual(DEFAULT_TRACKING);
  });
});
