// Errors a user caused and can fix: shown as they are, never with a stack.
export class UserError extends Error {
  constructor(message: string, readonly code: 'invalid' | 'refused' | 'not-found' | 'conflict' = 'invalid') {
    super(message);
    this.name = 'UserError';
  }
}
