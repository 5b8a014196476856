// The cycle file a coordinator writes: the example validates, defaults fill the gaps, errors name the field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CycleFileError, parseCycleFile } from '../../domain/cycle-file.js';
import { resolveCycle } from '../../domain/cycle.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const raw = (): Raw => JSON.parse(readFileSync(new URL('../../examples/jinjiang-2019.json', import.meta.url), 'utf8')) as Raw;

function issuesOf(data: unknown): { path: string; message: string }[] {
  try {
    parseCycleFile(data);
  } catch (err) {
    expect(err).toBeInstanceOf(CycleFileError);
    return (err as CycleFileError).issues;
  }
  throw new Error('expected the cycle file to be refused');
}

const paths = (data: unknown) => [...new Set(issuesOf(data).map((i) => i.path))];

describe('the example cycle file', () => {
  it('validates', () => {
    const f = parseCycleFile(raw());
    expect(f.unit).toEqual({ id: 'jinjiang-zrzy', name: '晋江市自然资源局' });
    expect(f.year).toBe(2019);
    expect(f.timeZone).toBe('Asia/Shanghai');
    expect(f.people).toHaveLength(17);
    expect(f.departments.map((d) => d.id)).toEqual(['office', 'planning', 'cadastre', 'landuse', 'mineral', 'law', 'registry', 'enforcement']);
    expect(f.roles).toEqual({
      coordinator: 'office-lin', director: 'director-zhang', hrReviewer: 'hr-reviewer', approver: 'efficiency-group', efficiencyOffice: 'efficiency-office',
      reviewTeam: ['review-gov', 'review-hr'],
    });
    expect(f.people.every((p) => p.lang === 'zh-CN')).toBe(true);
    expect(f.calendar.reviewWindow).toEqual({ start: '2020-02-10', end: '2020-02-14' });
  });

  it('fills defaults for what a minimal file leaves out', () => {
    const r = raw();
    for (const k of ['timeZone', 'calendar', 'reminders', 'holidays']) delete r[k];
    const f = parseCycleFile(r);
    expect(f.timeZone).toBe('Asia/Shanghai');
    expect(f.calendar).toEqual({});
    expect(f.holidays).toEqual({ off: [], workdays: [] });
    expect(f.reminders).toMatchObject({
      daysBefore: [7, 3, 1, 0], hour: 9, leaderAfterDays: 1, directorAfterWorkdays: 3, repeatEveryWorkdays: 5, resubmitWorkdays: 5, reviewWorkdays: 5,
      digestGraceSeconds: 60, mailRetrySeconds: 60,
    });
  });

  it('fills the rest of a partial reminder policy and holiday list', () => {
    const r = raw();
    r.reminders = { hour: 8, maxRepeats: 4 };
    r.holidays = { off: ['2020-01-02'] };
    const f = parseCycleFile(r);
    expect(f.reminders).toMatchObject({ hour: 8, maxRepeats: 4, daysBefore: [7, 3, 1, 0], directorAfterWorkdays: 3 });
    expect(f.holidays).toEqual({ off: ['2020-01-02'], workdays: [] });
  });
});

describe('errors name the field', () => {
  it('departments.1.owner: an owner who is not in people', () => {
    const r = raw();
    r.departments[1].owner = 'nobody';
    const issues = issuesOf(r);
    expect(issues).toEqual([{ path: 'departments.1.owner', message: expect.stringContaining('"nobody"') }]);
  });

  it('departments.N.leader and a duplicate department', () => {
    const r = raw();
    r.departments[3].leader = 'leader-nobody';
    r.departments[4].id = 'office';
    expect(paths(r).sort()).toEqual(['departments.3.leader', 'departments.4.id']);
  });

  it('people.0.email: not an e-mail address', () => {
    const r = raw();
    r.people[0].email = 'office-lin at jinjiang';
    const issues = issuesOf(r);
    expect(issues.map((i) => i.path)).toEqual(['people.0.email']);
    expect(issues[0]?.message).toMatch(/邮箱|e-mail/);
  });

  it('people.N.id: duplicated', () => {
    const r = raw();
    r.people[5].id = 'office-lin';
    expect(paths(r)).toContain('people.5.id');
  });

  it('roles.approver: unknown or missing', () => {
    const r = raw();
    r.roles.approver = 'the-mayor';
    expect(issuesOf(r)).toEqual([{ path: 'roles.approver', message: expect.stringContaining('"the-mayor"') }]);
    delete r.roles.approver;
    expect(paths(r)).toEqual(['roles.approver']);
  });

  it('calendar.reviewWindow.end: before its start', () => {
    const r = raw();
    r.calendar.reviewWindow = { start: '2020-02-14', end: '2020-02-10' };
    expect(paths(r)).toEqual(['calendar.reviewWindow.end']);
  });

  it('calendar.summary: not a date', () => {
    const r = raw();
    r.calendar.summary = '31/01/2020';
    expect(paths(r)).toEqual(['calendar.summary']);
    r.calendar.summary = '2020-13-01';
    expect(paths(r)).toEqual(['calendar.summary']);
  });

  // Date.parse would roll 2020-02-30 over to 1 March; the file is refused instead.
  it('calendar.summary: a day that does not exist (30 February) is refused', () => {
    const r = raw();
    r.calendar.summary = '2020-02-30';
    expect(paths(r)).toEqual(['calendar.summary']);
  });

  it('holidays.off.0: a day that does not exist (29 February of a common year) is refused', () => {
    const r = raw();
    r.holidays.off = ['2019-02-29'];
    expect(paths(r)).toEqual(['holidays.off.0']);
  });

  it('timeZone: unknown zone', () => {
    const r = raw();
    r.timeZone = 'Asia/Jinjiang';
    const issues = issuesOf(r);
    expect(issues.map((i) => i.path)).toEqual(['timeZone']);
    expect(issues[0]?.message).toMatch(/time zone/);
  });

  it('year, unit.id and reminder policy fields', () => {
    const r = raw();
    r.year = 1999;
    r.unit.id = 'Jinjiang ZRZY';
    r.reminders.hour = 24;
    r.reminders.daysBefore = [7, -1];
    r.reminders.mailRetrySeconds = 2;
    expect(paths(r).sort()).toEqual(['reminders.daysBefore.1', 'reminders.hour', 'reminders.mailRetrySeconds', 'unit.id', 'year']);
    r.reminders.mailRetrySeconds = 3600; // longer than the longest wait between rounds
    expect(paths(r)).toContain('reminders.mailRetrySeconds');
  });

  it('lists every problem at once, each line naming its field, in the error message', () => {
    const r = raw();
    r.departments[1].owner = 'nobody';
    r.people[0].email = 'x';
    r.timeZone = 'Nowhere/City';
    try {
      parseCycleFile(r);
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/^周期文件有误 \/ invalid cycle file:/);
      expect(msg).toMatch(/^ {2}departments\.1\.owner: /m);
      expect(msg).toMatch(/^ {2}people\.0\.email: /m);
      expect(msg).toMatch(/^ {2}timeZone: /m);
    }
  });

  it('names the root when the file is not an object', () => {
    expect(paths('just a string')).toEqual(['(root)']);
  });

  it('an example file that validates also resolves', () => {
    expect(() => resolveCycle(parseCycleFile(raw()))).not.toThrow();
  });
});
