// The register of cycles: each cycle's resolved input (its directory of people, roles and departments),
// and, once it closes, its final status and review package, so a closed cycle stays readable after
// Temporal has forgotten it.
import { isDeepStrictEqual } from 'node:util';
import type { CycleInput } from '../domain/cycle.js';
import { inTx, type Db } from './db.js';

/** A cycle id already registered: the caller answers 409. */
export class CycleConflict extends Error {}

export function cycleStore(db: Db) {
  return {
    /**
     * Registers a cycle, once: a cycle id is never bound to other people, roles or dates. The same
     * input again is accepted only while nothing has run (the dashboard's start button registers, then
     * starts); a row left by a cycle started elsewhere, a closed cycle, or another input is a conflict.
     */
    save(input: CycleInput): Promise<void> {
      return inTx(db, async (tx) => {
        const inserted = await tx.insertInto('cycles').values({ cycle_id: input.cycleId, unit_id: input.unit.id, year: input.year, input: JSON.stringify(input) })
          .onConflict((oc) => oc.column('cycle_id').doNothing()).returning('cycle_id').executeTakeFirst();
        if (inserted) return;
        const row = await tx.selectFrom('cycles').select(['input', 'closed_at', 'review_package']).where('cycle_id', '=', input.cycleId).executeTakeFirstOrThrow();
        // jsonb keeps no key order: compare values, not text.
        const same = row.input !== null && isDeepStrictEqual(row.input, JSON.parse(JSON.stringify(input)));
        if (!same || row.closed_at || row.review_package !== null) {
          throw new CycleConflict(`cycleId: 评估周期 ${input.cycleId} 已存在，不能重新登记 / cycle ${input.cycleId} exists and cannot be registered again`);
        }
      });
    },

    get(cycleId: string): Promise<CycleInput | undefined> {
      return inTx(db, async (tx) => ((await tx.selectFrom('cycles').select('input').where('cycle_id', '=', cycleId).executeTakeFirst())?.input ?? undefined) as CycleInput | undefined);
    },

    ids(): Promise<string[]> {
      return inTx(db, async (tx) => (await tx.selectFrom('cycles').select('cycle_id').where('input', 'is not', null).orderBy('cycle_id').execute()).map((r) => r.cycle_id));
    },

    /** Written by the cycle's activity when the window closes (a cycle started elsewhere gets a row without its directory). */
    saveReviewPackage(cycle: { cycleId: string; unitId: string; year: number }, pkg: unknown): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.insertInto('cycles').values({ cycle_id: cycle.cycleId, unit_id: cycle.unitId, year: cycle.year, review_package: JSON.stringify(pkg) })
          .onConflict((oc) => oc.column('cycle_id').doUpdateSet({ review_package: JSON.stringify(pkg) })).execute();
      });
    },

    reviewPackage(cycleId: string): Promise<unknown> {
      return inTx(db, async (tx) => (await tx.selectFrom('cycles').select('review_package').where('cycle_id', '=', cycleId).executeTakeFirst())?.review_package ?? undefined);
    },

    /** Written by the cycle's last activity. */
    saveFinalStatus(input: CycleInput, status: unknown, closedAt: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.insertInto('cycles').values({ cycle_id: input.cycleId, unit_id: input.unit.id, year: input.year, input: JSON.stringify(input), final_status: JSON.stringify(status), closed_at: closedAt })
          .onConflict((oc) => oc.column('cycle_id').doUpdateSet({ final_status: JSON.stringify(status), closed_at: closedAt })).execute();
      });
    },

    finalStatus<T>(cycleId: string): Promise<T | undefined> {
      return inTx(db, async (tx) => ((await tx.selectFrom('cycles').select('final_status').where('cycle_id', '=', cycleId).executeTakeFirst())?.final_status ?? undefined) as T | undefined);
    },
  };
}

export type CycleStore = ReturnType<typeof cycleStore>;
