// The scoring step's hand-over: when the review window closes, everything collected is kept with the
// cycle in the application database, where the scoring and any later review read it.
import type { FigureEntry, MarkEntry } from '../domain/score-sheet.js';
import type { Target } from '../domain/targets.js';
import type { Store } from '../store/index.js';
import type { DeliverableSnapshot, EvidenceItem } from '../workflows/definitions.js';

export interface ScoringPackage {
  cycleId: string;
  unit: { id: string; name: string };
  year: number;
  collectedAt: string;
  deliverables: DeliverableSnapshot[];
  // From cycles that imported a target table: the ledger as it stood when the window closed.
  targets?: Target[];
  evidence?: EvidenceItem[];
  marks?: MarkEntry[];
  figures?: FigureEntry[];
}

/** Where a person reads the package: the API route that serves it from the database. */
export const reviewPackagePath = (cycleId: string) => `/api/cycles/${cycleId}/review-package`;

export function createScoringActivities({ store }: { store: Store }) {
  return {
    /** Idempotent: a retry stores the same package again. */
    async prepareScoring(pkg: ScoringPackage): Promise<{ path: string; files: number }> {
      await store.cycles.saveReviewPackage({ cycleId: pkg.cycleId, unitId: pkg.unit.id, year: pkg.year }, pkg);
      const files = pkg.deliverables.reduce((n, d) => n + d.submissions.reduce((m, s) => m + s.files.length, 0), 0) + (pkg.evidence?.length ?? 0);
      return { path: reviewPackagePath(pkg.cycleId), files };
    },
  };
}
