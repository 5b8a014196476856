// Who is who in each cycle the portal knows: the resolved cycle input (people, roles, departments,
// calendar), kept under DATA_DIR/portal/cycles/ when a cycle is started through the API or imported
// with `npm run users -- import`. The workflow has the same input; this copy lets the API check
// rights and list deadlines without asking Temporal for people it does not report.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CycleInput } from '../../domain/cycle.js';
import { readJson, replaceJson } from './json-file.js';
import type { UserStore } from './users.js';

export function cycleDirectory(dataDir: string) {
  const dir = join(dataDir, 'portal', 'cycles');
  const pathOf = (cycleId: string) => join(dir, `${cycleId}.json`);
  return {
    get: (cycleId: string): Promise<CycleInput | undefined> =>
      /^[a-z0-9][a-z0-9_-]*$/.test(cycleId) ? readJson<CycleInput | undefined>(pathOf(cycleId), undefined) : Promise.resolve(undefined),
    async ids(): Promise<string[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
    },
    save: (input: CycleInput): Promise<void> => replaceJson(pathOf(input.cycleId), input),
  };
}

export type CycleDirectory = ReturnType<typeof cycleDirectory>;

/** Accounts first: a clash of e-mails stops the import before the cycle is listed. */
export async function importCycle(input: CycleInput, users: UserStore, directory: CycleDirectory) {
  const result = await users.addPeople(input.cycleId, input.people);
  await directory.save(input);
  return result;
}
