// Activities are built from their dependencies, so tests can hand in a real SMTP server or a temp dir.
import { createMailActivities, type MailDeps } from './mail.js';
import { createScoringActivities } from './scoring.js';

export interface ActivityDeps extends MailDeps { dataDir: string }

export function createActivities(deps: ActivityDeps) {
  return { ...createMailActivities(deps), ...createScoringActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
