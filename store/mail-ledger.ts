// Which mails have gone out, keyed by their deterministic Message-ID, shared by every worker. A send is
// first claimed with a lease (renewed while it runs), so an overlapping attempt backs off and a crashed
// one's claim ends when its lease does, not minutes later. Failed attempts leave their reason here, so
// the cycle's dashboard can say which mails are held up and why.
import { sql } from 'kysely';
import { inTx, type Db } from './db.js';

/** Why an attempt failed, in kinds people can be told about (the portal's words are per kind). */
export type MailErrorKind = 'busy' | 'unreachable' | 'timeout' | 'refused' | 'cut-off' | 'other';
export interface MailFailure { kind: MailErrorKind; message: string }

/** `channel`: 'email' unless a chat robot's message (issue 9), which names its robot by hash. */
export interface MailInfo { key: string; to: string; subject: string; cycleId?: string; personId?: string; channel?: string; robotId?: string }

export type Claim = { ok: true; attempts: number } | { ok: false; state: 'sent' | 'sending' };

/** One mail of a cycle that failed at least once: still being retried, refused for good, or delivered since. */
export interface MailTrouble {
  messageId: string;
  /** 'email', or the chat robot's channel (issue 9). */
  channel: string;
  personId: string | null;
  recipient: string;
  subject: string;
  state: 'retrying' | 'refused' | 'delivered';
  /** Attempts made (claims), and how many of them failed. */
  attempts: number;
  failures: number;
  /** The latest failure; none once delivered. */
  error?: MailFailure;
  /** The first failure (or when a cut-off attempt's claim ended). */
  since: Date;
  sentAt: Date | null;
}

/** One person's messages on one channel in a cycle. */
export interface ChannelReach { personId: string; channel: string; sent: number; refused: number; pending: number; lastSentAt: Date | null }

const leaseEnd = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

/** Every cycle's mail keys start with the cycle's workflow id and '|' (digests and result mails alike). */
export const cycleOfKey = (key: string): string | null => (key.includes('|') ? key.slice(0, key.indexOf('|')) : null);

const clip = (s: string) => (s.length > 500 ? `${s.slice(0, 499)}…` : s);

