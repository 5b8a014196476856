// The scoring step's hand-over: when the review window closes, everything collected is archived
// as one package that the efficiency office's scoring works from.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FigureEntry, MarkEntry } from '../domain/score-sheet.js';
import type { Target } from '../domain/targets.js';
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

export function createScoringActivities({ dataDir }: { dataDir: string }) {
  return {
    /** Idempotent: a retry writes the same file again. */
    async prepareScoring(pkg: ScoringPackage): Promise<{ path: string; files: number }> {
      const dir = join(dataDir, 'archive', pkg.cycleId);
      await mkdir(dir, { recursive: true });
      const path = join(dir, 'review-package.json');
      const files = pkg.deliverables.reduce((n, d) => n + d.submissions.reduce((m, s) => m + s.files.length, 0), 0) + (pkg.evidence?.length ?? 0);
      await writeFile(path, JSON.stringify(pkg, null, 2));
      return { path, files };
    },
  };
}
