// Who is who in each cycle the portal knows: the resolved cycle input (people, roles, departments,
// calendar) in the database's register of cycles, and its people as accounts. The workflow has the
// same input; this copy lets the API check rights and list deadlines without asking Temporal for
// people it does not report.
import type { CycleInput } from '../../domain/cycle.js';
import type { Store } from '../../store/index.js';

/** Accounts first: a clash of e-mails stops the import before the cycle is listed. */
export async function importCycle(input: CycleInput, store: Pick<Store, 'accounts' | 'cycles'>) {
  const result = await store.accounts.addPeople(input.cycleId, input.people);
  await store.cycles.save(input);
  return result;
}
