// An error with its own HTTP status, for the cases UserError's four codes do not cover (401, 413).
// A message that starts with "field: " names the field, as everywhere in the API.
import type { RowError } from '../../domain/targets.js';
import { UserError } from '../errors.js';

export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}

/** A table refused as a whole: the 400 lists every error with its row and column. */
export class TableRowsError extends UserError {
  constructor(message: string, readonly rows: readonly RowError[]) {
    super(message, 'invalid');
    this.name = 'TableRowsError';
  }
}
