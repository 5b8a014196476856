// The publication mail: one per grade notice and recipient. Sent once, by the same protocol as the
// digests (activities/mail.ts): the sent ledger is looked up, then claimed, so neither a retry nor an
// overlapping attempt sends it twice.
import { renderResult, type ResultMail } from '../domain/result-text.js';
import { mailbox, sendOnce, type MailDeps, type SendResult } from './mail.js';

export interface ResultMailRequest extends ResultMail {
  /** Stable across retries: cycle, grading run and recipient. */
  key: string;
}

export function createResultMailActivities(deps: MailDeps) {
  return {
    async sendResultMail(r: ResultMailRequest): Promise<SendResult> {
      return sendOnce(deps, r.key, () => ({
        to: mailbox(r.to), ...renderResult(r),
        headers: { 'X-Perfcycle-Cycle': r.cycleId, 'X-Perfcycle-Items': `result:${r.grade}` },
      }));
    },
  };
}
