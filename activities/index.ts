// Activities are built from their dependencies, so tests can hand in a real SMTP server, a temp dir or a client.
import { createGradingActivities, type GradingDeps } from './grading.js';
import { createMailActivities, type MailDeps } from './mail.js';
import { createResultMailActivities } from './result-mail.js';
import { createScoringActivities } from './scoring.js';

export interface ActivityDeps extends MailDeps, GradingDeps { dataDir: string }

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMailActivities(deps), ...createScoringActivities(deps), ...createResultMailActivities(deps), ...createGradingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
