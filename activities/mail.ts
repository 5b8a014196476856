// The only way a mail leaves: looks the deterministic Message-ID up in the sent ledger first,
// so a retried activity does not write twice.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Person } from '../domain/cycle-file.js';
import { renderDigest } from '../domain/mail-text.js';
import type { Notice } from '../domain/notices.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailSender } from './mail-sender.js';
import type { SentLedger } from './sent-ledger.js';

export interface Digest {
  /** Stable across retries and replays: workflow, recipient, slot and sequence. */
  key: string;
  cycleId: string;
  unit: { id: string; name: string };
  timeZone: string;
  to: Person;
  slot: string;
  notices: Notice[];
}

export interface MailDeps { sender: MailSender; ledger: SentLedger; from: string; portalUrl?: string }

export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@perfcycle>`;
}

/** SMTP 5xx, bad auth and bad envelopes will not heal by retrying; 4xx and lost connections may. */
export function isPermanent(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH' || e.code === 'EENVELOPE') return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500;
}

export type SendResult = { messageId: string; status: 'sent' | 'already-sent'; where?: string };

/**
 * Sends one mail at most once for a key: looks the deterministic Message-ID up in the ledger, claims
 * it so an overlapping attempt backs off, sends, records. Every mail of the product goes through here.
 */
export async function sendOnce(
  { sender, ledger, from }: Pick<MailDeps, 'sender' | 'ledger' | 'from'>,
  key: string,
  message: () => Omit<Mail.Options, 'from' | 'messageId'> & { subject: string },
): Promise<SendResult> {
  const messageId = messageIdFor(key);
  if (await ledger.has(messageId)) return { messageId, status: 'already-sent' };
  if (!(await ledger.claim(messageId))) {
    // Another attempt is sending this very mail: let Temporal retry later and find it in the ledger.
    throw new Error(`mail ${messageId} is being sent by another attempt`);
  }
  try {
    const m = message();
    const sent = await sender.send({ ...m, from, messageId });
    await ledger.record(messageId, { key, to: String(m.to), subject: m.subject, where: sent.where });
    return { messageId, status: 'sent', where: sent.where };
  } catch (err) {
    if (isPermanent(err)) throw ApplicationFailure.nonRetryable(`邮件无法投递 / mail refused: ${(err as Error).message}`, 'MailRefused');
    throw err;
  } finally {
    await ledger.release(messageId);
  }
}

export function createMailActivities(deps: MailDeps) {
  return {
    async sendDigest(d: Digest): Promise<SendResult> {
      return sendOnce(deps, d.key, () => {
        const { subject, text } = renderDigest({ unitName: d.unit.name, cycleId: d.cycleId, to: d.to, notices: d.notices, timeZone: d.timeZone, ...(deps.portalUrl && { portalUrl: deps.portalUrl }) });
        return {
          to: `${d.to.name} <${d.to.email}>`, subject, text, date: new Date(d.slot),
          headers: { 'X-Perfcycle-Cycle': d.cycleId, 'X-Perfcycle-Slot': d.slot, 'X-Perfcycle-Items': d.notices.map((n) => `${n.deliverableId}:${n.kind}`).join(',') },
        };
      });
    },
  };
}
