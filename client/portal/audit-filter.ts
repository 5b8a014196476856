// The audit filters shared by the page, its CSV export and the JSON API.
import type { AuditEntry } from '../../domain/audit.js';
import { localDateOf } from '../../domain/time.js';

export interface AuditFilter {
  actor?: string;
  action?: string;
  /** Matches an entry whose subject (or one of a mail's subjects) is this id. */
  subject?: string;
  /** YYYY-MM-DD, inclusive, in the cycle's zone. */
  from?: string;
  to?: string;
}

export function filterAudit(entries: AuditEntry[], f: AuditFilter, zone: string): AuditEntry[] {
  return entries.filter((e) => {
    if (f.actor && e.actor !== f.actor) return false;
    if (f.action && e.action !== f.action) return false;
    if (f.subject && !e.subject.split(',').includes(f.subject)) return false;
    const day = localDateOf(e.at, zone);
    if (f.from && day < f.from) return false;
    if (f.to && day > f.to) return false;
    return true;
  });
}

export function auditFilterOf(q: Record<string, unknown>): AuditFilter {
  const s = (k: string) => (typeof q[k] === 'string' && q[k] !== '' ? (q[k] as string) : undefined);
  const day = (k: string) => (s(k) && /^\d{4}-\d{2}-\d{2}$/.test(s(k)!) ? s(k) : undefined);
  const f: AuditFilter = {};
  for (const [k, v] of [['actor', s('actor')], ['action', s('action')], ['subject', s('subject')], ['from', day('from')], ['to', day('to')]] as const) {
    if (v) f[k] = v;
  }
  return f;
}
