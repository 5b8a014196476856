// JSON schemas of the ledger (台账) and audit workbook downloads: validated by Fastify and published in
// the OpenAPI document. The audit workbook takes the audit's own filters (schemas/cycle.ts).
import { auditQuerystring } from './cycle.js';

export const ledgerQuerystring = {
  type: 'object', additionalProperties: false,
  properties: { format: { type: 'string', enum: ['xlsx', 'csv'], default: 'xlsx', description: 'a workbook (事项台账, 目标台账, 审计记录, 说明) or one CSV table, UTF-8 with BOM' } },
} as const;

const { actor, action, subject, from, to } = auditQuerystring.properties;

export const auditXlsxQuerystring = {
  type: 'object', additionalProperties: false, properties: { actor, action, subject, from, to },
} as const;
