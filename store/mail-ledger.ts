// Which mails have gone out, keyed by their deterministic Message-ID, shared by every worker. A send is
// first claimed with a lease (renewed while it runs), so an overlapping attempt backs off and a crashed
// one's claim ends when its lease does, not minutes later.
import { sql } from 'kysely';
import { inTx, type Db } from './db.js';

export interface MailInfo { key: string; to: string; subject: string }

export type Claim = { ok: true; attempts: number } | { ok: false; state: 'sent' | 'sending' };

const leaseEnd = (ms: number) => sql<Date>`now() + make_interval(secs => ${ms / 1000})`;

export function mailLedgerStore(db: Db) {
  return {
    async isSent(messageId: string): Promise<boolean> {
      return inTx(db, async (tx) => (await tx.selectFrom('mail_ledger').select('state').where('message_id', '=', messageId).executeTakeFirst())?.state === 'sent');
    },

    /** Takes the send for `owner` unless it was sent, or another attempt holds a live lease. */
    claim(messageId: string, owner: string, leaseMs: number, info: MailInfo): Promise<Claim> {
      return inTx(db, async (tx) => {
        await tx.insertInto('mail_ledger').values({
          message_id: messageId, mail_key: info.key, recipient: info.to, subject: info.subject, state: 'sending', owner: null, lease_until: null, attempts: 0,
        }).onConflict((oc) => oc.doNothing()).execute();
        const row = await tx.selectFrom('mail_ledger').select(['state', 'owner', sql<boolean>`lease_until is not null and lease_until > now()`.as('live')])
          .where('message_id', '=', messageId).forUpdate().executeTakeFirstOrThrow();
        if (row.state === 'sent') return { ok: false, state: 'sent' } as const;
        if (row.live && row.owner !== owner) return { ok: false, state: 'sending' } as const;
        const r = await tx.updateTable('mail_ledger').set((eb) => ({ owner, lease_until: leaseEnd(leaseMs), attempts: eb('attempts', '+', 1), updated_at: sql`now()` }))
          .where('message_id', '=', messageId).returning('attempts').executeTakeFirstOrThrow();
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
     */
    markSent(messageId: string, owner: string, deliveredTo: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.updateTable('mail_ledger').set({ state: 'sent', owner, sent_at: sql`now()`, delivered_to: deliveredTo, lease_until: null, updated_at: sql`now()` })
          .where('message_id', '=', messageId).where('state', '=', 'sending').execute();
      });
    },

    /** Gives a failed attempt's claim back at once, so the retry need not wait for the lease. */
    release(messageId: string, owner: string): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.updateTable('mail_ledger').set({ owner: null, lease_until: null, updated_at: sql`now()` })
          .where('message_id', '=', messageId).where('owner', '=', owner).where('state', '=', 'sending').execute();
      });
    },

    get(messageId: string) {
      return inTx(db, (tx) => tx.selectFrom('mail_ledger').selectAll().where('message_id', '=', messageId).executeTakeFirst());
    },
  };
}

export type MailLedgerStore = ReturnType<typeof mailLedgerStore>;
