// JSON schemas of the target ledger and the score sheet (issue 3): validated by Fastify and published in
// the OpenAPI document. The enums come from the domain, so the document lists what the workflow accepts.
import { EVIDENCE_CATEGORIES } from '../../../domain/target-ledger.js';
import { FIGURE_NAMES } from '../../../domain/score-sheet.js';
import { VETOES } from '../../../domain/grading.js';
import { ADMINISTRATIVE_CATEGORIES, FUNCTIONAL_CATEGORIES } from '../../../domain/scoring.js';
import { LIMITS } from '../../../domain/limits.js';
import { TARGET_COLUMNS } from '../../../domain/targets.js';
import { cycleParams, fileRef, id } from './cycle.js';

const targetId = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: LIMITS.id } as const;
const text = { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } } as const;
const num = { type: 'number' } as const;
const numOrNull = { type: ['number', 'null'] } as const;

export const targetParams = {
  type: 'object', required: ['cycleId', 'targetId'], properties: { cycleId: id, targetId },
} as const;

export const figureParams = {
  type: 'object', required: ['cycleId', 'name'], properties: { cycleId: id, name: { type: 'string', enum: FIGURE_NAMES } },
} as const;

export const evidenceFileParams = {
  type: 'object', required: ['cycleId', 'targetId', 'sha256'],
  properties: { cycleId: id, targetId, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', maxLength: LIMITS.id } },
} as const;

export { cycleParams };

/** The longest text of each column of the target table (domain/limits.ts). */
const CELL_LIMITS: Record<keyof typeof TARGET_COLUMNS, number> = {
  id: LIMITS.id, category: LIMITS.id, title: LIMITS.title, points: LIMITS.id, leader: LIMITS.name,
  departments: LIMITS.name * LIMITS.departmentsPerTarget, lead: LIMITS.name, person: LIMITS.name, due: LIMITS.due,
  quality: LIMITS.requirement, progress: LIMITS.requirement,
};
/**
 * A row keyed by the table's headers, each cell no longer than its column allows. A header written
 * otherwise (with spaces, in capitals) is checked by the workflow only; other columns never reach it.
 */
const tableRow = {
  type: 'object',
  properties: Object.fromEntries(Object.entries(TARGET_COLUMNS).flatMap(([field, headers]) =>
    headers.map((h) => [h, { type: ['string', 'number', 'boolean', 'null'], maxLength: CELL_LIMITS[field as keyof typeof TARGET_COLUMNS] }]))),
} as const;

/** JSON form of the import: the rows as a spreadsheet would give them, keyed by header (编号, 类别, …). */
export const importRowsBody = {
  type: 'object', additionalProperties: false, required: ['rows'],
  properties: {
    rows: {
      type: 'array', maxItems: LIMITS.targets, items: tableRow,
      description: 'one object per target, keyed by the table\'s headers (编号/id, 类别/category, 指标/title, 分值/points, 责任领导/leader, 责任科室/departments, 牵头科室/lead, 经办人/person, 完成时限/due, 质量要求/quality, 进度要求/progress); rows[0] is spreadsheet row 2',
    },
  },
} as const;

export const target = {
  type: 'object',
  properties: {
    id: { type: 'string' }, category: { type: 'string', enum: [...FUNCTIONAL_CATEGORIES, ...ADMINISTRATIVE_CATEGORIES] },
    group: { type: 'string', enum: ['functional', 'administrative'] }, title: { type: 'string' }, points: num,
    leader: { type: 'string' }, departments: { type: 'array', items: { type: 'string' } }, leadDepartment: { type: 'string' },
    person: { type: 'string' }, due: { type: 'string' }, quality: { type: 'string' }, progress: { type: 'string' },
  },
} as const;

export const targetsView = {
  type: 'object',
  properties: {
    targets: { type: 'array', items: target },
    importedAt: { type: 'string' }, importedBy: { type: 'string' }, source: fileRef,
  },
} as const;

const category = { type: 'string', enum: Object.keys(EVIDENCE_CATEGORIES) } as const;

export const evidenceItem = {
  type: 'object',
  properties: {
    seq: { type: 'integer' }, targetId: { type: 'string' }, category, file: fileRef, by: { type: 'string' }, at: { type: 'string' }, note: { type: 'string' },
  },
} as const;

export const targetEvidence = {
  type: 'object',
  properties: {
    targetId: { type: 'string' }, title: { type: 'string' }, departments: { type: 'array', items: { type: 'string' } },
    leadDepartment: { type: 'string' }, items: { type: 'array', items: evidenceItem },
  },
} as const;

export const markBody = {
  type: 'object', additionalProperties: false, required: ['mark'],
  properties: {
    mark: { type: 'number', minimum: 0, description: '0 .. the target\'s points, at most 2 decimals' },
    note: { type: 'string', maxLength: LIMITS.note },
    reason: { type: 'string', maxLength: LIMITS.reason, description: 'required to change a mark already given' },
  },
} as const;

export const markEntry = {
  type: 'object',
  properties: { targetId: { type: 'string' }, mark: num, by: { type: 'string' }, at: { type: 'string' }, reason: { type: 'string' }, note: { type: 'string' } },
} as const;

export const figureBody = {
  type: 'object', additionalProperties: false, required: ['value', 'source'],
  properties: {
    value: { ...numOrNull, description: 'null: not applicable to this unit (where the scheme allows it)' },
    source: { type: 'string', minLength: 1, maxLength: LIMITS.source, description: 'where the figure comes from' },
    reason: { type: 'string', maxLength: LIMITS.reason, description: 'required to change a figure already entered' },
  },
} as const;

export const figureEntry = {
  type: 'object',
  properties: { figure: { type: 'string', enum: FIGURE_NAMES }, value: numOrNull, source: { type: 'string' }, by: { type: 'string' }, at: { type: 'string' }, reason: { type: 'string' } },
} as const;

export const vetoesBody = {
  type: 'object', additionalProperties: false, required: ['vetoes', 'source'],
  properties: {
    vetoes: {
      type: 'array', maxItems: LIMITS.vetoes, uniqueItems: true, items: { type: 'string', maxLength: LIMITS.id, enum: VETOES.map((v) => v.name) },
      description: 'the veto cases found; [] for none',
    },
    source: { type: 'string', minLength: 1, maxLength: LIMITS.source },
    reason: { type: 'string', maxLength: LIMITS.reason, description: 'required to change vetoes already set' },
  },
} as const;

const breakdown = {
  type: 'object',
  properties: Object.fromEntries([
    'functionalScore', 'administrativeScore', 'marksScore', 'marksWeight', 'approvalServiceScore', 'approvalServiceWeight',
    'partyBuildingScore', 'partyBuildingWeight', 'targetScore', 'statisticsReviewScore', 'statisticsReviewWeight',
    'windowReviewScore', 'windowReviewWeight', 'publicReviewScore', 'weightedTargetScore', 'weightedPublicReviewScore',
    'subtotal', 'incentiveBonus', 'inspectionDeduction', 'finalScore',
  ].map((k) => [k, numOrNull])),
} as const;

const grade = {
  type: 'object',
  properties: {
    gradingId: { type: 'string' }, year: { type: 'integer' }, grade: { type: 'string', enum: ['excellent', 'good', 'fair', 'poor'] },
    rank: { type: 'integer' }, units: { type: 'integer' }, score: num, reason: { type: 'string' }, by: { type: 'string' }, receivedAt: { type: 'string' },
    nextYearExcellentShare: num,
    sanctions: { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, zh: { type: 'string' }, en: { type: 'string' } } } },
  },
} as const;

