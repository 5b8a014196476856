// The only way a mail leaves: the deterministic Message-ID is claimed in the sent-mail ledger (the
// application database every worker shares) before sending, so neither a retry nor another worker
// sends it twice; a failed attempt leaves its reason there for people to see.
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Person } from '../domain/cycle-file.js';
import { parseConfig, publicUrl } from '../domain/config.js';
import { renderDigest, type MailDirectory } from '../domain/mail-text.js';
import type { Notice } from '../domain/notices.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { MailFailure, MailLedgerStore } from '../store/mail-ledger.js';
import type { MailSender } from './mail-sender.js';
import { claimSend, type LeaseOptions } from './sent-ledger.js';
import { channelFor, sendChatOnce, type ChatDeps } from './chat.js';
import { RobotRateLimiter } from './channels/index.js';
import { renderChannelDigest } from '../domain/channel-text.js';
import { DEFAULT_PREFERENCE, mentionMobile, routeDigest, type NoticeChannel, type RobotChannel, type RobotConfig } from '../domain/notice-settings.js';
import type { NoticeSettingsStore } from '../store/notice-settings.js';

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
  /**
   * `directory`: where a person's name and address are today (absent in tests of the ledger alone);
   * `notices`: their channels and their department's robots (absent: e-mail only).
   */
  store: {
    mail: MailLedgerStore;
    directory?: { person(id: string): Promise<{ name: string; email: string; phone?: string; unit?: string; department?: string } | undefined> };
    notices?: Pick<NoticeSettingsStore, 'preference' | 'robotFor'>;
  };
  /** The chat robots' addresses, rate limiter and waits (issue 9). */
  chat?: ChatDeps;
  from: string;
  /** Where each mail's links lead; default the API's own address (PUBLIC_URL's default). */
  portalUrl?: string;
  /** The claim's lease; tests shorten it. */
  mailLease?: LeaseOptions;
  /** Told how late each digest went out (seconds from its slot) when it is really sent, and which it
   * was; the worker's histogram (worker/metrics.ts), absent where nobody measures. */
  observeLateness?: (seconds: number, digest: Digest) => void;
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

export type SendResult = {
  messageId: string;
  status: 'sent' | 'already-sent';
  where?: string;
  /** Each channel the digest went by (issue 9); absent in results of older versions (e-mail only). */
  via?: { channel: NoticeChannel; status: 'sent' | 'already-sent'; robotId?: string }[];
  /** Chat channels that refused for good, the digest e-mailed instead. */
  fallbacks?: { channel: RobotChannel; robotId: string; reason: string }[];
};

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

/** A digest of a batch (sendDigests): how it went, each on its own. */
export type DigestOutcome = { sent: SendResult } | { failed: string; permanent: boolean };

