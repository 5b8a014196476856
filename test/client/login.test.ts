// The CLI as a client with an identity (issue 8, deliverable 2): `perfcycle login` by password or by the
// mailed link, `--as` only picks a stored sign-in, the server decides who acts, logout ends the session
// on the server, and the credentials file is its owner's alone.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleClient } from '../../client/cycle-client.js';
import { hashPassword } from '../../client/portal/password.js';
import type { AuditEntry } from '../../domain/audit.js';
import { lastLinkToken } from '../api/harness.js';
import { cliServer, PASSWORD, runCli, setPasswords, startCycle, type CliApi, type CliServer } from '../helpers/cli.js';
import { exampleCycle, tempDir } from '../helpers/cycle.js';

const dir = tempDir('login');
const YEAR = new Date().getFullYear() + 1;

let server: CliServer;
let client: CycleClient;
let api: CliApi;
let cycleId: string;

const cli = (args: string[], input?: string | Promise<string>) => runCli(args, server.cliEnv, input);
const login = (id: string) => cli(['login', id, '--password-stdin'], `${PASSWORD}\n`);
const credentials = () => join(api.env.PERFCYCLE_HOME!, 'sessions.json');
const stored = () => JSON.parse(readFileSync(credentials(), 'utf8')) as Record<string, Record<string, { token: string; name: string; expiresAt: string }>>;

