// The publication mail: one per grade notice and recipient. Sent once, by the same protocol as the
// digests (activities/mail.ts): the sent ledger is looked up, then claimed, so neither a retry nor an
// overlapping attempt sends it twice.
import { ApplicationFailure } from '@temporalio/activity';
import { renderResult, type ResultMail } from '../domain/result-text.js';
import { isPermanent, messageIdFor, type MailDeps } from './mail.js';

export interface ResultMailRequest extends ResultMail {
  /** Stable across retries: cycle, grading run and recipient. */
  key: string;
}

export function createResultMailActivities({ sender, ledger, from }: MailDeps) {
  return {
    async sendResultMail(r: ResultMailRequest): Promise<{ messageId: string; status: 'sent' | 'already-sent' }> {
      const messageId = messageIdFor(r.key);
      if (await ledger.has(messageId)) return { messageId, status: 'already-sent' };
      if (!(await ledger.claim(messageId))) throw new Error(`mail ${messageId} is being sent by another attempt`);
      const { subject, text } = renderResult(r);
      try {
        const sent = await sender.send({
          from, to: `${r.to.name} <${r.to.email}>`, subject, text, messageId,
          headers: { 'X-Perfcycle-Cycle': r.cycleId, 'X-Perfcycle-Items': `result:${r.grade}` },
        });
        await ledger.record(messageId, { key: r.key, to: r.to.email, subject, where: sent.where });
        return { messageId, status: 'sent' };
      } catch (err) {
        if (isPermanent(err)) throw ApplicationFailure.nonRetryable(`邮件无法投递 / mail refused: ${(err as Error).message}`, 'MailRefused');
        throw err;
      } finally {
        await ledger.release(messageId);
      }
    },
  };
}