/** The attempt this activity is on (1 outside an activity's context: a direct call in a test). */
function attemptNow(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

export function createMailActivities(deps: MailDeps) {
  const portalUrl = deps.portalUrl ?? publicUrl(parseConfig({}));
  const chat: ChatDeps = { ...deps.chat, limiter: deps.chat?.limiter ?? new RobotRateLimiter() };

  /** The digest by e-mail, once. */
  function mail(d: Digest): Promise<SendResult> {
    return sendOnce(deps, d.key, () => {
      const { subject, text } = renderDigest(contextOf(d));
      return {
        to: mailbox(d.to), subject, text, date: new Date(d.slot),
        headers: { 'X-Perfcycle-Cycle': d.cycleId, 'X-Perfcycle-Slot': d.slot, 'X-Perfcycle-Items': d.notices.map((n) => `${n.deliverableId}:${n.kind}`).join(',') },
      };
    }, { cycleId: d.cycleId, personId: d.to.id });
  }

  function contextOf(d: Digest) {
    return {
      unitName: d.unit.name, cycleId: d.cycleId, to: d.to, notices: d.notices, timeZone: d.timeZone, portalUrl,
      ...(d.year && { year: d.year }), ...(d.directory && { directory: d.directory }),
    };
  }

  /** The digest by a chat robot, once: mentioning the person by mobile where the directory has one. */
  function toRobot(d: Digest, robot: RobotConfig, phone: string | undefined) {
    const channel = channelFor(robot, chat);
    const mobile = mentionMobile(phone);
    const mentions = mobile ? { mobiles: [mobile] } : undefined;
    const format = channel.formatFor(mentions);
    // Measured with the title it is sent with: DingTalk counts the title in its 20000 bytes, and a body
    // fitted without it could go over by the title and be refused (then mailed) instead of cut.
    const title = renderDigest(contextOf(d)).subject;
    const text = renderChannelDigest(contextOf(d), { format, fits: (body) => channel.fits({ title, body, format, ...(mentions && { mentions }) }) });
    return sendChatOnce({ ...chat, ledger: deps.store.mail, ...(deps.mailLease && { lease: deps.mailLease }) }, channel, d.key,
      { title: text.title, body: text.body, format, ...(mentions && { mentions }) }, { to: `${d.to.name} (${channel.robotId})`, cycleId: d.cycleId, personId: d.to.id });
  }

  /**
   * One digest to one person by the channels they chose (domain/notice-settings.ts routeDigest): each
   * chat channel once, e-mail once when chosen, and e-mail in place of any chat robot that refuses for
   * good. A temporary failure of any channel fails the attempt; the retry finds what went out already.
   */
  async function sendDigest(digest: Digest): Promise<SendResult> {
    // An address changes only in the organisation directory (issue 8): a running cycle mails the
    // address of today, not the one it started with. The Message-ID stays the digest's.
    const now = await deps.store.directory?.person(digest.to.id);
    const d = now ? { ...digest, to: { ...digest.to, name: now.name, email: now.email } } : digest;
    const pref = (await deps.store.notices?.preference(d.to.id)) ?? DEFAULT_PREFERENCE;
    const robots = new Map<RobotChannel, RobotConfig>();
    for (const c of pref.channels) {
      if (c === 'email' || !now?.unit) continue;
      const robot = await deps.store.notices?.robotFor(now.unit, now.department, c);
      if (robot) robots.set(c, robot);
    }
    const route = routeDigest(pref, new Set(robots.keys()), d.slot, d.timeZone);
    const via: NonNullable<SendResult['via']> = [];
    const fallbacks: NonNullable<SendResult['fallbacks']> = [];
    let first: { messageId: string; where?: string } | undefined;
    // A channel that fails for now does not hold back the others (a robot down for hours must not
    // keep the e-mail the person also chose): each is tried, then the first failure fails the attempt.
    let failed: { err: unknown } | undefined;
    for (const c of route.channels) {
      if (c === 'email') continue;
      const r = await toRobot(d, robots.get(c)!, now?.phone).catch((err: unknown) => void (failed ??= { err }));
      if (!r) continue;
      if (r.status === 'refused') {
        fallbacks.push({ channel: c, robotId: r.robotId, reason: r.reason });
      } else {
        via.push({ channel: c, status: r.status, robotId: r.robotId });
        first ??= { messageId: r.messageId, where: r.robotId };
      }
    }
    if (route.channels.includes('email') || fallbacks.length) {
      const r = await mail(d);
      via.push({ channel: 'email', status: r.status });
      first = { messageId: r.messageId, ...(r.where && { where: r.where }) };
    }
    if (failed) throw failed.err;
    const status = via.some((v) => v.status === 'sent') ? 'sent' : 'already-sent';
    // Only a digest that left now: a retry finding it already sent would count it twice, later.
    const lateness = (Date.now() - Date.parse(d.slot)) / 1000;
    if (status === 'sent' && Number.isFinite(lateness)) deps.observeLateness?.(lateness, digest);
    return { ...first!, status, via, ...(fallbacks.length && { fallbacks }) };
  }

  return {
    sendDigest,
    /**
     * The digests that fell due together, each sent on its own and at once (one that cannot get through
     * holds back nobody else's mail). While an attempt is not the last, a temporary failure of any fails
     * the attempt and Temporal tries again: what went out already is found in the ledger and not sent
     * twice. The last attempt answers for each (sent, or why not), and the cycle takes each from there.
     */
    async sendDigests({ digests, lastAttempt }: { digests: Digest[]; lastAttempt: number }): Promise<DigestOutcome[]> {
      const retry = attemptNow() > 1;
      const settled = await Promise.allSettled(digests.map(async (d) => {
        // A mail the server refused for good in an earlier attempt of the batch is not knocked again.
        const row = retry ? await deps.store.mail.get(messageIdFor(d.key)) : undefined;
        if (row?.state === 'sending' && row.last_error_kind === 'refused') {
          throw ApplicationFailure.nonRetryable(`邮件无法投递 / mail refused: ${row.last_error ?? ''}`, 'MailRefused');
        }
        return sendDigest(d);
      }));
      const permanent = (err: unknown) => err instanceof ApplicationFailure && err.nonRetryable === true;
      const temporary = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !permanent(r.reason));
      if (temporary && attemptNow() < lastAttempt) throw temporary.reason;
      return settled.map((r) => (r.status === 'fulfilled' ? { sent: r.value }
        : { failed: r.reason instanceof Error ? r.reason.message : String(r.reason), permanent: permanent(r.reason) }));
    },
  };
}
