import { stringify } from 'csv-stringify/sync';
import { AUDIT_COLUMNS, type AuditEntry } from '../domain/audit.js';

export function auditCsv(entries: AuditEntry[]): string {
  return stringify(entries.map((e) => AUDIT_COLUMNS.map((c) => e[c] ?? '')), { header: true, columns: [...AUDIT_COLUMNS] });
}
