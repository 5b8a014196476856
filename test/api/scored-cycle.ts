// A cycle with the 2019 calendar (so the review window has passed once plan and summaries are approved)
// taken to the scoring phase: shared by the API test and the browser test's scores screenshot.
import type { CycleInput } from '../../domain/cycle.js';
import { registerCycle } from '../helpers/directory.js';
import { exampleCycle } from '../helpers/cycle.js';
import type { Harness } from './harness.js';

export const EXAMPLES = new URL('../../examples/', import.meta.url);
export const TARGETS_CSV = new URL('jinjiang-2019-targets.csv', EXAMPLES).pathname;
export const ROSTER_CSV = new URL('jinjiang-2019-roster.csv', EXAMPLES).pathname;

/** Marks worked by hand: functional 62 of 65, administrative 33 of 35, so the marks score is 95. */
export const MARKS: Record<string, number> = {
  T01: 8, T02: 7.5, T03: 6, T04: 5, T05: 6, T06: 5.5, T07: 5, T08: 4.5, T09: 4, T10: 5, T11: 3, T12: 2.5,
  T13: 7, T14: 6.5, T15: 6, T16: 7, T17: 6.5,
};

/** The example with its 2019 calendar under another unit id, known to the portal (not started). */
export async function pastCycle(h: Harness, suffix: string): Promise<CycleInput> {
  const input = exampleCycle(suffix);
  await registerCycle(h.client.store, input);
  return input;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Plan and summaries approved by their people (through the CycleClient): the window opens and closes, scoring begins. */
export async function walkToScoring(h: Harness, input: CycleInput): Promise<void> {
  const id = input.cycleId;
  const c = h.client;
  await c.submit(id, 'plan', { actor: input.roles.coordinator });
  await c.approve(id, 'plan', { actor: input.roles.hrReviewer });
  await c.approve(id, 'plan', { actor: input.roles.approver });
  await until('the summary phase', async () => ((await c.status(id)).phase === 'summary' ? true : undefined));
  for (const d of input.departments) {
    await c.submit(id, `summary-${d.id}`, { actor: d.owner });
    await c.approve(id, `summary-${d.id}`, { actor: d.leader });
  }
  await until('the scoring phase', async () => ((await c.status(id)).phase === 'scoring' ? true : undefined));
}
