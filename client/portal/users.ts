// The portal's accounts: the people of the cycles it knows, in DATA_DIR/users.json. An account is
// keyed by the person id the workflows use as the actor, so a signed-in user acts as exactly that id.
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Person } from '../../domain/cycle-file.js';
import { readJson, updateJson } from './json-file.js';

export interface Account {
  id: string;
  name: string;
  email: string;
  lang: 'zh-CN' | 'en';
  /** Cycles this person belongs to. */
  cycles: string[];
  /** scrypt hash (password.ts); absent until the user sets one after a link sign-in. */
  password?: string;
  /** Raised when the password changes or on "sign out everywhere": older sessions stop counting. */
  epoch: number;
  /** Secret part of the personal iCalendar address. */
  icalToken: string;
  /** The one outstanding sign-in link, as a hash: the link itself is only in the mail. */
  link?: { hash: string; expires: string };
}

interface UsersFile { version: 1; users: Record<string, Account> }

const EMPTY: UsersFile = { version: 1, users: {} };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

export class AccountConflict extends Error {}

export function userStore(dataDir: string) {
  const path = join(dataDir, 'users.json');
  const load = async () => (await readJson<UsersFile>(path, EMPTY)).users;
  const update = <R>(change: (users: Record<string, Account>) => R) =>
    updateJson(path, structuredClone(EMPTY), (file) => change(file.users), 0o600);

  return {
    path,
    get: async (id: string): Promise<Account | undefined> => (await load())[id],
    all: async (): Promise<Account[]> => Object.values(await load()),
    /** By id or e-mail (case-insensitive); one e-mail may belong to several ids. */
    async find(login: string): Promise<Account[]> {
      const l = login.trim().toLowerCase();
      return Object.values(await load()).filter((a) => a.id === l || a.email.toLowerCase() === l);
    },
    byIcalToken: async (token: string): Promise<Account | undefined> =>
      Object.values(await load()).find((a) => a.icalToken === token),

    /** Adds the people of one cycle; refuses a known id whose e-mail differs (it would hand the account to someone else). */
    addPeople(cycleId: string, people: Person[]): Promise<{ added: string[]; updated: string[] }> {
      return update((users) => {
        const clash = people.map((p, i) => ({ p, i })).find(({ p }) => users[p.id] && users[p.id]!.email.toLowerCase() !== p.email.toLowerCase());
        if (clash) {
          throw new AccountConflict(`people.${clash.i}.email: 账号 ${clash.p.id} 已存在，邮箱为 ${users[clash.p.id]!.email}，与 ${clash.p.email} 不一致 / account ${clash.p.id} exists with another e-mail`);
        }
        const added: string[] = [];
        const updated: string[] = [];
        for (const p of people) {
          const known = users[p.id];
          if (known) {
            users[p.id] = { ...known, name: p.name, lang: p.lang, cycles: [...new Set([...known.cycles, cycleId])] };
            updated.push(p.id);
          } else {
            users[p.id] = { id: p.id, name: p.name, email: p.email, lang: p.lang, cycles: [cycleId], epoch: 0, icalToken: newToken() };
            added.push(p.id);
          }
        }
        return { added, updated };
      });
    },

    /** A new sign-in link replaces any earlier one. Returns the secret token for the mail. */
    issueLink(id: string, ttlMs: number, now = new Date()): Promise<string> {
      const token = newToken();
      return update((users) => {
        const a = users[id];
        if (!a) throw new Error(`no account ${id}`);
        a.link = { hash: sha256(token), expires: new Date(now.getTime() + ttlMs).toISOString() };
        return token;
      });
    },

    /** One use only: the link is gone whether it was still valid or not. */
    consumeLink(token: string, now = new Date()): Promise<Account | undefined> {
      const hash = sha256(token);
      return update((users) => {
        const a = Object.values(users).find((u) => u.link?.hash === hash);
        if (!a?.link) return undefined;
        const valid = Date.parse(a.link.expires) > now.getTime();
        delete a.link;
        return valid ? structuredClone(a) : undefined;
      });
    },

    setPassword(id: string, hash: string): Promise<Account> {
      return update((users) => {
        const a = users[id];
        if (!a) throw new Error(`no account ${id}`);
        a.password = hash;
        a.epoch += 1;
        return structuredClone(a);
      });
    },

    newIcalToken(id: string): Promise<string> {
      return update((users) => {
        const a = users[id];
        if (!a) throw new Error(`no account ${id}`);
        a.icalToken = newToken();
        return a.icalToken;
      });
    },
  };
}

export type UserStore = ReturnType<typeof userStore>;
