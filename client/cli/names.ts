// The names a command prints instead of ids: for a person's commands from the API (GET
// /api/cycles/{id}/names, only to a person of the cycle), for the operator's reading commands from the
// cycle as the database keeps it. An id is printed only where no name is known (an older server).
import type { CycleInput } from '../../domain/cycle.js';
import type { CycleNames } from '../api/routes/people.js';
import { seg, type Api } from './api-client.js';

export function cycleNames(api: Api, cycleId: string): Promise<CycleNames | undefined> {
  return api.json<CycleNames>('GET', `/api/cycles/${seg(cycleId)}/names`).catch(() => undefined);
}

export function namesOf(input: Pick<CycleInput, 'unit' | 'year' | 'timeZone' | 'people' | 'departments'>): CycleNames {
  return {
    unit: input.unit, year: input.year, timeZone: input.timeZone,
    people: input.people.map((p) => ({ id: p.id, name: p.name })), departments: input.departments.map((d) => ({ id: d.id, name: d.name })),
  };
}

export interface Namer { person(id: string): string; department(id: string): string }

export function namer(names: CycleNames | undefined): Namer {
  const people = new Map(names?.people.map((p) => [p.id, p.name]));
  const departments = new Map(names?.departments.map((d) => [d.id, d.name]));
  return { person: (id) => people.get(id) ?? id, department: (id) => departments.get(id) ?? id };
}
