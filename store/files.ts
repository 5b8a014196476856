// Records of the files handed in: who uploaded each (content stays content-addressed under DATA_DIR),
// and which submission, evidence or target table of which cycle it belongs to. A download is served
// only through one of those uses.
import { inTx, type Db } from './db.js';

export type FileUseKind = 'submission' | 'evidence' | 'targets';
export interface FileRecord { sha256: string; size: number; name: string; uploadedBy: string; uploadedAt: Date }
export interface FileUse { sha256: string; cycleId: string; subject: string; kind: FileUseKind; usedBy: string }

/** Whether a person may name a file by its hash: `unknown` when no upload of it (with that size) is recorded. */
export type NameCheck = 'unknown' | 'allowed' | 'not-theirs';

export function fileRecordStore(db: Db) {
  return {
    /** The first upload of a content names it; a later upload of the same bytes changes nothing. */
    uploaded(f: { sha256: string; size: number; name: string }, by: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.insertInto('files').values({ sha256: f.sha256, size: f.size, name: f.name, uploaded_by: by }).onConflict((oc) => oc.doNothing()).execute();
        await tx.insertInto('file_uploads').values({ sha256: f.sha256, uploaded_by: by }).onConflict((oc) => oc.doNothing()).execute();
      });
    },

    get(sha256: string): Promise<FileRecord | undefined> {
      return inTx(db, async (tx) => {
        const r = await tx.selectFrom('files').selectAll().where('sha256', '=', sha256).executeTakeFirst();
        return r && { sha256: r.sha256, size: r.size, name: r.name, uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at };
      });
    },

    /**
     * Records uses once the action they belong to has succeeded. A file with no upload record (stored
     * before the database) is skipped: there is no row to refer to, and downloads treat it as before.
     */
    used(uses: readonly FileUse[]): Promise<void> {
      if (uses.length === 0) return Promise.resolve();
      return inTx(db, async (tx) => {
        const known = new Set((await tx.selectFrom('files').select('sha256').where('sha256', 'in', uses.map((u) => u.sha256)).execute()).map((r) => r.sha256));
        const rows = uses.filter((u) => known.has(u.sha256))
          .map((u) => ({ sha256: u.sha256, cycle_id: u.cycleId, subject: u.subject, kind: u.kind, used_by: u.usedBy }));
        if (rows.length) await tx.insertInto('file_uses').values(rows).onConflict((oc) => oc.doNothing()).execute();
      });
    },

    uses(sha256: string): Promise<FileUse[]> {
      return inTx(db, async (tx) => (await tx.selectFrom('file_uses').selectAll().where('sha256', '=', sha256).orderBy('used_at').execute())
        .map((r) => ({ sha256: r.sha256, cycleId: r.cycle_id, subject: r.subject, kind: r.kind, usedBy: r.used_by })));
    },

    /**
     * May `by` name this file (by hash and size, without sending the bytes) for `subject` of `cycleId`?
     * Only if they uploaded it, or already handed it in there themselves (a resubmission): knowing a
     * hash must not give anyone another person's file.
     */
    mayName(f: { sha256: string; size: number }, by: string, cycleId: string, subject: string): Promise<NameCheck> {
      return inTx(db, async (tx) => {
        const r = await tx.selectFrom('files').select('size').where('sha256', '=', f.sha256).executeTakeFirst();
        if (!r || r.size !== f.size) return 'unknown';
        if (await tx.selectFrom('file_uploads').select('sha256').where('sha256', '=', f.sha256).where('uploaded_by', '=', by).executeTakeFirst()) return 'allowed';
        const mine = await tx.selectFrom('file_uses').select('sha256')
          .where('sha256', '=', f.sha256).where('cycle_id', '=', cycleId).where('subject', '=', subject).where('used_by', '=', by)
          .executeTakeFirst();
        return mine ? 'allowed' : 'not-theirs';
      });
    },

    /**
     * May this file be served from `subject` of `cycleId`, whose record lists it as handed in by `handedInBy`?
     * Yes when its use there is recorded; when the one who handed it in there uploaded it (the use may not be
     * recorded yet); or when the database has no record of it at all (uploaded before the database).
     */
    servable(sha256: string, cycleId: string, subject: string, handedInBy: readonly string[]): Promise<boolean> {
      return inTx(db, async (tx) => {
        const uploaders = (await tx.selectFrom('file_uploads').select('uploaded_by').where('sha256', '=', sha256).execute()).map((u) => u.uploaded_by);
        if (uploaders.length === 0 || uploaders.some((u) => handedInBy.includes(u))) return true;
        const use = await tx.selectFrom('file_uses').select('sha256')
          .where('sha256', '=', sha256).where('cycle_id', '=', cycleId).where('subject', '=', subject).executeTakeFirst();
        return !!use;
      });
    },
  };
}

export type FileRecordStore = ReturnType<typeof fileRecordStore>;
