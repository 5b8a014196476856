// Issue 10, item 4: how late each reminder mail goes out against its slot, as the worker's histogram
// (worker/metrics.ts) served on its own /metrics. Real SMTP (smtp-server in-process) and the sent-mail
// ledger in the database; the activities built as the worker builds them (activityDepsFor).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { createMailActivities, type Digest } from '../../activities/mail.js';
import { smtpSender, type MailSender } from '../../activities/mail-sender.js';
import { parseConfig } from '../../domain/config.js';
import type { Store } from '../../store/index.js';
import { activityDepsFor } from '../../worker/create-worker.js';
import { createWorkerMetrics, LATENESS_BUCKETS, LATENESS_METRIC, serveMetrics, type MetricsServer, type WorkerMetrics } from '../../worker/metrics.js';
import { sharedStore } from '../helpers/db.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';
import { reminderDigest } from '../helpers/digest.js';

let smtp: SmtpSink;
let sender: MailSender;
let store: Store;
let metrics: WorkerMetrics;
let server: MetricsServer;

beforeAll(async () => {
  smtp = await startSmtpSink();
  sender = smtpSender(smtp.url);
  store = await sharedStore();
});
afterAll(async () => {
  sender?.close();
  await smtp?.close();
});
beforeEach(async () => {
  smtp.messages.length = 0;
  await server?.close();
  metrics = createWorkerMetrics({ processMetrics: false });
  server = await serveMetrics(metrics.registry, '127.0.0.1:0');
});
afterAll(async () => server?.close());

/** A digest whose slot was `secondsAgo` before now. */
const digest = (secondsAgo: number): Digest => reminderDigest(new Date(Date.now() - secondsAgo * 1000).toISOString());

/** The histogram as Prometheus reads it from the worker's endpoint: bucket counts by `le`, count and sum. */
async function scraped(): Promise<{ buckets: Map<string, number>; count: number; sum: number; contentType: string }> {
  const res = await fetch(`http://${server.address}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const buckets = new Map<string, number>();
  for (const m of text.matchAll(new RegExp(`^${LATENESS_METRIC}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) buckets.set(m[1]!, Number(m[2]));
  const value = (suffix: string) => Number(new RegExp(`^${LATENESS_METRIC}_${suffix} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { buckets, count: value('count'), sum: value('sum'), contentType: res.headers.get('content-type') ?? '' };
}

describe('reminder lateness (perfcycle_reminder_lateness_seconds)', () => {
  it('observes a digest sent 90 s after its slot in the bucket above 90 s, served on the worker\'s /metrics', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: 'perfcycle <perfcycle@test>', observeLateness: metrics.observeLateness });
    expect(await sendDigest(digest(90))).toMatchObject({ status: 'sent' });
    expect(smtp.messages).toHaveLength(1);
    const h = await scraped();
    expect(h.contentType).toMatch(/^text\/plain/);
    expect(h.count).toBe(1);
    expect(h.sum).toBeGreaterThanOrEqual(90);
    expect(h.sum).toBeLessThan(120);
    expect(h.buckets.get('70')).toBe(0);
    expect(h.buckets.get('90')).toBe(0);
    expect(h.buckets.get('120')).toBe(1);
    expect(h.buckets.get('+Inf')).toBe(1);
    expect([...h.buckets.keys()]).toEqual([...LATENESS_BUCKETS.map(String), '+Inf']);
  });

  it('counts a mail once: a retry that finds it already sent is not observed again', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: 'perfcycle <perfcycle@test>', observeLateness: metrics.observeLateness });
    const d = digest(3600 * 5);
    expect(await sendDigest(d)).toMatchObject({ status: 'sent' });
    expect(await sendDigest(d)).toMatchObject({ status: 'already-sent' });
    const h = await scraped();
    expect(h.count).toBe(1);
    expect(h.buckets.get('3600')).toBe(0);
    expect(h.buckets.get('21600')).toBe(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it('does not observe an attempt the SMTP server refused; the retry that sends it is observed, later', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: 'perfcycle <perfcycle@test>', observeLateness: metrics.observeLateness });
    const d = digest(2);
    smtp.failNext(1, 421);
    await expect(sendDigest(d)).rejects.toThrow();
    expect((await scraped()).count).toBe(0);
    expect(await sendDigest(d)).toMatchObject({ status: 'sent' });
    const h = await scraped();
    expect(h.count).toBe(1);
    expect(h.buckets.get('1')).toBe(0);
    expect(h.buckets.get('15')).toBe(1);
  });

  it('reaches the activity the worker builds (activityDepsFor → createActivities)', async () => {
    const deps = activityDepsFor(parseConfig({ MAIL_FROM: 'perfcycle <perfcycle@test>' }), store, sender, metrics);
    expect(await createActivities(deps).sendDigest(digest(66))).toMatchObject({ status: 'sent' });
    const h = await scraped();
    expect([h.buckets.get('65'), h.buckets.get('70'), h.count]).toEqual([0, 1, 1]);
  });

  it('measures nothing, and still sends, without the dependency', async () => {
    const { sendDigest } = createMailActivities({ sender, store, from: 'perfcycle <perfcycle@test>' });
    expect(await sendDigest(digest(30))).toMatchObject({ status: 'sent' });
    expect((await scraped()).count).toBe(0);
  });

  it('answers only GET /metrics', async () => {
    expect((await fetch(`http://${server.address}/`)).status).toBe(404);
    expect((await fetch(`http://${server.address}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
