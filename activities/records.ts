// The cycle's records in the application database: its audit (batches of entries, written in the order
// the workflow recorded them) and, when it closes, its final status. Both are safe to retry: audit
// rows are keyed by recorder and sequence, the final status is an upsert.
import type { AuditEntry } from '../domain/audit.js';
import type { CycleInput } from '../domain/cycle.js';
import type { Store } from '../store/index.js';
import type { CycleStatus } from '../workflows/definitions.js';

export interface AuditBatch {
  cycleId: string;
  /** The workflow that numbered the entries: with `seq` it makes each write idempotent. */
  recorder: string;
  entries: AuditEntry[];
}

export const auditKey = (recorder: string, seq: number) => `${recorder}#${seq}`;

export function createRecordActivities({ store }: { store: Store }) {
  return {
    async storeAudit(b: AuditBatch): Promise<{ added: number }> {
      const added = await store.audit.append(b.cycleId, b.entries.map((e) => ({ sourceKey: auditKey(b.recorder, e.seq), entry: e })));
      return { added };
    },
    async storeFinalStatus({ cycle, status }: { cycle: CycleInput; status: CycleStatus }): Promise<void> {
      await store.cycles.saveFinalStatus(cycle, status, new Date().toISOString());
    },
  };
}
