// The portal's accounts, their cycles, sessions and one-time sign-in links. An account is keyed by the
// person id the workflows use as the actor. Secrets (session tokens, link tokens) are kept only as
// SHA-256 hashes: the token itself is with the person.
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { inTx, type Db, type Tx } from './db.js';

export interface Account {
  id: string;
  name: string;
  email: string;
  lang: 'zh-CN' | 'en';
  /** Cycles this person belongs to. */
  cycles: string[];
  /** scrypt hash; absent until the person sets a password. */
  password?: string;
  epoch: number;
  icalToken: string;
}

/** An account as the JSON file of earlier versions held it, with its outstanding sign-in link. */
export type RestoredAccount = Account & { link?: { hash: string; expires: string } };

export type SessionMethod = 'link' | 'password';

export class AccountConflict extends Error {}

export const newToken = () => randomBytes(32).toString('base64url');
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

async function load(tx: Tx, ids?: string[]): Promise<Account[]> {
  let q = tx.selectFrom('accounts').selectAll();
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', ids);
  }
  const rows = await q.orderBy('id').execute();
  if (rows.length === 0) return [];
  const members = await tx.selectFrom('cycle_members').selectAll().where('account_id', 'in', rows.map((r) => r.id)).orderBy('cycle_id').execute();
  return rows.map((r) => ({
    id: r.id, name: r.name, email: r.email, lang: r.lang as Account['lang'], epoch: r.epoch, icalToken: r.ical_token,
    cycles: members.filter((m) => m.account_id === r.id).map((m) => m.cycle_id),
    ...(r.password_hash && { password: r.password_hash }),
  }));
}

