// The audit's tamper evidence: each row's hash covers the previous row's hash and the row's own
// canonical content, so editing, deleting or reordering any row breaks every hash after it.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainRow {
  cycleId: string;
  pos: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string;
  detail: string | null;
  workflowId: string;
  onBehalfOf?: string | null;
}

/**
 * A fixed field order and JSON escaping: the same row always gives the same bytes. Whom the actor acted
 * for is appended only when set, so the rows written before it existed keep their hashes.
 */
export function canonicalRow(r: ChainRow): string {
  const base = [r.cycleId, r.pos, r.at, r.actor, r.role, r.action, r.subject, r.detail, r.workflowId];
  return JSON.stringify(r.onBehalfOf ? [...base, r.onBehalfOf] : base);
}

export function chainHash(prevHash: string, row: ChainRow): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalRow(row)}`).digest('hex');
}
