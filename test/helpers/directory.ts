// Puts a cycle's people, unit (its coordinator registered) and departments into the organisation
// directory, as an operator would with `perfcycle admin import`: a cycle can only name people the
// directory has.
import { operatorActor } from '../../client/operator.js';
import type { CycleInput } from '../../domain/cycle.js';
import { directoryOfCycle } from '../../domain/directory.js';
import type { Store } from '../../store/index.js';

export async function seedDirectory(store: Store, input: CycleInput): Promise<void> {
  await store.directory.importDirectory(directoryOfCycle(input), operatorActor());
}

/**
 * What a start from the dashboard needs and `npm run users -- import` used to do: the directory, the
 * cycle registered (not started), its people linked to it.
 */
export async function registerCycle(store: Store, input: CycleInput): Promise<void> {
  await seedDirectory(store, input);
  await store.cycles.save(input);
  await store.accounts.addMembers(input.cycleId, input.people.map((p) => p.id));
}
