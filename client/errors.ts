// Errors a user caused and can fix: shown as they are, never with a stack.
export type UserErrorCode = 'invalid' | 'refused' | 'not-found' | 'conflict' | 'busy';

/** The HTTP status of each code: one table for the API and the portal pages. */
export const HTTP_STATUS: Record<UserErrorCode, number> = { invalid: 400, refused: 403, 'not-found': 404, conflict: 409, busy: 503 };

/** Seconds a `busy` answer asks the caller to wait (the Retry-After header). */
export const BUSY_RETRY_AFTER_SECONDS = 2;

export class UserError extends Error {
  constructor(message: string, readonly code: UserErrorCode = 'invalid') {
    super(message);
    this.name = 'UserError';
  }
}