export const scoreResponse = {
  type: 'object',
  description: 'view.complete: the breakdown with every intermediate figure; otherwise view.missing says what is still missing',
  properties: {
    view: {
      type: 'object',
      properties: {
        complete: { type: 'boolean' }, breakdown, input: { type: 'object', additionalProperties: true }, missing: { type: 'array', items: text },
      },
    },
    marks: { type: 'array', items: markEntry },
    figures: { type: 'array', items: figureEntry },
    vetoes: { type: 'array', items: { type: 'string' } },
    vetoesSet: { type: 'boolean' },
    grade,
  },
} as const;

export const bonusQuerystring = {
  type: 'object', additionalProperties: false,
  properties: { format: { type: 'string', enum: ['xlsx', 'csv', 'json'], default: 'xlsx', description: 'the list as a workbook, CSV (UTF-8 with BOM) or the report as JSON' } },
} as const;

/**
 * Multipart forms, for the OpenAPI document. No "type": Fastify validates the (unparsed, null) body of a
 * multipart request against it, and the fields are read and checked by the route itself.
 */
export function multipartForm(fields: Record<string, { description: string; file?: boolean; enum?: readonly string[]; maxLength?: number }>, required: string[]) {
  return {
    'multipart/form-data': {
      schema: {
        required,
        properties: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, {
          type: 'string', description: f.description, ...(f.file && { format: 'binary' }), ...(f.enum && { enum: f.enum }), ...(f.maxLength && { maxLength: f.maxLength }),
        }])),
      },
    },
  };
}

export const evidenceForm = multipartForm({
  file: { description: 'the evidence file (PORTAL_UPLOAD_TYPES, at most PORTAL_MAX_UPLOAD_MB)', file: true },
  category: { description: 'paper | image | audio-video', enum: Object.keys(EVIDENCE_CATEGORIES) },
  note: { description: 'optional note', maxLength: LIMITS.note },
}, ['file', 'category']);

export const targetsForm = multipartForm({ file: { description: 'the target table: .csv (UTF-8 or GB18030), .xlsx (first sheet) or .json (array of objects)', file: true } }, ['file']);

export const rosterForm = multipartForm({ roster: { description: 'the staff roster: .csv, .xlsx or .json', file: true } }, ['roster']);
