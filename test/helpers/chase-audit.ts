// What a cycle's chase did, as its audit says it, in lines two cycles' audits can be compared by.
import type { AuditEntry } from '../../domain/audit.js';

/**
 * Escalations and mails sent, sorted: when, about what, to whom (the mail's id left out).
 * `toMinute`: a mail's line is written when its activity ends, and a time-skipping server's clock runs
 * meanwhile, so two cycles' lines agree to the minute only. `chaseOnly`: leaves out the mails actions
 * raised (two cycles' actions come a moment apart).
 */
export function chased(audit: AuditEntry[], opts: { toMinute?: boolean; chaseOnly?: boolean } = {}): string[] {
  return audit
    .filter((e) => e.action === 'escalated' || (e.action === 'reminder-sent'
      && (!opts.chaseOnly || /kinds=(reminder|escalate|overdue)/.test(e.detail ?? ''))))
    .map((e) => `${e.at.slice(0, opts.toMinute ? 16 : 19)} ${e.action} ${e.subject} ${(e.detail ?? '').replace(/ id=\S+/, '')}`)
    .sort();
}
