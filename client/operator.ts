// The CLI's direct mode (its own database and Temporal connection, no sign-in) is for whoever runs the
// server; what it does is recorded as `operator:<os user>`, never as a person of the directory. A
// directory id cannot contain ':' (domain/cycle-file.ts), so no session can pose as an operator.
import { userInfo } from 'node:os';

export const OPERATOR_PREFIX = 'operator:';

export function operatorActor(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? 'unknown';
  }
  return `${OPERATOR_PREFIX}${name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'unknown'}`;
}

export const isOperator = (actor: string): boolean => actor.startsWith(OPERATOR_PREFIX);