export function mailLedgerStore(db: Db) {
  return {
    async isSent(messageId: string): Promise<boolean> {
      return inTx(db, async (tx) => (await tx.selectFrom('mail_ledger').select('state').where('message_id', '=', messageId).executeTakeFirst())?.state === 'sent');
    },

    /**
     * Takes the send for `owner` unless it was sent, or another attempt holds a live lease. Taking over a
     * lease that ran out records that attempt as failed: its worker stopped (or lost the database) mid-send.
     */
    claim(messageId: string, owner: string, leaseMs: number, info: MailInfo): Promise<Claim> {
      return inTx(db, async (tx) => {
        await tx.insertInto('mail_ledger').values({
          message_id: messageId, mail_key: info.key, recipient: info.to, subject: info.subject, state: 'sending', owner: null, lease_until: null, attempts: 0,
          cycle_id: info.cycleId ?? cycleOfKey(info.key), person_id: info.personId ?? null, channel: info.channel ?? 'email', robot_id: info.robotId ?? null,
          last_error_kind: null, last_error: null, failed_since: null, last_failed_at: null,
        }).onConflict((oc) => oc.doNothing()).execute();
        const row = await tx.selectFrom('mail_ledger').select(['state', 'owner', 'lease_until', sql<boolean>`lease_until is not null and lease_until > now()`.as('live')])
          .where('message_id', '=', messageId).forUpdate().executeTakeFirstOrThrow();
        if (row.state === 'sent') return { ok: false, state: 'sent' } as const;
        if (row.live && row.owner !== owner) return { ok: false, state: 'sending' } as const;
        const cutOff = row.owner !== null && row.owner !== owner && row.lease_until !== null;
        const r = await tx.updateTable('mail_ledger').set((eb) => ({
          owner, lease_until: leaseEnd(leaseMs), attempts: eb('attempts', '+', 1), updated_at: sql`now()`,
          ...(cutOff && {
            failures: eb('failures', '+', 1), last_error_kind: 'cut-off',
            last_error: clip(`attempt ${row.owner} stopped renewing its claim (lease ended ${new Date(row.lease_until!).toISOString()})`),
            failed_since: sql`coalesce(failed_since, ${row.lease_until})`, last_failed_at: row.lease_until,
          }),
        })).where('message_id', '=', messageId).returning('attempts').executeTakeFirstOrThrow();
        return { ok: true, attempts: r.attempts } as const;
      });
    },

    /** Extends a held lease; false if the claim was lost (another attempt took it over). */
    renew(messageId: string, owner: string, leaseMs: number): Promise<boolean> {
      return inTx(db, async (tx) => {
        const r = await tx.updateTable('mail_ledger').set({ lease_until: leaseEnd(leaseMs), updated_at: sql`now()` })
          .where('message_id', '=', messageId).where('owner', '=', owner).where('state', '=', 'sending').executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      });
    },

    /**
     * Records the server's acceptance, whoever holds the claim now: the mail is out either way. The first
     * acceptance stays on record (`state = 'sending'`), should an attempt that lost its lease also get through.
     * The failure count stays (delivered after N failures); the error is over.
     */
    markSent(messageId: string, owner: string, deliveredTo: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.updateTable('mail_ledger').set({
          state: 'sent', owner, sent_at: sql`now()`, delivered_to: deliveredTo, lease_until: null, updated_at: sql`now()`, last_error_kind: null, last_error: null,
        }).where('message_id', '=', messageId).where('state', '=', 'sending').execute();
      });
    },

    /**
     * Gives a claim back at once, so the retry need not wait for the lease; with a failure, records it
     * (the count, the reason, since when). Only the holder's own claim: a lost claim is someone else's now.
     */
    release(messageId: string, owner: string, failure?: MailFailure): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.updateTable('mail_ledger').set((eb) => ({
          owner: null, lease_until: null, updated_at: sql`now()`,
          ...(failure && {
            failures: eb('failures', '+', 1), last_error_kind: failure.kind, last_error: clip(failure.message),
            failed_since: sql`coalesce(failed_since, now())`, last_failed_at: sql`now()`,
          }),
        })).where('message_id', '=', messageId).where('owner', '=', owner).where('state', '=', 'sending').execute();
      });
    },

    /**
     * Who was reached by which channel in a cycle (issue 9): per person and channel, the messages sent,
     * refused for good (a chat robot's refusal falls back to e-mail) and not yet through, and the latest sent.
     */
    reach(cycleId: string): Promise<ChannelReach[]> {
      return inTx(db, async (tx) => {
        const rows = await tx.selectFrom('mail_ledger')
          .select(['person_id', 'channel',
            sql<number>`count(*) filter (where state = 'sent')::int`.as('sent'),
            sql<number>`count(*) filter (where state = 'sending' and last_error_kind = 'refused')::int`.as('refused'),
            sql<number>`count(*) filter (where state = 'sending' and coalesce(last_error_kind, '') <> 'refused')::int`.as('pending'),
            sql<Date | null>`max(sent_at)`.as('last_sent_at')])
          .where('cycle_id', '=', cycleId).where('person_id', 'is not', null)
          .groupBy(['person_id', 'channel']).orderBy('person_id').orderBy('channel').execute();
        return rows.map((r) => ({ personId: r.person_id!, channel: r.channel, sent: r.sent, refused: r.refused, pending: r.pending, lastSentAt: r.last_sent_at ? new Date(r.last_sent_at) : null }));
      });
    },

    get(messageId: string) {
      return inTx(db, (tx) => tx.selectFrom('mail_ledger').selectAll().where('message_id', '=', messageId).executeTakeFirst());
    },

    /**
     * The cycle's mails in trouble: those not sent after a failure, or whose sending attempt stopped
     * renewing its claim (a worker killed mid-send, before any retry noticed); and those delivered, or
     * refused for good, within the last `recentMs` (a day by default).
     */
    troubles(cycleId: string, opts: { recentMs?: number } = {}): Promise<MailTrouble[]> {
      const recent = sql<Date>`now() - make_interval(secs => ${(opts.recentMs ?? 86_400_000) / 1000})`;
      return inTx(db, async (tx) => {
        const rows = await tx.selectFrom('mail_ledger')
          .select(['message_id', 'channel', 'person_id', 'recipient', 'subject', 'state', 'owner', 'attempts', 'failures', 'last_error_kind', 'last_error', 'failed_since', 'lease_until', 'sent_at',
            sql<boolean>`owner is not null and lease_until <= now()`.as('lapsed'), sql<boolean>`coalesce(last_failed_at > ${recent}, false)`.as('fresh')])
          .where('cycle_id', '=', cycleId)
          .where((eb) => eb.or([
            eb.and([eb('state', '=', 'sending'), eb.or([eb('failures', '>', 0), eb.and([eb('owner', 'is not', null), eb('lease_until', '<=', sql<Date>`now()`)])])]),
            eb.and([eb('state', '=', 'sent'), eb('failures', '>', 0), eb('sent_at', '>', recent)]),
          ]))
          .orderBy(sql`coalesce(failed_since, lease_until)`).orderBy('message_id').execute();
        const out: MailTrouble[] = [];
        for (const r of rows) {
          const base = { messageId: r.message_id, channel: r.channel, personId: r.person_id, recipient: r.recipient, subject: r.subject, attempts: r.attempts, failures: r.failures, sentAt: r.sent_at ? new Date(r.sent_at) : null };
          if (r.state === 'sent') {
            out.push({ ...base, state: 'delivered', since: new Date(r.failed_since!) });
          } else if (r.lapsed) {
            // Cut off, and no retry has taken over yet: the row still names the silent attempt.
            out.push({ ...base, state: 'retrying', since: new Date(r.failed_since ?? r.lease_until!), error: { kind: 'cut-off', message: `attempt ${r.owner} stopped renewing its claim` } });
          } else if (r.last_error_kind === 'refused') {
            if (r.fresh) out.push({ ...base, state: 'refused', since: new Date(r.failed_since!), error: { kind: 'refused', message: r.last_error ?? '' } });
          } else {
            out.push({ ...base, state: 'retrying', since: new Date(r.failed_since!), error: { kind: (r.last_error_kind ?? 'other') as MailErrorKind, message: r.last_error ?? '' } });
          }
        }
        return out;
      });
    },
  };
}

export type MailLedgerStore = ReturnType<typeof mailLedgerStore>;
