// Accounts (people of the directory, linked to cycles), sign-in links and sessions on both databases, and the one-time import of the JSON file
// the portal kept before the database.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLegacyFiles } from '../../client/legacy-import.js';
import type { Person } from '../../domain/cycle-file.js';
import { AccountConflict, tokenHash } from '../../store/accounts.js';
import type { Store } from '../../store/index.js';
import { tempDir } from '../helpers/cycle.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const person = (id: string, email = `${id}@jinjiang.example`, name = id): Person => ({ id, name, email, lang: 'zh-CN' });
const HOUR = 3_600_000;

describe.each(DB_KINDS)('account store on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await testStore(kind)), 60_000);
  afterAll(async () => close?.());

  const people = (...list: Person[]) => ({ units: [], departments: [], people: list });

  it('takes people from the directory; a cycle only links them; finds them by id or e-mail', async () => {
    await store.directory.importDirectory(people(person('lin'), person('wu'), person('cai')), 'operator:test');
    await store.accounts.addMembers('c1', ['lin', 'wu']);
    await store.accounts.addMembers('c2', ['lin', 'cai', 'lin']);
    await store.directory.updatePerson('lin', { name: '林' }, 'operator:test');
    const lin = await store.accounts.get('lin');
    expect(lin).toMatchObject({ name: '林', email: 'lin@jinjiang.example', cycles: ['c1', 'c2'], epoch: 0 });
    expect(lin?.password).toBeUndefined();
    expect(lin?.icalToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await store.accounts.find(' Lin@Jinjiang.Example ')).map((a) => a.id)).toEqual(['lin']);
    expect((await store.accounts.find('wu')).map((a) => a.id)).toEqual(['wu']);
    expect(await store.accounts.byIcalToken(lin!.icalToken)).toMatchObject({ id: 'lin' });
    const token = await store.accounts.newIcalToken('lin');
    expect(await store.accounts.byIcalToken(lin!.icalToken)).toBeUndefined();
    expect(await store.accounts.byIcalToken(token)).toMatchObject({ id: 'lin' });
  });

  it('links nobody when one id is not in the directory; one e-mail may serve several ids', async () => {
    const clash = store.accounts.addMembers('c3', ['wu', 'zheng']);
    await expect(clash).rejects.toBeInstanceOf(AccountConflict);
    await expect(clash).rejects.toThrow(/not in the organisation directory: zheng/);
    expect(await store.accounts.get('zheng')).toBeUndefined();
    expect((await store.accounts.get('wu'))?.cycles).toEqual(['c1']);

    await store.directory.importDirectory(people(person('office', 'shared@jinjiang.example'), person('office-2', 'shared@jinjiang.example')), 'operator:test');
    expect((await store.accounts.find('shared@jinjiang.example')).map((a) => a.id)).toEqual(['office', 'office-2']);
  });

  it('settles two imports of one new id with different e-mails at the same time: one after the other, both audited', async () => {
    const results = await Promise.allSettled([
      store.directory.importDirectory(people(person('race', 'race-a@example.com')), 'operator:a'),
      store.directory.importDirectory(people(person('race', 'race-b@example.com')), 'operator:b'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const lines = (await store.audit.list('directory')).filter((e) => e.subject === 'race');
    expect(lines.map((e) => e.action)).toEqual(['person-added', 'person-changed']);
    expect((await store.accounts.get('race'))?.email).toBe(lines[1]!.detail!.endsWith('race-a@example.com') ? 'race-a@example.com' : 'race-b@example.com');
    expect((await store.audit.verify('directory')).ok).toBe(true);
  });

  it('honours a sign-in link once, not after it expires, and only the newest one', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const first = await store.accounts.issueLink('cai', HOUR / 2, now);
    const link = await store.accounts.issueLink('cai', HOUR / 2, now);
    expect(await store.accounts.consumeLink(first, now)).toBeUndefined();
    expect(await store.accounts.consumeLink(link, now)).toMatchObject({ id: 'cai' });
    expect(await store.accounts.consumeLink(link, now)).toBeUndefined();

    const late = await store.accounts.issueLink('cai', HOUR / 2, now);
    expect(await store.accounts.consumeLink(late, new Date(now.getTime() + HOUR / 2))).toBeUndefined();
    // Spent by the late attempt: it does not work even with a clock put back.
    expect(await store.accounts.consumeLink(late, now)).toBeUndefined();
    const rows = await store.db.selectFrom('signin_links').selectAll().where('account_id', '=', 'cai').execute();
    expect(rows).toEqual([]);
  });

  it('keeps a session until it expires, is revoked, or a password change raises the epoch', async () => {
    const now = new Date('2026-03-01T09:00:00Z');
    const later = (ms: number) => new Date(now.getTime() + ms);
    let wu = (await store.accounts.get('wu'))!;
    const token = await store.accounts.startSession(wu, 'link', later(12 * HOUR), now);
    const stored = await store.db.selectFrom('sessions').select(['token_hash', 'epoch']).where('account_id', '=', 'wu').execute();
    expect(stored).toEqual([{ token_hash: tokenHash(token), epoch: 0 }]);

    expect(await store.accounts.session(token, later(HOUR))).toMatchObject({ account: { id: 'wu' }, method: 'link' });
    expect(await store.accounts.session(token, later(12 * HOUR))).toBeUndefined();
    expect(await store.accounts.session('not-a-token', now)).toBeUndefined();

    const other = await store.accounts.startSession(wu, 'password', later(12 * HOUR), now);
    await store.accounts.endSession(other, later(HOUR));
    expect(await store.accounts.session(other, later(HOUR))).toBeUndefined();
    expect(await store.accounts.session(token, later(HOUR))).toBeDefined();

    wu = await store.accounts.setPassword('wu', 'scrypt$fake-hash');
    expect(wu).toMatchObject({ epoch: 1, password: 'scrypt$fake-hash' });
    expect(await store.accounts.session(token, later(HOUR))).toBeUndefined();
    const fresh = await store.accounts.startSession(wu, 'password', later(12 * HOUR), later(HOUR));
    expect(await store.accounts.session(fresh, later(2 * HOUR))).toMatchObject({ account: { id: 'wu', epoch: 1 }, method: 'password' });
    // Starting it cleared the sessions of the older epoch, which could never count again.
    const left = await store.db.selectFrom('sessions').select('token_hash').where('account_id', '=', 'wu').execute();
    expect(left.map((r) => r.token_hash)).toEqual([tokenHash(fresh)]);
  });

  it('imports DATA_DIR/users.json of earlier versions once, with passwords, epochs, calendar tokens and cycles', async () => {
    const dataDir = tempDir(`legacy-${kind}`);
    const icalToken = 'legacy-ical-token-0123456789abcdef';
    const linkToken = 'legacy-link-token';
    const users = {
      version: 1,
      users: {
        'head-xu': {
          id: 'head-xu', name: '许', email: 'head-xu@jinjiang.example', lang: 'en', cycles: ['c-old', 'c-old-2'],
          password: 'scrypt$32768$8$1$salt$hash', epoch: 3, icalToken,
          link: { hash: tokenHash(linkToken), expires: new Date(Date.now() + HOUR).toISOString() },
        },
        // Known to the database already: the database's record stays.
        lin: { id: 'lin', name: 'old name', email: 'lin@jinjiang.example', lang: 'zh-CN', cycles: ['c-old'], epoch: 7, icalToken: 'another-legacy-ical-token-0123' },
      },
    };
    writeFileSync(join(dataDir, 'users.json'), JSON.stringify(users, null, 2));
    mkdirSync(join(dataDir, 'portal'));
    writeFileSync(join(dataDir, 'portal', 'session-secret'), 'x'.repeat(48));

    expect(await importLegacyFiles(store, dataDir)).toEqual(['1 accounts']);
    expect(existsSync(join(dataDir, 'users.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'users.json.imported'))).toBe(true);
    expect(existsSync(join(dataDir, 'portal', 'session-secret'))).toBe(false);

    const xu = await store.accounts.get('head-xu');
    expect(xu).toMatchObject({ name: '许', lang: 'en', cycles: ['c-old', 'c-old-2'], password: 'scrypt$32768$8$1$salt$hash', epoch: 3, icalToken });
    expect(await store.accounts.byIcalToken(icalToken)).toMatchObject({ id: 'head-xu' });
    expect(await store.accounts.consumeLink(linkToken)).toMatchObject({ id: 'head-xu' });
    expect(await store.accounts.get('lin')).toMatchObject({ name: '林', epoch: 0, cycles: ['c1', 'c2'] });

    // Once: the renamed file is not read again.
    expect(await importLegacyFiles(store, dataDir)).toEqual([]);
  });

  it('leaves a users.json it cannot read where it is, and says why', async () => {
    const dataDir = tempDir(`legacy-bad-${kind}`);
    writeFileSync(join(dataDir, 'users.json'), JSON.stringify({ version: 2, accounts: [] }));
    await expect(importLegacyFiles(store, dataDir)).rejects.toThrow(/not a version 1 accounts file/);
    expect(existsSync(join(dataDir, 'users.json'))).toBe(true);
  });
});
