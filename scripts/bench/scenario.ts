// The year the benchmark plays, unit by unit: the example cycle (examples/jinjiang-2019.json) copied
// per unit, everyone delivering late. One list of steps, played by the city run (real Updates through
// CycleClient) and by the floor run (a trivial Update on the floor's twin of the same item).
import type { CycleFile } from '../../domain/cycle-file.js';
import type { CycleInput } from '../../domain/cycle.js';
import { exampleCycle } from '../../test/helpers/cycle.js';

export const YEAR_START = '2019-12-01T00:00:00+08:00';

export type Step =
  | { skipTo: string }
  | { act: 'submit' | 'approve'; item: string; actor: (c: CycleInput) => string };

const roles = (c: CycleInput) => c.roles;
const dept = (c: CycleInput, id: string) => c.departments.find((d) => d.id === id)!;

/** Everyone late: the plan a week after its deadline, summaries three weeks after theirs, and so on. */
export function yearSteps(departments: string[]): Step[] {
  return [
    { skipTo: '2020-01-08T10:00:00+08:00' },
    { act: 'submit', item: 'plan', actor: (c) => roles(c).coordinator },
    { act: 'approve', item: 'plan', actor: (c) => roles(c).hrReviewer },
    { act: 'approve', item: 'plan', actor: (c) => roles(c).approver },
    { skipTo: '2020-02-20T10:00:00+08:00' },
    ...departments.flatMap((d): Step[] => [
      { act: 'submit', item: `summary-${d}`, actor: (c) => dept(c, d).owner },
      { act: 'approve', item: `summary-${d}`, actor: (c) => dept(c, d).leader },
    ]),
    { skipTo: '2020-04-10T10:00:00+08:00' },
    { act: 'submit', item: 'result', actor: (c) => roles(c).efficiencyOffice },
    { act: 'submit', item: 'bonus-list', actor: (c) => roles(c).coordinator },
    { act: 'approve', item: 'bonus-list', actor: (c) => roles(c).efficiencyOffice },
    { skipTo: '2020-05-31T00:00:00+08:00' },
    { act: 'submit', item: 'rectification', actor: (c) => roles(c).coordinator },
    { act: 'approve', item: 'rectification', actor: (c) => roles(c).hrReviewer },
  ];
}

/**
 * Unit `i` of the city: the example's unit with its own people (office, director, departments' heads
 * and leaders under ids `…-u07`); the city's bodies (HR, the leading group, the efficiency office, the
 * review team) are the same people for every unit, as in a real city.
 */
export function unitCycle(i: number): CycleInput {
  const tag = `u${String(i + 1).padStart(2, '0')}`;
  return exampleCycle(tag, (f: CycleFile) => {
    const r = f.roles;
    const own = new Set([r.coordinator, r.director, ...f.departments.flatMap((d) => [d.owner, d.leader])]);
    const id = (p: string) => (own.has(p) ? `${p}-${tag}` : p);
    f.people = f.people.map((p) => (own.has(p.id) ? { ...p, id: id(p.id), email: p.email.replace('@', `+${tag}@`) } : p));
    f.roles = { ...r, coordinator: id(r.coordinator), director: id(r.director) };
    f.departments = f.departments.map((d) => ({ ...d, owner: id(d.owner), leader: id(d.leader) }));
  });
}
