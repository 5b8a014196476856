// Two workers, one database: each test builds two independent mail activities (own SMTP connection,
// own database pool) over the same database, as two worker processes would, and lets Temporal's
// retries be played by a loop. Whatever overlaps, crashes or fails, one message reaches the server.
// Leases are shortened to a second so a dead attempt's claim ends within the test.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createMailActivities, messageIdFor, type Digest, type SendResult } from '../../activities/mail.js';
import { smtpSender, type MailSender } from '../../activities/mail-sender.js';
import type { LeaseOptions } from '../../activities/sent-ledger.js';
import { openStore, type Store } from '../../store/index.js';
import { DB_KINDS, testStore } from '../helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { reminderDigest } from '../helpers/digest.js';

const LEASE: LeaseOptions = { leaseMs: 1_000, renewMs: 250 };
const FROM = 'perfcycle <perfcycle@test>';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let smtp: SmtpSink;
const senders: MailSender[] = [];
beforeAll(async () => { smtp = await startSmtpSink(); });
afterAll(async () => {
  for (const s of senders) s.close();
  await smtp?.close();
});
beforeEach(() => { smtp.messages.length = 0; });

/** A sender whose SMTP exchange takes `ms` longer, as with a slow server. */
function sender(delayMs = 0): MailSender {
  const s = smtpSender(smtp.url);
  senders.push(s);
  return delayMs ? { ...s, send: async (m) => { await sleep(delayMs); return s.send(m); } } : s;
}

const digest = (): Digest => reminderDigest('2020-01-28T09:00:00+08:00');

/** What Temporal does with an activity: run it again after a retryable failure, never after a non-retryable one. */
async function withRetries(run: () => Promise<SendResult>, gapMs = 100): Promise<{ result: SendResult; failures: unknown[] }> {
  const failures: unknown[] = [];
  for (;;) {
    try {
      return { result: await run(), failures };
    } catch (err) {
      if ((err instanceof ApplicationFailure && err.nonRetryable) || failures.length >= 50) throw err;
      failures.push(err);
      await sleep(gapMs);
    }
  }
}

const inFlight = (err: unknown) => err instanceof ApplicationFailure && err.type === 'MailInFlight' && !err.nonRetryable;

describe.each(DB_KINDS)('two workers sharing the sent-mail ledger on %s', (kind) => {
  let store: Store;
  let other: Store;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const t = await testStore(kind);
    store = t.store;
    other = await openStore(t.db.connection);
    close = async () => { await other.close(); await t.close(); };
  });
  afterAll(async () => close?.());

  const worker = (db: Store, delayMs = 0) => createMailActivities({ sender: sender(delayMs), store: db, from: FROM, mailLease: LEASE });

  it('the same digests sent by both at once arrive once each', async () => {
    const a = worker(store, 300);
    const b = worker(other, 300);
    const ds = [digest(), digest(), digest()];
    const runs = await Promise.all(ds.flatMap((d) => [withRetries(() => a.sendDigest(d)), withRetries(() => b.sendDigest(d))]));
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(ds.map((d) => messageIdFor(d.key)).sort());
    expect(runs.some((r) => r.failures.length > 0)).toBe(true); // the sends did overlap
    for (const [i, d] of ds.entries()) {
      const pair = runs.slice(2 * i, 2 * i + 2);
      expect(pair.map((r) => r.result.status).sort()).toEqual(['already-sent', 'sent']);
      // The loser met the winner's claim: a retryable MailInFlight, then found the mail sent.
      expect(pair.flatMap((r) => r.failures).every(inFlight)).toBe(true);
      expect(await store.mail.get(messageIdFor(d.key))).toMatchObject({ state: 'sent', attempts: 1 });
    }
  });

  it('a 421 on one worker, the retry on the other: one message, two attempts on record', async () => {
    const a = worker(store);
    const b = worker(other);
    const d = digest();
    smtp.failNext(1, 421);
    const runs = [() => a.sendDigest(d), () => b.sendDigest(d)];
    let n = 0;
    const { result, failures } = await withRetries(() => runs[n++ % 2]!());
    expect(result.status).toBe('sent');
    expect(failures.map((e) => (e as { responseCode?: number }).responseCode)).toEqual([421]);
    expect(smtp.messages).toHaveLength(1);
    expect(await other.mail.get(result.messageId)).toMatchObject({ state: 'sent', attempts: 2, lease_until: null });
    expect(await a.sendDigest(d)).toEqual({ messageId: result.messageId, status: 'already-sent', via: [{ channel: 'email', status: 'already-sent' }] });
    expect(smtp.messages).toHaveLength(1);
  });

  it('a claim left by a dead attempt is taken over when its lease ends, within seconds', async () => {
    const d = digest();
    const id = messageIdFor(d.key);
    // A worker that claimed the mail and died before sending: it never renews nor releases.
    const dead = await store.mail.claim(id, 'dead-worker/7/1', LEASE.leaseMs, { key: d.key, to: d.to.email, subject: '?' });
    expect(dead).toEqual({ ok: true, attempts: 1 });
    const started = Date.now();
    const { result, failures } = await withRetries(() => worker(other).sendDigest(d));
    const waited = Date.now() - started;
    expect(result.status).toBe('sent');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every(inFlight)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(LEASE.leaseMs - 100);
    expect(waited).toBeLessThan(LEASE.leaseMs + 2_000);
    expect(smtp.messages).toHaveLength(1);
    const row = await store.mail.get(id);
    expect(row).toMatchObject({ state: 'sent', attempts: 2, lease_until: null });
    expect(row?.owner).toMatch(/^local\//);
    expect(row?.sent_at).toBeInstanceOf(Date);
  });

  it('a send slower than the lease keeps its claim by renewing it, and heartbeats meanwhile', async () => {
    const slow = worker(store, 3 * LEASE.leaseMs);
    const d = digest();
    const env = new MockActivityEnvironment();
    let beats = 0;
    env.on('heartbeat', () => { beats += 1; });
    const first = env.run<[Digest], SendResult, typeof slow.sendDigest>(slow.sendDigest, d);
    // Well past the first lease: only renewals can still be holding the claim.
    await sleep(2 * LEASE.leaseMs);
    const overlapping = await worker(other).sendDigest(d).then(() => undefined, (e: unknown) => e);
    expect(inFlight(overlapping)).toBe(true);
    expect((await first).status).toBe('sent');
    expect(beats).toBeGreaterThanOrEqual(3 * LEASE.leaseMs / LEASE.renewMs - 2);
    expect(await worker(other).sendDigest(d)).toMatchObject({ status: 'already-sent' });
    expect(smtp.messages).toHaveLength(1);
    expect(await store.mail.get(messageIdFor(d.key))).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('a failed send gives its claim back at once: the retry does not wait for the lease', async () => {
    const d = digest();
    smtp.failNext(1, 452);
    const a = worker(store);
    await expect(a.sendDigest(d)).rejects.toMatchObject({ responseCode: 452 });
    expect(await store.mail.get(messageIdFor(d.key))).toMatchObject({ state: 'sending', owner: null, lease_until: null, attempts: 1 });
    const started = Date.now();
    expect((await worker(other).sendDigest(d)).status).toBe('sent');
    expect(Date.now() - started).toBeLessThan(LEASE.leaseMs);
    expect(smtp.messages).toHaveLength(1);
  });
});
