// The audit as CSV, for the CLI, the API and the portal: formulas neutralised like every CSV export
// (activities/tables.ts csvText). The BOM is the caller's, at the start of the file or response.
// The codes stay for machines; `words` (client/portal/audit-text.ts), one per entry, add the column
// `text`: the entry as a sentence, with names.
import { csvText } from '../activities/tables.js';
import { AUDIT_COLUMNS, type AuditEntry } from '../domain/audit.js';

export function auditCsv(entries: AuditEntry[], words?: string[]): string {
  const rows = entries.map((e, i) => [...AUDIT_COLUMNS.map((c) => e[c] ?? ''), ...(words ? [words[i] ?? ''] : [])]);
  return csvText(words ? [...AUDIT_COLUMNS, 'text'] : AUDIT_COLUMNS, rows);
}
