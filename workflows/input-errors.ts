// Bad input found by a workflow's validator: a value the request got wrong (a mark above the target's
// points, a missing reason) or a thing that does not exist (an unknown target). Not a refusal: the
// person may do this, they asked for it wrongly. Clients answer 400 / 404 and do not audit them, where
// a refusal (refuse.ts: wrong person, wrong state) is a 403 and an audit entry.
import { ApplicationFailure } from '@temporalio/workflow';

export const INVALID = 'Invalid';
export const NOT_FOUND = 'NotFound';

/** The client's error code for a failure of one of these types (400, 404), else undefined. */
export function inputErrorCode(type: string | undefined | null): 'invalid' | 'not-found' | undefined {
  return type === INVALID ? 'invalid' : type === NOT_FOUND ? 'not-found' : undefined;
}

export function invalid(message: string): never {
  throw ApplicationFailure.create({ type: INVALID, message, nonRetryable: true });
}

export function notFound(message: string): never {
  throw ApplicationFailure.create({ type: NOT_FOUND, message, nonRetryable: true });
}
