// JSON schemas of the cycle resource: validated by Fastify and published in the OpenAPI document.
// Every value that reaches a workflow has the length limit of domain/limits.ts (issue 7, item 8).
import { LIMITS } from '../../../domain/limits.js';

/** An id as the directory and the cycle file write it (domain/cycle-file.ts): the one schema of it. */
export const id = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$', maxLength: LIMITS.id } as const;
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$', maxLength: LIMITS.id } as const;

export const cycleParams = {
  type: 'object',
  required: ['cycleId'],
  properties: { cycleId: id },
} as const;

export const deliverableParams = {
  type: 'object',
  required: ['cycleId', 'deliverableId'],
  properties: {
    cycleId: id,
    deliverableId: id,
  },
} as const;

export const fileRef = {
  type: 'object',
  required: ['name', 'sha256', 'size'],
  properties: { name: { type: 'string', maxLength: LIMITS.fileName }, sha256, size: { type: 'integer', minimum: 0 } },
} as const;

export const submitBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    note: { type: 'string', maxLength: LIMITS.note },
    files: { type: 'array', items: fileRef, maxItems: LIMITS.filesPerSubmission },
  },
} as const;

export const approveBody = {
  type: 'object',
  additionalProperties: false,
  properties: { comment: { type: 'string', maxLength: LIMITS.note } },
} as const;

// format "date" refuses days that do not exist (2019-02-31), which the pattern alone lets through.
export const dueDay = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: LIMITS.due } as const;

export const rejectBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: LIMITS.reason },
    due: { ...dueDay, description: 'new due date YYYY-MM-DD, today or later' },
  },
} as const;

export const urgeBody = {
  type: 'object',
  additionalProperties: false,
  properties: { message: { type: 'string', maxLength: LIMITS.message, description: 'words for the person urged (optional)' } },
} as const;

export const extendBody = {
  type: 'object',
  additionalProperties: false,
  required: ['due', 'reason'],
  properties: {
    due: { ...dueDay, description: 'new due date YYYY-MM-DD, after today and after the current one' },
    reason: { type: 'string', minLength: 1, maxLength: LIMITS.reason },
  },
} as const;

export const fileParams = {
  type: 'object',
  required: ['cycleId', 'deliverableId', 'sha256'],
  properties: { ...deliverableParams.properties, sha256 },
} as const;

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

export const auditQuerystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
    lang: { type: 'string', enum: ['zh', 'en'], default: 'zh', description: 'the language of the CSV\'s text column' },
    actor: { type: 'string', maxLength: 100 },
    action: { type: 'string', maxLength: 50 },
    subject: { type: 'string', maxLength: 200, description: 'a deliverable id (or the cycle id)' },
    from: { ...day, description: 'first day, YYYY-MM-DD in the cycle\'s zone' },
    to: { ...day, description: 'last day, YYYY-MM-DD in the cycle\'s zone' },
  },
} as const;

export const errorResponse = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' },
        rows: {
          type: 'array', description: 'a refused table: every error with its spreadsheet row (header = 1) and column',
          items: { type: 'object', properties: { row: { type: 'integer' }, column: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;
