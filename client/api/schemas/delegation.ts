// JSON schemas of delegations (委托 / 转办): one item, or every item of a person for a span of days.
import { LIMITS } from '../../../domain/limits.js';
import { cycleParams, dueDay as day, id } from './cycle.js';

export const delegateBody = {
  type: 'object',
  additionalProperties: false,
  required: ['to'],
  properties: {
    to: { ...id, description: 'the colleague who acts, a person of the organisation directory' },
    from: { ...id, description: 'whose work is handed on (default: the signed-in person; another\'s: the coordinator only, 转办)' },
    deliverableId: { ...id, description: 'one item; without it, every item of the person from start to end' },
    start: { ...day, description: 'first day of the span, YYYY-MM-DD' },
    end: { ...day, description: 'last day of the span, YYYY-MM-DD (at most 92 days)' },
    reason: { type: 'string', maxLength: LIMITS.reason },
  },
} as const;

export const delegationParams = {
  type: 'object',
  required: ['cycleId', 'delegationId'],
  properties: { ...cycleParams.properties, delegationId: { type: 'integer', minimum: 1, maximum: 100_000 } },
} as const;

export interface DelegateBody { to: string; from?: string; deliverableId?: string; start?: string; end?: string; reason?: string }
