// The mail activity through a real SMTP server (smtp-server in-process) and the sent-mail ledger in
// the database: the message as it arrives, no second send for the same key, retryable and permanent
// failures, the .eml outbox. The ledger's behaviour runs on PGlite and on a real PostgreSQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createMailActivities, messageIdFor, type Digest, type DigestOutcome } from '../../activities/mail.js';
import { outboxSender, smtpSender, type MailSender } from '../../activities/mail-sender.js';
import { renderDigest } from '../../domain/mail-text.js';
import type { Notice } from '../../domain/notices.js';
import type { Store } from '../../store/index.js';
import { DB_KINDS, sharedStore, testStore } from '../helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { tempDir } from '../helpers/cycle.js';

let smtp: SmtpSink;
let sender: MailSender;
let store: Store;

beforeAll(async () => {
  smtp = await startSmtpSink();
  sender = smtpSender(smtp.url);
  store = await sharedStore();
});
afterAll(async () => {
  sender?.close();
  await smtp?.close();
});
beforeEach(() => {
  smtp.messages.length = 0;
});

const FROM = 'perfcycle <perfcycle@test>';
const SLOT = '2019-12-28T09:00:00+08:00';
let seq = 0;

function digest(extra: Partial<Digest> = {}): Digest {
  seq += 1;
  const cycleId = 'perfcycle-jinjiang-zrzy-2019';
  const notices: Notice[] = ['summary-law', 'summary-enforcement'].map((id) => ({
    slot: SLOT, to: 'head-xu', kind: 'reminder', deliverableId: id, daysBefore: 3, owner: 'head-xu',
    title: { zh: `${id} 年度工作总结`, en: `${id}: annual summary` }, due: '2020-01-31T23:59:59.999+08:00',
  }));
  return {
    key: `${cycleId}|head-xu|${SLOT}|${seq}|${Math.random()}`,
    cycleId,
    unit: { id: 'jinjiang-zrzy', name: '晋江市自然资源局' },
    timeZone: 'Asia/Shanghai',
    to: { id: 'head-xu', name: '许志强', email: 'head-xu@jinjiang.example', lang: 'zh-CN' },
    slot: SLOT,
    notices,
    ...extra,
  };
}

const header = (m: ParsedMail, name: string) => String(m.headers.get(name) ?? '');

