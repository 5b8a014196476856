// JSON schemas of the organisation directory's routes, for Fastify and the OpenAPI document. The
// values are checked again, with messages naming the field, by domain/directory.ts.
import { LIMITS } from '../../../domain/limits.js';
import { multipartForm } from './scores.js';
import { id } from './cycle.js';

const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const lang = { type: 'string', enum: ['zh-CN', 'en'] } as const;

export const personParams = { type: 'object', required: ['id'], properties: { id } } as const;

const unit = { type: 'object', properties: { id, name: text(LIMITS.title), coordinator: id } } as const;
const department = { type: 'object', properties: { unit: id, id, name: text(LIMITS.name) } } as const;
const person = {
  type: 'object',
  properties: { id, name: text(LIMITS.name), email: text(254), phone: text(LIMITS.phone), lang, unit: id, department: id, admin: { type: 'boolean' } },
} as const;

/** The JSON form of an import: the shape of examples/jinjiang-directory.json. */
export const importJsonBody = {
  type: 'object',
  properties: {
    units: { type: 'array', maxItems: LIMITS.directoryUnits, items: { type: 'object' } },
    departments: { type: 'array', maxItems: LIMITS.directoryDepartments, items: { type: 'object' } },
    people: { type: 'array', maxItems: LIMITS.directoryPeople, items: { type: 'object' } },
  },
} as const;

export const importForm = multipartForm({
  file: { description: 'the directory: .json (as examples/jinjiang-directory.json), .csv or .xlsx with the columns id, name, email, phone, lang, unit, unit_name, department, department_name, coordinator', file: true },
}, ['file']);

export const personPatchBody = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: { name: text(LIMITS.name), email: text(254), phone: { type: ['string', 'null'], maxLength: LIMITS.phone }, lang },
} as const;

export const directoryResponse = {
  type: 'object',
  properties: { units: { type: 'array', items: unit }, departments: { type: 'array', items: department }, people: { type: 'array', items: person } },
} as const;

export const importResponse = {
  type: 'object', properties: { added: { type: 'array', items: { type: 'string' } }, changed: { type: 'array', items: { type: 'string' } } },
} as const;

export { person as personResponse };

/** The /admin page's query: the person whose form is open, what was just done (and `lang`). */
export const adminQuerystring = {
  type: 'object',
  properties: { edit: id, added: { type: 'integer', minimum: 0 }, changed: { type: 'integer', minimum: 0 }, saved: { type: 'string', maxLength: 1 }, robot: { type: 'string', enum: ['saved', 'removed'] } },
} as const;
