// Activities are built from their dependencies, so tests can hand in a real SMTP server, a database or a client.
import type { Store } from '../store/index.js';
import { createGradingActivities, type GradingDeps } from './grading.js';
import { createMailActivities, type MailDeps } from './mail.js';
import { createRecordActivities } from './records.js';
import { createResultMailActivities } from './result-mail.js';
import { createScoringActivities } from './scoring.js';

export interface ActivityDeps extends MailDeps, GradingDeps { store: Store }

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMailActivities(deps), ...createScoringActivities(deps), ...createResultMailActivities(deps), ...createGradingActivities(deps),
    ...createRecordActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
