// The audit as CSV, for the CLI, the API and the portal: formulas neutralised like every CSV export
// (activities/tables.ts csvText). The BOM is the caller's, at the start of the file or response.
import { csvText } from '../activities/tables.js';
import { AUDIT_COLUMNS, type AuditEntry } from '../domain/audit.js';

export function auditCsv(entries: AuditEntry[]): string {
  return csvText(AUDIT_COLUMNS, entries.map((e) => AUDIT_COLUMNS.map((c) => e[c] ?? '')));
}