describe('sendDigest over real SMTP', () => {
  it('mails the address the directory has today, not the one the cycle started with', async () => {
    await store.directory.importDirectory({ units: [], departments: [], people: [{ id: 'mover-li', name: '李明（新）', email: 'li-new@jinjiang.example' }] }, 'operator:test');
    const { sendDigest } = createMailActivities({ sender, store, from: FROM });
    await sendDigest(digest({ to: { id: 'mover-li', name: '李明', email: 'li-old@jinjiang.example', lang: 'zh-CN' } }));
    const m = smtp.messages[0]!;
    expect((Array.isArray(m.to) ? m.to[0] : m.to)?.value).toEqual([{ address: 'li-new@jinjiang.example', name: '李明（新）' }]);
  });

  it('delivers the message with To, Subject, Message-ID, Date = slot and the X-Perfcycle headers', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: FROM });
    const d = digest();
    // Plain call: the activity does not need an activity context.
    const res = await sendDigest(d);
    expect(res).toMatchObject({ status: 'sent', messageId: messageIdFor(d.key) });
    expect(res.messageId).toMatch(/^<[0-9a-f]{32}@perfcycle>$/);
    expect(res.where).toMatch(/^250/);

    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0]!;
    const to = Array.isArray(m.to) ? m.to[0] : m.to;
    expect(to?.value).toEqual([{ address: 'head-xu@jinjiang.example', name: '许志强' }]);
    expect(m.from?.value[0]?.address).toBe('perfcycle@test');
    // Without a portal address the links lead to the API's default one.
    const expected = renderDigest({ unitName: '晋江市自然资源局', cycleId: d.cycleId, to: d.to, notices: d.notices, timeZone: 'Asia/Shanghai', portalUrl: 'http://127.0.0.1:3000' });
    expect(m.subject).toBe(expected.subject);
    expect(m.subject).toBe('【绩效评估】晋江市自然资源局：2 项事项待您办理');
    expect(m.messageId).toBe(res.messageId);
    expect(m.date?.toISOString()).toBe(new Date(SLOT).toISOString());
    expect(header(m, 'x-perfcycle-cycle')).toBe('perfcycle-jinjiang-zrzy-2019');
    expect(header(m, 'x-perfcycle-slot')).toBe(SLOT);
    expect(header(m, 'x-perfcycle-items')).toBe('summary-law:reminder,summary-enforcement:reminder');
    expect(m.text?.trim()).toBe(expected.text.trim());
    expect(m.text).toContain('2020年1月31日（周五）24:00');
    expect(await store.mail.get(res.messageId)).toMatchObject({
      mail_key: d.key, recipient: '许志强 <head-xu@jinjiang.example>', subject: expected.subject, state: 'sent', attempts: 1, lease_until: null,
      delivered_to: res.where, owner: expect.stringMatching(/^local\//),
    });
  });

  it('names people and departments from the directory it is handed, and says which year', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: FROM, portalUrl: 'http://portal.test' });
    const base = digest();
    const d = {
      ...base, year: 2019, to: { id: 'leader-li', name: '李春华', email: 'leader-li@jinjiang.example', lang: 'zh-CN' as const },
      notices: base.notices.map((n) => ({ ...n, to: 'leader-li', kind: 'escalate-leader' as const, escalation: 1, waitingFor: 'head-xu', department: n.deliverableId.slice(8), slot: '2020-02-01T09:00:00+08:00', title: { zh: '年度工作总结', en: 'annual summary' } })),
      directory: { people: [{ id: 'head-xu', name: '许志强' }], departments: [{ id: 'law', name: '政策法规科' }, { id: 'enforcement', name: '执法大队' }] },
    };
    await sendDigest(d);
    const text = smtp.messages[0]?.text ?? '';
    expect(text).toContain('晋江市自然资源局 2019 年度绩效评估');
    expect(text).toContain('政策法规科（1 项）');
    expect(text).toContain('已逾期 1 天；应由许志强提交');
    expect(text).toContain('查看：http://portal.test/cycles/perfcycle-jinjiang-zrzy-2019/d/summary-law\n');
    expect(text.replace(/http:\S+/g, '')).not.toMatch(/head-xu|law|enforcement|需要您办理/);
  });

  it('runs the same inside a mock activity context, heartbeats, and names the attempt in the ledger', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: FROM });
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => { beats += 1; });
    const res = await env.run<[Digest], Awaited<ReturnType<typeof sendDigest>>, typeof sendDigest>(sendDigest, digest());
    expect(res.status).toBe('sent');
    expect(beats).toBeGreaterThanOrEqual(1);
    expect(smtp.messages).toHaveLength(1);
    // workflowId/activityId/attempt of the mock's info, then a tag unique to this attempt.
    expect((await store.mail.get(res.messageId))?.owner).toMatch(/^test\/test\/1\/[0-9a-f]{8}$/);
  });

  it('a 550 becomes a non-retryable ApplicationFailure of type MailRefused, and the claim is given back', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: FROM });
    const d = digest();
    smtp.failNext(1, 550);
    const err = await sendDigest(d).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe('MailRefused');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/mail refused/);
    expect(await store.mail.get(messageIdFor(d.key))).toMatchObject({ state: 'sending', owner: null, lease_until: null, attempts: 1 });
    expect(smtp.messages).toHaveLength(0);
  });

  it('sends a batch each on its own: a failure for now fails an attempt before the last (what went out is not sent again), the last says how each went', async () => {
    const { sendDigests } = createMailActivities({ sender, store, from: FROM });
    const [a, b, c] = [digest(), digest(), digest()];
    const run = (attempt: number) => new MockActivityEnvironment({ attempt }).run(sendDigests, { digests: [a, b, c], lastAttempt: 3 }) as Promise<DigestOutcome[]>;
    smtp.failNext(1, 421);
    const first = await run(1).then(() => undefined, (e: unknown) => e);
    expect(first).toBeInstanceOf(Error);
    expect(first).not.toBeInstanceOf(ApplicationFailure);
    expect(smtp.messages).toHaveLength(2);
    const refused = [a, b, c].find((d) => !smtp.messages.some((m) => m.messageId === messageIdFor(d.key)));
    // The last attempt: the two sent already are found in the ledger, the third goes now, each answered.
    const outcomes = await run(3);
    expect(outcomes.map((o) => ('sent' in o ? o.sent.status : 'failed'))).toEqual([a, b, c].map((d) => (d === refused ? 'sent' : 'already-sent')));
    expect(smtp.messages).toHaveLength(3);
    expect(new Set(smtp.messages.map((m) => m.messageId))).toEqual(new Set([a, b, c].map((d) => messageIdFor(d.key))));
    // A 550 beside a 421: the attempt fails for the 421; the next does not knock again for the 550, and
    // the last answers each (the refusal as given up).
    const [d, e] = [digest(), digest()];
    const twice = (attempt: number) => new MockActivityEnvironment({ attempt }).run(sendDigests, { digests: [d, e], lastAttempt: 3 }) as Promise<DigestOutcome[]>;
    smtp.failNext(1, 550);
    await expect(twice(1)).resolves.toHaveLength(2); // only a refusal: nothing to try again
    const before = smtp.messages.length;
    const last = await twice(3);
    expect(last.filter((o) => 'failed' in o)).toEqual([{ failed: expect.stringMatching(/mail refused/), permanent: true }]);
    expect(last.filter((o) => 'sent' in o)).toHaveLength(1);
    expect(smtp.messages.length).toBe(before);
  });

  it('a server that cannot be reached is retryable', async () => {
    const dead = smtpSender('smtp://127.0.0.1:1');
    try {
      const { sendDigest } = createMailActivities({ sender: dead, store, from: FROM });
      const d = digest();
      const err = await sendDigest(d).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ApplicationFailure);
      expect(await store.mail.isSent(messageIdFor(d.key))).toBe(false);
    } finally {
      dead.close();
    }
  });
});

