// The only way a mail leaves: the deterministic Message-ID is claimed in the sent-mail ledger (the
// application database every worker shares) before sending, so neither a retry nor another worker
// sends it twice; a failed attempt leaves its reason there for people to see.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { Person } from '../domain/cycle-file.js';
import { parseConfig, publicUrl } from '../domain/config.js';
import { renderDigest, type MailDirectory } from '../domain/mail-text.js';
import type { Notice } from '../domain/notices.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailFailure, MailLedgerStore } from '../store/mail-ledger.js';
import type { MailSender } from './mail-sender.js';
import { claimSend, type LeaseOptions } from './sent-ledger.js';

export interface Digest {
  /** Stable across retries and replays: workflow, recipient, slot and sequence. */
  key: string;
  cycleId: string;
  unit: { id: string; name: string };
  /** Absent in a mail scheduled by an older version (so is the directory: ids are shown then). */
  year?: number;
  timeZone: string;
  to: Person;
  slot: string;
  notices: Notice[];
  /** The names of the people and departments the notices speak of. */
  directory?: MailDirectory;
}

export interface MailDeps {
  sender: MailSender;
  /** `directory`: where a person's name and address are today (absent in tests of the ledger alone). */
  store: { mail: MailLedgerStore; directory?: { person(id: string): Promise<{ name: string; email: string } | undefined> } };
  from: string;
  /** Where each mail's links lead; default the API's own address (PUBLIC_URL's default). */
  portalUrl?: string;
  /** The claim's lease; tests shorten it. */
  mailLease?: LeaseOptions;
  /** Told how late each digest went out (seconds from its slot) when it is really sent; the worker's
   * histogram (worker/metrics.ts), absent where nobody measures. */
  observeLateness?: (seconds: number) => void;
}

/**
 * An address object, never "name <email>" pasted together: a name such as
 * `Zhang <attacker@evil.example>, Director` would otherwise add its own recipient to the envelope.
 * Its text is what the mail ledger records as the recipient (sendOnce writes String(to)).
 */
export function mailbox(p: { name: string; email: string }): { name: string; address: string; toString(): string } {
  return { name: p.name, address: p.email, toString: () => `${p.name} <${p.email}>` };
}

export function messageIdFor(key: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@perfcycle>`;
}

/** SMTP 5xx, bad auth and bad envelopes will not heal by retrying; 4xx and lost connections may. */
export function isPermanent(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number };
  if (e.code === 'EAUTH' || e.code === 'EENVELOPE') return true;
  return typeof e.responseCode === 'number' && e.responseCode >= 500;
}

/** A failed send in the kinds the dashboard explains; the message keeps the server's own words. */
export function describeFailure(err: unknown): MailFailure {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const message = `${e.responseCode ?? e.code ?? ''} ${e.message ?? String(err)}`.trim();
  if (isPermanent(err)) return { kind: 'refused', message };
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) return { kind: 'busy', message };
  if (e.code === 'ETIMEDOUT') return { kind: 'timeout', message };
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET' || e.code === 'EDNS' || e.code === 'ECONNREFUSED') return { kind: 'unreachable', message };
  return { kind: 'other', message };
}

export type SendResult = { messageId: string; status: 'sent' | 'already-sent'; where?: string };

/**
 * Sends one mail once for a key: claims its deterministic Message-ID in the ledger (an overlapping
 * attempt backs off with a retryable error), sends while the claim's lease is renewed, records it
 * sent, or releases the claim when the send fails. Every mail of the product goes through here.
 */
export async function sendOnce(
  { sender, store, from, mailLease }: Pick<MailDeps, 'sender' | 'store' | 'from' | 'mailLease'>,
  key: string,
  message: () => Omit<Mail.Options, 'from' | 'messageId'> & { subject: string },
  about: { cycleId?: string; personId?: string } = {},
): Promise<SendResult> {
  const messageId = messageIdFor(key);
  const m = message();
  const claim = await claimSend(store.mail, messageId, { key, to: String(m.to), subject: m.subject, ...about }, mailLease);
  if (claim === 'sent') return { messageId, status: 'already-sent' };
  let sent: { where: string };
  try {
    sent = await sender.send({ ...m, from, messageId });
  } catch (err) {
    await claim.release(describeFailure(err));
    if (isPermanent(err)) throw ApplicationFailure.nonRetryable(`邮件无法投递 / mail refused: ${(err as Error).message}`, 'MailRefused');
    throw err;
  }
  // The one window that can repeat a mail: from the server's acceptance until the next line commits.
  // A crash there (or a database out of reach for longer than sent()'s few retries) leaves the row
  // 'sending'; the lease runs out within seconds and the retry sends the mail again, same Message-ID.
  // (A connection lost after the final "." but before the server's 250 is the same window seen from
  // the other side: the send fails here, the claim is released, and the retry sends again. So is a
  // worker killed while waiting for that 250: the server has the mail, the ledger cannot know.)
  await claim.sent(sent.where);
  return { messageId, status: 'sent', where: sent.where };
}

export function createMailActivities(deps: MailDeps) {
  const portalUrl = deps.portalUrl ?? publicUrl(parseConfig({}));
  return {
    async sendDigest(digest: Digest): Promise<SendResult> {
      // An address changes only in the organisation directory (issue 8): a running cycle mails the
      // address of today, not the one it started with. The Message-ID stays the digest's.
      const now = await deps.store.directory?.person(digest.to.id);
      const d = now ? { ...digest, to: { ...digest.to, name: now.name, email: now.email } } : digest;
      const result = await sendOnce(deps, d.key, () => {
        const { subject, text } = renderDigest({
          unitName: d.unit.name, cycleId: d.cycleId, to: d.to, notices: d.notices, timeZone: d.timeZone, portalUrl,
          ...(d.year && { year: d.year }), ...(d.directory && { directory: d.directory }),
        });
        return {
          to: mailbox(d.to), subject, text, date: new Date(d.slot),
          headers: { 'X-Perfcycle-Cycle': d.cycleId, 'X-Perfcycle-Slot': d.slot, 'X-Perfcycle-Items': d.notices.map((n) => `${n.deliverableId}:${n.kind}`).join(',') },
        };
      }, { cycleId: d.cycleId, personId: d.to.id });
      // Only a mail that left now: a retry finding it already sent would count it twice, later.
      const lateness = (Date.now() - Date.parse(d.slot)) / 1000;
      if (result.status === 'sent' && Number.isFinite(lateness)) deps.observeLateness?.(lateness);
      return result;
    },
  };
}
