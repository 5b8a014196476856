// Records of the files handed in: who uploaded each (content stays content-addressed under DATA_DIR),
// and which submission, evidence or target table of which cycle it belongs to. A download is served
// only through one of those uses.
import { inTx, type Db } from './db.js';

export interface FileRecord { sha256: string; size: number; name: string; uploadedBy: string; uploadedAt: Date }
export interface FileUse { sha256: string; cycleId: string; subject: string; kind: 'submission' | 'evidence' | 'targets'; usedBy: string }

export function fileRecordStore(db: Db) {
  return {
    /** The first upload of a content names it; a later upload of the same bytes changes nothing. */
    uploaded(f: { sha256: string; size: number; name: string }, by: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.insertInto('files').values({ sha256: f.sha256, size: f.size, name: f.name, uploaded_by: by }).onConflict((oc) => oc.doNothing()).execute();
      });
    },

    get(sha256: string): Promise<FileRecord | undefined> {
      return inTx(db, async (tx) => {
        const r = await tx.selectFrom('files').selectAll().where('sha256', '=', sha256).executeTakeFirst();
        return r && { sha256: r.sha256, size: r.size, name: r.name, uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at };
      });
    },

    used(u: FileUse): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.insertInto('file_uses').values({ sha256: u.sha256, cycle_id: u.cycleId, subject: u.subject, kind: u.kind, used_by: u.usedBy })
          .onConflict((oc) => oc.doNothing()).execute();
      });
    },

    uses(sha256: string): Promise<FileUse[]> {
      return inTx(db, async (tx) => (await tx.selectFrom('file_uses').selectAll().where('sha256', '=', sha256).execute())
        .map((r) => ({ sha256: r.sha256, cycleId: r.cycle_id, subject: r.subject, kind: r.kind, usedBy: r.used_by })));
    },
  };
}

export type FileRecordStore = ReturnType<typeof fileRecordStore>;
