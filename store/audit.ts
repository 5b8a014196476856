// The audit of every cycle: appended by the workflows' activity and by the API (refusals), read by
// every front end, checked by `perfcycle audit verify`. Rows are never updated or deleted.
import type { AuditEntry, AuditInput } from '../domain/audit.js';
import { chainHash, GENESIS_HASH, type ChainRow } from './audit-chain.js';
import { inTx, type Db, type Tx } from './db.js';

export interface AuditWrite {
  /** Idempotency: the same key written twice is stored once. */
  sourceKey: string;
  entry: AuditInput & { at: string; workflowId: string };
}

export interface VerifyResult {
  ok: boolean;
  rows: number;
  /** The first row whose hash or link does not match, and why. */
  firstBad?: { seq: number; reason: string };
}

/** A stored row, with the key it was written under. */
export type StoredAuditEntry = AuditEntry & { key: string };

const toEntry = (r: { pos: number; source_key: string; at: string; actor: string; role: string; action: string; subject: string; detail: string | null; workflow_id: string; on_behalf_of: string | null }): StoredAuditEntry => ({
  key: r.source_key, seq: r.pos, at: r.at, actor: r.actor, role: r.role, action: r.action as AuditEntry['action'], subject: r.subject,
  ...(r.detail !== null && { detail: r.detail }), workflowId: r.workflow_id, ...(r.on_behalf_of !== null && { onBehalfOf: r.on_behalf_of }),
});

/**
 * The chain's head, locked until the transaction ends: writers of one chain take turns. One statement:
 * made if new, else "updated" to itself, which takes the row's lock and returns it as last committed.
 */
export async function lockChain(tx: Tx, cycleId: string): Promise<{ pos: number; hash: string }> {
  return tx.insertInto('audit_heads').values({ cycle_id: cycleId, pos: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('cycle_id').doUpdateSet((eb) => ({ pos: eb.ref('audit_heads.pos') })))
    .returning(['pos', 'hash']).executeTakeFirstOrThrow();
}

/** Rows per insert: well under PostgreSQL's 65 535 parameters at 13 a row (a directory import can audit thousands). */
const ROWS_PER_INSERT = 1000;

/**
 * Appends in the order given inside the caller's transaction (the directory writes its changes and
 * their audit together); entries already stored (by source key) are skipped. Returns how many were added.
 */
export async function appendIn(tx: Tx, cycleId: string, writes: AuditWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const head = await lockChain(tx, cycleId);
  const known = new Set((await tx.selectFrom('audit_entries').select('source_key')
    .where('source_key', 'in', writes.map((w) => w.sourceKey)).execute()).map((r) => r.source_key));
  let { pos, hash } = head;
  const rows = [];
  for (const w of writes) {
    if (known.has(w.sourceKey)) continue;
    known.add(w.sourceKey);
    pos += 1;
    const row: ChainRow = { cycleId, pos, at: w.entry.at, actor: w.entry.actor, role: w.entry.role, action: w.entry.action, subject: w.entry.subject, detail: w.entry.detail ?? null, workflowId: w.entry.workflowId, onBehalfOf: w.entry.onBehalfOf ?? null };
    const prev = hash;
    hash = chainHash(prev, row);
    rows.push({
      cycle_id: cycleId, pos, source_key: w.sourceKey, at: row.at, actor: row.actor, role: row.role, action: row.action,
      subject: row.subject, detail: row.detail, workflow_id: row.workflowId, on_behalf_of: row.onBehalfOf ?? null, prev_hash: prev, hash,
    });
  }
  // One statement for the batch (a write used to cost a round trip per line).
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await tx.insertInto('audit_entries').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
  if (rows.length) await tx.updateTable('audit_heads').set({ pos, hash }).where('cycle_id', '=', cycleId).execute();
  return rows.length;
}

export function auditStore(db: Db) {
  return {
    /** Appends in the order given; entries already stored (by source key) are skipped. Returns how many were added. */
    append(cycleId: string, writes: AuditWrite[]): Promise<number> {
      if (writes.length === 0) return Promise.resolve(0);
      return inTx(db, (tx) => appendIn(tx, cycleId, writes));
    },

    list(cycleId: string): Promise<StoredAuditEntry[]> {
      return inTx(db, async (tx) => (await tx.selectFrom('audit_entries').selectAll().where('cycle_id', '=', cycleId).orderBy('pos').execute()).map(toEntry));
    },

    /** Recomputes the chain from the first row; names the first row that does not match. */
    verify(cycleId: string): Promise<VerifyResult> {
      return inTx(db, async (tx) => {
        const rows = await tx.selectFrom('audit_entries').selectAll().where('cycle_id', '=', cycleId).orderBy('pos').execute();
        const head = await tx.selectFrom('audit_heads').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
        let prev = GENESIS_HASH;
        for (const [i, r] of rows.entries()) {
          const bad = (reason: string): VerifyResult => ({ ok: false, rows: rows.length, firstBad: { seq: r.pos, reason } });
          if (r.pos !== i + 1) return bad(`第 ${i + 1} 行缺失 / row ${i + 1} is missing`);
          if (r.prev_hash !== prev) return bad('与上一行的链接不符 / link to the previous row does not match');
          const expected = chainHash(prev, { cycleId, pos: r.pos, at: r.at, actor: r.actor, role: r.role, action: r.action, subject: r.subject, detail: r.detail, workflowId: r.workflow_id, onBehalfOf: r.on_behalf_of });
          if (r.hash !== expected) return bad('内容与哈希不符（记录被改动）/ content does not match its hash (the row was changed)');
          prev = r.hash;
        }
        if (head && (head.pos !== rows.length || head.hash !== prev)) {
          return { ok: false, rows: rows.length, firstBad: { seq: rows.length + 1, reason: `链尾应为第 ${head.pos} 行，末尾的行被删除 / the chain should end at row ${head.pos}: rows at the end were deleted` } };
        }
        return { ok: true, rows: rows.length };
      });
    },

    /** Whether any workflow has written to the cycle's audit (refusals before its start do not count). */
    hasWorkflowEntries(cycleId: string): Promise<boolean> {
      return inTx(db, async (tx) => !!(await tx.selectFrom('audit_entries').select('pos').where('cycle_id', '=', cycleId)
        .where('source_key', 'not like', 'api:%').limit(1).executeTakeFirst()));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
