import { ApplicationFailure } from '@temporalio/workflow';

/** The error type clients look for to tell a refusal (wrong person or wrong state) from a failure. */
export const REFUSED = 'Refused';

export function refuse(message: string): never {
  throw ApplicationFailure.create({ type: REFUSED, message, nonRetryable: true });
}
