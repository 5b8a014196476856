import { ApplicationFailure } from '@temporalio/workflow';

/** The error type clients look for to tell a refusal (wrong person, or too early) from a failure. */
export const REFUSED = 'Refused';

/**
 * The error type of an action that came too late: the person was entitled, but someone changed the
 * item first (accepted, sent back, moved on). Clients answer it with the current state (HTTP 409).
 */
export const CONFLICT = 'Conflict';

export function refuse(message: string): never {
  throw ApplicationFailure.create({ type: REFUSED, message, nonRetryable: true });
}

/** `current` travels as the failure's details, so the client can say who changed it, by name. */
export function conflict(message: string, current?: unknown): never {
  throw ApplicationFailure.create({ type: CONFLICT, message, nonRetryable: true, ...(current !== undefined && { details: [current] }) });
}
