// An error with its own HTTP status, for the cases UserError's four codes do not cover (401, 413).
// A message that starts with "field: " names the field, as everywhere in the API.
export class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
    this.name = 'HttpError';
  }
}