async function auditUntil(seen: (e: AuditEntry[]) => boolean): Promise<AuditEntry[]> {
  for (let i = 0; i < 50; i += 1) {
    const entries = await client.audit(cycleId);
    if (seen(entries)) return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
  return client.audit(cycleId);
}

beforeAll(async () => {
  server = await cliServer(dir);
  ({ client, api } = server);
  cycleId = await startCycle(client, exampleCycle('cli-login', (f) => { f.year = YEAR; f.calendar = {}; }));
  await setPasswords(client, ['office-lin', 'leader-li', 'hr-reviewer']);
}, 120_000);
afterAll(() => server?.close(), 60_000);

describe('perfcycle login, --as, logout', () => {
  it('signs in by password; the credentials file is 0600 in a 0700 directory; whoami names the person and their roles', async () => {
    const r = await login('office-lin');
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`signed in: 林晓燕（局办公室） (office-lin) @ ${api.url}`);
    expect(statSync(credentials()).mode & 0o777).toBe(0o600);
    expect(statSync(api.env.PERFCYCLE_HOME!).mode & 0o777).toBe(0o700);
    const session = stored()[api.url]?.['office-lin'];
    expect(session).toMatchObject({ name: '林晓燕（局办公室）', token: expect.stringMatching(/^[A-Za-z0-9_-]{40,}$/) });
    expect(Date.parse(session!.expiresAt)).toBeGreaterThan(Date.now());

    const who = await cli(['whoami']);
    expect(who.code).toBe(0);
    expect(who.stdout).toMatch(new RegExp(`林晓燕（局办公室）\\s+office-lin\\s+${api.url.replace(/\./g, '\\.')}`));
    expect(who.stdout).toContain(`${cycleId} (coordinator`);

    const wrong = await cli(['login', 'office-lin', '--password-stdin'], 'not the password\n');
    expect([wrong.code, wrong.stdout]).toEqual([1, '']);
    expect(wrong.stderr).toContain('wrong account or password');
  });

  it('signs in by the mailed link: the prompt asks for it in zh-CN, then English; a pasted link works once', async () => {
    const before = await lastLinkToken(api.dataDir, 'hr-reviewer');
    // The link is mailed once the CLI has asked for it: paste it when it arrives.
    const pasted = (async () => {
      for (let i = 0; i < 100; i += 1) {
        const token = await lastLinkToken(api.dataDir, 'hr-reviewer');
        if (token && token !== before) return `http://perfcycle.test/auth/link/${token}\n`;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no link mail for hr-reviewer');
    })();
    const r = await cli(['login', 'hr-reviewer'], pasted);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^登录链接已发往 hr-reviewer 的邮箱：请粘贴该链接（或链接末尾的代码）后回车\nA sign-in link was mailed to hr-reviewer: paste the link/);
    expect(r.stdout).toContain('signed in: 市人社局考核科 (hr-reviewer)');

    // The same link again (here its bare code): used up.
    const again = await cli(['login', 'hr-reviewer'], (await pasted).split('/').pop()!);
    expect([again.code, again.stderr]).toEqual([1, expect.stringContaining('invalid, used or expired link')]);
    const garbage = await cli(['login', 'hr-reviewer'], 'hello?\n');
    expect([garbage.code, garbage.stderr]).toEqual([1, expect.stringContaining('not a sign-in link or its code')]);
    // A failed sign-in leaves the stored one alone.
    expect(stored()[api.url]?.['hr-reviewer']?.name).toBe('市人社局考核科');
  });

  it('--link: a link already in hand (an administrator printed it) signs in without mailing another; someone else\'s is refused and its session ended', async () => {
    const token = await client.store.accounts.issueLink('leader-li', 60_000);
    const r = await cli(['login', 'leader-li', '--link', `http://perfcycle.test/auth/link/${token}`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(stored()[api.url]?.['leader-li']).toBeDefined();

    const hers = await client.store.accounts.issueLink('hr-reviewer', 60_000);
    const wrong = await cli(['login', 'leader-li', '--link', hers]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining("the link is 市人社局考核科's, not leader-li's")]);
    // The stored sign-in of leader-li is the earlier one, and the session the wrong link made is gone.
    expect(stored()[api.url]?.['leader-li']?.name).not.toBe('市人社局考核科');
  });

  it('--as naming someone not signed in here: exit 1 saying to log in; with several sign-ins and no --as: asks to choose', async () => {
    const [nobody, several] = await Promise.all([
      cli(['approve', cycleId, 'plan', '--as', 'leader-wang']),
      cli(['approve', cycleId, 'plan']),
    ]);
    expect([nobody.code, nobody.stdout]).toEqual([1, '']);
    expect(nobody.stderr).toContain('未以 leader-wang 登录，请先运行 perfcycle login leader-wang / not signed in as leader-wang: run perfcycle login leader-wang');
    expect([several.code, several.stderr]).toEqual([1, expect.stringContaining('choose one with --as')]);
  });

  it('a person cannot act as someone else: leader-li approving the plan is refused (403), and the audit names leader-li', async () => {
    expect((await login('leader-li')).code).toBe(0);
    const submitted = await cli(['submit', cycleId, 'plan', '--as', 'office-lin', '--note', '方案']);
    expect([submitted.code, submitted.stderr]).toEqual([0, '']);
    const r = await cli(['approve', cycleId, 'plan', '--as', 'leader-li', '--json']);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/李春华（副局长） may not (approve|see) plan/);

    const entries = await auditUntil((e) => e.some((x) => x.action === 'refused' && x.actor === 'leader-li'));
    const refusal = entries.find((x) => x.action === 'refused' && x.actor === 'leader-li');
    expect(refusal).toMatchObject({ subject: 'plan', detail: expect.stringMatching(/^approve: /) });
    // Nobody approved anything, least of all in the reviewer's name.
    expect(entries.filter((x) => x.action === 'approved')).toEqual([]);
    expect(entries.find((x) => x.action === 'submitted')).toMatchObject({ actor: 'office-lin', subject: 'plan' });
  });

  it('a session ended on the server (a new password ends older ones): the CLI says to log in again and forgets it', async () => {
    expect((await login('leader-li')).code).toBe(0);
    await client.store.accounts.setPassword('leader-li', await hashPassword(PASSWORD));
    const r = await cli(['approve', cycleId, 'plan', '--as', 'leader-li']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the session of leader-li has ended: run perfcycle login leader-li');
    expect(stored()[api.url]?.['leader-li']).toBeUndefined();
  });

  it('logout ends the session on the server: the old token is refused (401) and the file forgets it', async () => {
    const token = stored()[api.url]?.['office-lin']?.token;
    expect(token).toBeDefined();
    const me = () => fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me()).status).toBe(200);

    const r = await cli(['logout', '--as', 'office-lin']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('signed out: 林晓燕（局办公室） (office-lin)');
    expect((await me()).status).toBe(401);
    expect(stored()[api.url]?.['office-lin']).toBeUndefined();
    expect(statSync(credentials()).mode & 0o777).toBe(0o600);

    const after = await cli(['submit', cycleId, 'plan', '--as', 'office-lin']);
    expect([after.code, after.stderr]).toEqual([1, expect.stringContaining('not signed in as office-lin')]);
  });

  it('a damaged credentials file: exit 1 naming it, nothing sent', async () => {
    const home = tempDir('login-damaged');
    writeFileSync(join(home, 'sessions.json'), '{ not json');
    const r = await runCli(['whoami'], { ...server.cliEnv, PERFCYCLE_HOME: home });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining(`the credentials file is damaged: delete ${join(home, 'sessions.json')}`)]);
  });
});