describe.each(DB_KINDS)('the sent-mail ledger on %s', (kind) => {
  let db: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store: db, close } = await testStore(kind)));
  afterAll(async () => close?.());

  it('sends nothing the second time for the same key', async () => {
    const d = digest();
    const first = await createMailActivities({ sender, store: db, from: FROM }).sendDigest(d);
    // A new activities object over the same database, as after a worker restart.
    const again = await createMailActivities({ sender, store: db, from: FROM }).sendDigest(d);
    expect(first.status).toBe('sent');
    expect(again).toEqual({ messageId: first.messageId, status: 'already-sent', via: [{ channel: 'email', status: 'already-sent' }] });
    expect(smtp.messages).toHaveLength(1);
    // A different key (a later mail to the same person in the same slot) goes out.
    const other = await createMailActivities({ sender, store: db, from: FROM }).sendDigest({ ...d, key: `${d.key}|2` });
    expect(other.status).toBe('sent');
    expect(other.messageId).not.toBe(first.messageId);
    expect(smtp.messages).toHaveLength(2);
  });

  it('a 421 throws a retryable error and records nothing sent; the retry delivers exactly one', async () => {
    const { sendDigest } = createMailActivities({ sender, store: db, from: FROM });
    const d = digest();
    smtp.failNext(1, 421);
    const err = await sendDigest(d).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((err as { responseCode?: number }).responseCode).toBe(421);
    expect(await db.mail.isSent(messageIdFor(d.key))).toBe(false);
    expect(smtp.messages).toHaveLength(0);

    const retried = await sendDigest(d);
    expect(retried.status).toBe('sent');
    expect(await db.mail.get(messageIdFor(d.key))).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await sendDigest(d)).toMatchObject({ status: 'already-sent' });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.messageId).toBe(messageIdFor(d.key));
  });

  // Temporal may start a retry while a slow first attempt is still talking SMTP: the claim in the
  // ledger turns the overlapping attempt into a retryable MailInFlight, and its retry finds the mail sent.
  it('two overlapping attempts of the same digest deliver one message', async () => {
    const { sendDigest } = createMailActivities({ sender, store: db, from: FROM });
    const d = digest();
    const results = await Promise.allSettled([sendDigest(d), sendDigest(d)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ApplicationFailure);
    expect(failed.reason).toMatchObject({ type: 'MailInFlight', nonRetryable: false });
    expect(smtp.messages).toHaveLength(1);
    expect((await sendDigest(d)).status).toBe('already-sent');
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('sendDigest to the outbox', () => {
  it('writes a readable .eml file once', async () => {
    const dir = tempDir('outbox');
    const outbox = outboxSender(dir);
    const { sendDigest } = createMailActivities({ sender: outbox, store, from: FROM, portalUrl: 'http://127.0.0.1:3000' });
    const d = digest();
    const res = await sendDigest(d);
    expect(res.status).toBe('sent');
    expect(res.where?.startsWith(dir)).toBe(true);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^2019-12-28-01-00-[0-9a-f]{32}@perfcycle\.eml$/);
    expect(join(dir, files[0]!)).toBe(res.where);

    const m = await simpleParser(readFileSync(res.where!));
    const to = Array.isArray(m.to) ? m.to[0] : m.to;
    expect(to?.value[0]?.address).toBe('head-xu@jinjiang.example');
    expect(m.subject).toBe('【绩效评估】晋江市自然资源局：2 项事项待您办理');
    expect(m.messageId).toBe(messageIdFor(d.key));
    expect(m.date?.toISOString()).toBe(new Date(SLOT).toISOString());
    expect(header(m, 'x-perfcycle-items')).toBe('summary-law:reminder,summary-enforcement:reminder');
    expect(m.text).toContain('许志强，您好：');
    expect(m.text).toContain('办理：http://127.0.0.1:3000/cycles/perfcycle-jinjiang-zrzy-2019/d/summary-law\n');
    expect(m.text).toContain('2020年1月31日（周五）24:00');

    expect(await sendDigest(d)).toMatchObject({ status: 'already-sent' });
    expect(readdirSync(dir)).toHaveLength(1);
    outbox.close();
  });
});