export function accountStore(db: Db) {
  const one = async (tx: Tx, id: string) => (await load(tx, [id]))[0];
  return {
    get: (id: string) => inTx(db, (tx) => one(tx, id)),
    all: () => inTx(db, (tx) => load(tx)),
    /** By id or e-mail (case-insensitive); one e-mail may belong to several ids. */
    find(login: string): Promise<Account[]> {
      const l = login.trim().toLowerCase();
      return inTx(db, async (tx) => {
        const ids = (await tx.selectFrom('accounts').select('id').where((eb) => eb.or([eb('id', '=', l), eb(sql`lower(email)`, '=', l)])).execute()).map((r) => r.id);
        return load(tx, ids);
      });
    },
    byIcalToken: (token: string) => inTx(db, async (tx) => {
      const r = await tx.selectFrom('accounts').select('id').where('ical_token', '=', token).executeTakeFirst();
      return r ? one(tx, r.id) : undefined;
    }),

    /**
     * Links people of the directory to a cycle. It never creates, renames or re-addresses an account:
     * who a person is comes from the directory alone (store/directory.ts).
     */
    addMembers(cycleId: string, ids: string[]): Promise<void> {
      return inTx(db, async (tx) => {
        const unique = [...new Set(ids)];
        if (unique.length === 0) return;
        const known = new Set((await tx.selectFrom('accounts').select('id').where('id', 'in', unique).execute()).map((r) => r.id));
        const missing = unique.filter((id) => !known.has(id));
        if (missing.length) throw new AccountConflict(`组织目录中没有 ${missing.join(', ')} / not in the organisation directory: ${missing.join(', ')}`);
        await tx.insertInto('cycle_members').values(unique.map((id) => ({ cycle_id: cycleId, account_id: id }))).onConflict((oc) => oc.doNothing()).execute();
      });
    },

    /**
     * Accounts carried over whole (password hash, epoch, calendar token, cycles) from the JSON file the
     * portal kept before the database. An id the database already has is left as it is: it is newer.
     */
    restore(accounts: RestoredAccount[], now = new Date()): Promise<string[]> {
      return inTx(db, async (tx) => {
        const restored: string[] = [];
        for (const a of accounts) {
          const inserted = await tx.insertInto('accounts').values({
            id: a.id, name: a.name, email: a.email, lang: a.lang, password_hash: a.password ?? null, epoch: a.epoch, ical_token: a.icalToken,
          }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
          if (!inserted) continue;
          restored.push(a.id);
          for (const cycleId of new Set(a.cycles)) {
            await tx.insertInto('cycle_members').values({ cycle_id: cycleId, account_id: a.id }).onConflict((oc) => oc.doNothing()).execute();
          }
          // Both kept a SHA-256 hex of the token, so a link mailed just before the upgrade still works.
          if (a.link && Date.parse(a.link.expires) > now.getTime()) {
            await tx.insertInto('signin_links').values({ token_hash: a.link.hash, account_id: a.id, expires_at: a.link.expires }).onConflict((oc) => oc.doNothing()).execute();
          }
        }
        return restored;
      });
    },

    /** A new sign-in link replaces any earlier one. Returns the secret token for the mail. */
    issueLink(id: string, ttlMs: number, now = new Date()): Promise<string> {
      const token = newToken();
      return inTx(db, async (tx) => {
        await tx.deleteFrom('signin_links').where('account_id', '=', id).execute();
        await tx.insertInto('signin_links').values({ token_hash: tokenHash(token), account_id: id, expires_at: new Date(now.getTime() + ttlMs) }).execute();
        return token;
      });
    },

    /** One use only: the link is gone whether it was still valid or not. */
    consumeLink(token: string, now = new Date()): Promise<Account | undefined> {
      return inTx(db, async (tx) => {
        const link = await tx.deleteFrom('signin_links').where('token_hash', '=', tokenHash(token)).returningAll().executeTakeFirst();
        if (!link || link.expires_at.getTime() <= now.getTime()) return undefined;
        return one(tx, link.account_id);
      });
    },

    /** Raises the epoch: every earlier session ends. */
    setPassword(id: string, hash: string): Promise<Account> {
      return inTx(db, async (tx) => {
        await tx.updateTable('accounts').set((eb) => ({ password_hash: hash, epoch: eb('epoch', '+', 1) })).where('id', '=', id).execute();
        const a = await one(tx, id);
        if (!a) throw new Error(`no account ${id}`);
        return a;
      });
    },

    newIcalToken(id: string): Promise<string> {
      const token = newToken();
      return inTx(db, async (tx) => {
        await tx.updateTable('accounts').set({ ical_token: token }).where('id', '=', id).execute();
        return token;
      });
    },

    /** A new session; returns the bearer token (also the cookie's value). Drops the account's sessions that can no longer count. */
    startSession(account: Pick<Account, 'id' | 'epoch'>, method: SessionMethod, expiresAt: Date, now = new Date()): Promise<string> {
      const token = newToken();
      return inTx(db, async (tx) => {
        await tx.deleteFrom('sessions').where('account_id', '=', account.id)
          .where((eb) => eb.or([eb('expires_at', '<=', now), eb('epoch', '<', account.epoch)])).execute();
        await tx.insertInto('sessions').values({ token_hash: tokenHash(token), account_id: account.id, method, epoch: account.epoch, expires_at: expiresAt }).execute();
        return token;
      });
    },

    /** The session's account, unless it expired, was revoked, or the account's epoch moved on. */
    session(token: string, now = new Date()): Promise<{ account: Account; method: SessionMethod } | undefined> {
      return inTx(db, async (tx) => {
        const s = await tx.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
        if (!s || s.revoked_at || s.expires_at.getTime() <= now.getTime()) return undefined;
        const account = await one(tx, s.account_id);
        if (!account || account.epoch !== s.epoch) return undefined;
        return { account, method: s.method as SessionMethod };
      });
    },

    /** Logging out: the token is refused from now on, wherever it is used. */
    endSession(token: string, now = new Date()): Promise<void> {
      return inTx(db, async (tx) => {
        await tx.updateTable('sessions').set({ revoked_at: now }).where('token_hash', '=', tokenHash(token)).where('revoked_at', 'is', null).execute();
      });
    },
  };
}

export type AccountStore = ReturnType<typeof accountStore>;
