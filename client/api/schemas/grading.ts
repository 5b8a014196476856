// JSON schemas of the city's grading: started by the efficiency office, read by anyone signed in.
import { VETOES } from '../../../domain/grading.js';
import { LIMITS } from '../../../domain/limits.js';
import { id } from './cycle.js';


export const yearParams = {
  type: 'object', required: ['year'],
  properties: { year: { type: 'integer', minimum: 2000, maximum: 2100 } },
} as const;

/** What `perfcycle grading start` reads from its files; the rules are checked in full by domain/grading.ts. */
export const gradingBody = {
  type: 'object', additionalProperties: false, required: ['year', 'cycles'],
  properties: {
    year: { type: 'integer', minimum: 2000, maximum: 2100 },
    cycles: { type: 'array', maxItems: LIMITS.gradingUnits, items: id },
    external: {
      type: 'array', maxItems: LIMITS.gradingUnits, description: 'units outside the system: [{unit, score, vetoes}]',
      items: {
        type: 'object', additionalProperties: false, required: ['unit', 'score'],
        properties: {
          unit: { type: 'string', minLength: 1, maxLength: LIMITS.name },
          score: { type: 'number' },
          vetoes: { type: 'array', maxItems: LIMITS.vetoes, items: { type: 'string', enum: VETOES.map((v) => v.name) } },
        },
      },
    },
    rules: { type: 'object', maxProperties: 20, description: 'grading rules (docs/grading.md); absent: the defaults' },
  },
} as const;

export const gradingResponse = {
  type: 'object', additionalProperties: true,
  properties: { year: { type: 'integer' }, gradedAt: { type: 'string' }, startedBy: { type: 'string' }, units: { type: 'array', items: { type: 'object', additionalProperties: true } } },
} as const;
