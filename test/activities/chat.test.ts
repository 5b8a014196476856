// The digest activity on every channel (issue 9): a real database (the directory, each person's channels,
// the robots, the delivery ledger), a real SMTP server and the fake robots over real HTTP. A person on a
// chat robot gets one message mentioning their mobile with every item, once however often the activity
// is retried; chat and e-mail chosen, one of each; a robot that refuses for good (a wrong secret) is not
// knocked again, the digest is mailed once instead and the result says why; a robot's 20 a minute is
// kept by queueing, nothing dropped; "rate limited" and 5xx are retryable and later sent once; quiet
// hours at the slot send e-mail instead; a big digest is cut to fit the robot, title included.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatMessageId, channelFor } from '../../activities/chat.js';
import { RobotRateLimiter } from '../../activities/channels/index.js';
import { createMailActivities, messageIdFor, type Digest, type MailDeps, type SendResult } from '../../activities/mail.js';
import { smtpSender, type MailSender } from '../../activities/mail-sender.js';
import { renderChannelDigest } from '../../domain/channel-text.js';
import { renderDigest } from '../../domain/mail-text.js';
import type { Notice } from '../../domain/notices.js';
import type { Store } from '../../store/index.js';
import { sharedStore } from '../helpers/db.js';
import { addRobot, ADMIN, choose } from '../helpers/notice-setup.js';
import { startRobots, type FakeRobots } from '../helpers/robots.js';
import { headerOf, recipientOf, startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const UNIT = 'chat-unit';
const UNIT_NAME = '晋江市自然资源局';
const CYCLE = 'perfcycle-chat-unit-2019';
const PORTAL = 'http://portal.test';
const FROM = 'perfcycle <perfcycle@test>';
const SLOT = '2020-01-24T09:00:00+08:00';
const DEPARTMENTS = ['ding', 'both', 'badsecret', 'fast', 'queue', 'throttle', 'flaky', 'quiet', 'big'];
/** One person per department, each with a mobile number: `p-<department>`. */
const person = (dept: string) => ({ id: `p-${dept}`, name: `${dept} 科长`, email: `p-${dept}@chat.example`, phone: `1380000${String(DEPARTMENTS.indexOf(dept)).padStart(4, '0')}` });
const SECRET = 'SECchat0123456789abcdef';

let store: Store;
let smtp: SmtpSink;
let sender: MailSender;
let robots: FakeRobots;

beforeAll(async () => {
  store = await sharedStore();
  smtp = await startSmtpSink();
  sender = smtpSender(smtp.url);
  robots = await startRobots();
  await store.directory.importDirectory({
    units: [{ id: UNIT, name: UNIT_NAME }],
    departments: DEPARTMENTS.map((id) => ({ unit: UNIT, id, name: `${id} 科` })),
    people: DEPARTMENTS.map((d) => ({ ...person(d), unit: UNIT, department: d })),
  }, ADMIN);
}, 60_000);
afterAll(async () => {
  sender?.close();
  await smtp?.close();
  await robots?.close();
});

const deps = (extra: Partial<MailDeps> = {}): MailDeps => ({ sender, store, from: FROM, portalUrl: PORTAL, ...extra });

/** Items of one digest: `n` deliverables, each overdue or due. */
function notices(to: string, n = 3, slot = SLOT): Notice[] {
  return Array.from({ length: n }, (_, i) => ({
    slot, to, kind: i % 2 ? 'overdue-repeat' : 'reminder', deliverableId: `item-${i + 1}`, owner: to,
    ...(i % 2 ? { escalation: 2 } : { daysBefore: 7 }),
    title: { zh: `第 ${i + 1} 项年度工作总结及目标台账`, en: `item ${i + 1}` },
    due: i % 2 ? '2020-01-20T23:59:59.999+08:00' : '2020-01-31T23:59:59.999+08:00',
  }) as Notice);
}

function digest(dept: string, extra: Partial<Digest> = {}): Digest {
  const p = person(dept);
  const slot = extra.slot ?? SLOT;
  return {
    key: `${CYCLE}|${p.id}|${slot}|${randomUUID()}`,
    cycleId: CYCLE, unit: { id: UNIT, name: UNIT_NAME }, year: 2019, timeZone: 'Asia/Shanghai',
    to: { id: p.id, name: p.name, email: p.email, lang: 'zh-CN' }, slot, notices: notices(p.id, 3, slot), ...extra,
  };
}

const mailsTo = (dept: string) => smtp.messages.filter((m) => recipientOf(m) === person(dept).email);
const acceptedBy = (credential: string, r: FakeRobots = robots) => r.accepted.filter((a) => a.id === credential);
const textOf = (body: { markdown?: { text?: string; content?: string }; text?: { content: string } }) => body.markdown?.text ?? body.markdown?.content ?? body.text?.content ?? '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The activity in a mock activity context (heartbeats, the attempt's info), as the worker runs it. */
function inActivity(sendDigest: (d: Digest) => Promise<SendResult>, d: Digest, attempt = 1): Promise<SendResult> {
  return new MockActivityEnvironment({ attempt }).run<[Digest], SendResult, typeof sendDigest>(sendDigest, d);
}

/** The ApplicationFailure a call fails with. */
async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

/** Temporal's part: a retryable failure is tried again after its next-retry delay (at most `attempts` tries). */
async function retried(run: () => Promise<SendResult>, failures: ApplicationFailure[], attempts = 12): Promise<SendResult> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.nonRetryable || attempt >= attempts) throw err;
      failures.push(err);
      await sleep(Number(err.nextRetryDelay ?? 200));
    }
  }
}

describe('sendDigest by a chat robot', () => {
  it('a DingTalk person: one signed markdown message @-mentioning their mobile with every item; a retry sends nothing more', async () => {
    const robotId = await addRobot(store, robots, { unit: UNIT, department: 'ding', channel: 'dingtalk', credential: 'tok-ding', secret: SECRET });
    await choose(store, 'p-ding', { channels: ['dingtalk'] });
    const { sendDigest } = createMailActivities(deps());
    const d = digest('ding');
    const first = await inActivity(sendDigest, d);
    expect(first).toEqual({ messageId: chatMessageId('dingtalk', d.key), where: robotId, status: 'sent', via: [{ channel: 'dingtalk', status: 'sent', robotId }] });

    const [message, ...more] = acceptedBy('tok-ding');
    expect(more).toEqual([]);
    const body = message!.body as { msgtype: string; markdown: { title: string; text: string }; at: { atMobiles: string[]; isAtAll: boolean } };
    expect(body.msgtype).toBe('markdown');
    expect(body.at).toEqual({ atMobiles: [person('ding').phone], isAtAll: false });
    expect(body.markdown.text.endsWith(`@${person('ding').phone}`)).toBe(true);
    const ctx = { unitName: UNIT_NAME, cycleId: CYCLE, year: 2019, to: d.to, notices: d.notices, timeZone: d.timeZone, portalUrl: PORTAL };
    expect(body.markdown.title).toBe(renderDigest(ctx).subject);
    for (const n of d.notices) {
      expect(body.markdown.text).toContain(n.title.zh);
      expect(body.markdown.text).toContain(`(${PORTAL}/cycles/${CYCLE}/d/${n.deliverableId})`);
    }
    expect(body.markdown.text).not.toContain('及其他');
    expect(mailsTo('ding')).toEqual([]);
    expect(await store.mail.get(first.messageId)).toMatchObject({
      channel: 'dingtalk', robot_id: robotId, state: 'sent', person_id: 'p-ding', cycle_id: CYCLE, mail_key: d.key, attempts: 1, delivered_to: robotId,
    });

    // Temporal retries the activity (its completion was lost): the ledger has it, the robot hears nothing.
    const again = await inActivity(sendDigest, d, 2);
    expect(again).toEqual({ ...first, status: 'already-sent', via: [{ channel: 'dingtalk', status: 'already-sent', robotId }] });
    // So does another worker's activity (its own limiter, its own everything but the database).
    expect((await createMailActivities(deps()).sendDigest(d)).status).toBe('already-sent');
    expect(acceptedBy('tok-ding')).toHaveLength(1);
    expect(robots.requests.get('tok-ding')).toBe(1);
    expect(mailsTo('ding')).toEqual([]);
    expect((await store.mail.reach(CYCLE)).filter((r) => r.personId === 'p-ding')).toEqual([
      { personId: 'p-ding', channel: 'dingtalk', sent: 1, refused: 0, pending: 0, lastSentAt: expect.any(Date) as unknown },
    ]);
  });

  it('chat and e-mail chosen: one WeCom message (text, mentioning the mobile) and one mail; a retry sends neither again', async () => {
    const robotId = await addRobot(store, robots, { unit: UNIT, department: 'both', channel: 'wecom', credential: 'key-both' });
    await choose(store, 'p-both', { channels: ['wecom', 'email'] });
    const { sendDigest } = createMailActivities(deps());
    const d = digest('both');
    const res = await sendDigest(d);
    expect(res).toMatchObject({ status: 'sent', messageId: messageIdFor(d.key), via: [{ channel: 'wecom', status: 'sent', robotId }, { channel: 'email', status: 'sent' }] });
    expect(res.fallbacks).toBeUndefined();
    const [message, ...more] = acceptedBy('key-both');
    expect(more).toEqual([]);
    expect(message!.body).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: [person('both').phone] } });
    for (const n of d.notices) expect(textOf(message!.body)).toContain(n.title.zh);
    const [mail, ...moreMail] = mailsTo('both');
    expect(moreMail).toEqual([]);
    expect(headerOf(mail!, 'x-perfcycle-items')).toBe('item-1:reminder,item-2:overdue-repeat,item-3:reminder');

    const again = await inActivity(sendDigest, d, 2);
    expect(again).toMatchObject({ status: 'already-sent', via: [{ channel: 'wecom', status: 'already-sent' }, { channel: 'email', status: 'already-sent' }] });
    expect(acceptedBy('key-both')).toHaveLength(1);
    expect(mailsTo('both')).toHaveLength(1);
  });

  it('a wrong secret: the robot is asked once, the digest is mailed once instead, the result says why; a second call does neither again', async () => {
    const robotId = await addRobot(store, robots, { unit: UNIT, department: 'badsecret', channel: 'dingtalk', credential: 'tok-bad', secret: 'SECthe-real-one', configuredSecret: 'SECa-wrong-one' });
    await choose(store, 'p-badsecret', { channels: ['dingtalk'] });
    const { sendDigest } = createMailActivities(deps());
    const d = digest('badsecret');
    // Returns (no failure for Temporal to retry): the refusal is final, the e-mail went.
    const res = await inActivity(sendDigest, d);
    expect(res).toMatchObject({ status: 'sent', messageId: messageIdFor(d.key), via: [{ channel: 'email', status: 'sent' }], fallbacks: [{ channel: 'dingtalk', robotId, reason: 'bad-secret' }] });
    expect(robots.requests.get('tok-bad')).toBe(1);
    expect(robots.refusals).toContain('tok-bad 310000');
    expect(acceptedBy('tok-bad')).toEqual([]);
    const [mail, ...more] = mailsTo('badsecret');
    expect(more).toEqual([]);
    expect(headerOf(mail!, 'x-perfcycle-items')).toBe('item-1:reminder,item-2:overdue-repeat,item-3:reminder');
    const row = await store.mail.get(chatMessageId('dingtalk', d.key));
    expect(row).toMatchObject({ channel: 'dingtalk', robot_id: robotId, state: 'sending', last_error_kind: 'refused', owner: null });
    expect(row!.last_error).toMatch(/^bad-secret 310000: sign not match/);
    expect(JSON.stringify(row)).not.toMatch(/SECthe-real-one|SECa-wrong-one|tok-bad/);

    const again = await inActivity(sendDigest, d, 2);
    expect(again).toMatchObject({ status: 'already-sent', via: [{ channel: 'email', status: 'already-sent' }], fallbacks: [{ channel: 'dingtalk', robotId, reason: 'bad-secret' }] });
    expect(robots.requests.get('tok-bad')).toBe(1);
    expect(mailsTo('badsecret')).toHaveLength(1);
    const reach = (await store.mail.reach(CYCLE)).filter((r) => r.personId === 'p-badsecret');
    expect(reach.map((r) => `${r.channel} sent=${r.sent} refused=${r.refused} pending=${r.pending}`)).toEqual(['dingtalk sent=0 refused=1 pending=0', 'email sent=1 refused=0 pending=0']);
  });

  it('a robot that says "rate limited" is a retryable failure after the pause; nothing is mailed, and a later try sends it once', async () => {
    await addRobot(store, robots, { unit: UNIT, department: 'throttle', channel: 'wecom', credential: 'key-throttle' });
    await choose(store, 'p-throttle', { channels: ['wecom'] });
    const { sendDigest } = createMailActivities(deps({ chat: { rateLimitPauseMs: 300 } }));
    const d = digest('throttle');
    robots.throttle('key-throttle', 1_500); // used up by another system for a while
    const failure = await failureOf(sendDigest(d));
    expect(failure).toMatchObject({ type: 'ChannelRateLimited', nonRetryable: false, nextRetryDelay: 300 });
    expect(await store.mail.get(chatMessageId('wecom', d.key))).toMatchObject({ state: 'sending', last_error_kind: 'busy', owner: null });
    expect(robots.refusals).toContain('key-throttle 45009');
    // Still limited at the retry: retryable again; never a fall-back to e-mail, never dropped.
    await sleep(300);
    expect((await failureOf(sendDigest(d))).type).toBe('ChannelRateLimited');
    expect(mailsTo('throttle')).toEqual([]);
    await sleep(1_500);
    expect(await sendDigest(d)).toMatchObject({ status: 'sent', via: [{ channel: 'wecom', status: 'sent' }] });
    expect(await sendDigest(d)).toMatchObject({ status: 'already-sent' });
    expect(acceptedBy('key-throttle')).toHaveLength(1);
    expect(mailsTo('throttle')).toEqual([]);
  });

  it('a 5xx is retryable; the next try sends it once', async () => {
    await addRobot(store, robots, { unit: UNIT, department: 'flaky', channel: 'dingtalk', credential: 'tok-flaky', secret: SECRET });
    await choose(store, 'p-flaky', { channels: ['dingtalk'] });
    const { sendDigest } = createMailActivities(deps());
    const d = digest('flaky');
    robots.failNext(1, { status: 502, text: 'Bad Gateway' });
    const failure = await failureOf(sendDigest(d));
    expect(failure).toMatchObject({ type: 'ChannelUnavailable', nonRetryable: false });
    expect(await store.mail.get(chatMessageId('dingtalk', d.key))).toMatchObject({ state: 'sending', last_error_kind: 'unreachable', failures: 1, owner: null });
    expect(await sendDigest(d)).toMatchObject({ status: 'sent', via: [{ channel: 'dingtalk', status: 'sent' }] });
    expect(await sendDigest(d)).toMatchObject({ status: 'already-sent' });
    expect(acceptedBy('tok-flaky')).toHaveLength(1);
    expect(mailsTo('flaky')).toEqual([]);
    expect(await store.mail.get(chatMessageId('dingtalk', d.key))).toMatchObject({ state: 'sent', attempts: 2, failures: 1 });
  });

  it('a robot down does not hold back the e-mail the person also chose: the mail goes, the retry sends the chat message', async () => {
    const { sendDigest } = createMailActivities(deps());
    await choose(store, 'p-flaky', { channels: ['dingtalk', 'email'] });
    const d = digest('flaky');
    robots.failNext(1, { status: 503 });
    expect((await failureOf(sendDigest(d))).type).toBe('ChannelUnavailable');
    expect(mailsTo('flaky')).toHaveLength(1);
    expect(await sendDigest(d)).toMatchObject({ status: 'sent', via: [{ channel: 'dingtalk', status: 'sent' }, { channel: 'email', status: 'already-sent' }] });
    expect(mailsTo('flaky')).toHaveLength(1);
    expect(acceptedBy('tok-flaky')).toHaveLength(2); // this digest's, and the one of the test before
    await choose(store, 'p-flaky', { channels: ['dingtalk'] });
  });

  it('quiet hours at the slot: e-mail instead, the robot not asked; outside them, the robot', async () => {
    await addRobot(store, robots, { unit: UNIT, department: 'quiet', channel: 'dingtalk', credential: 'tok-quiet', secret: SECRET });
    await choose(store, 'p-quiet', { channels: ['dingtalk'], quiet: { start: '22:00', end: '07:30' } });
    const { sendDigest } = createMailActivities(deps());
    const early = await sendDigest(digest('quiet', { slot: '2020-01-24T07:00:00+08:00' }));
    expect(early).toMatchObject({ status: 'sent', via: [{ channel: 'email', status: 'sent' }] });
    expect(early.fallbacks).toBeUndefined();
    expect(robots.requests.get('tok-quiet')).toBeUndefined();
    expect(mailsTo('quiet')).toHaveLength(1);
    const day = await sendDigest(digest('quiet', { slot: '2020-01-24T09:00:00+08:00' }));
    expect(day).toMatchObject({ status: 'sent', via: [{ channel: 'dingtalk', status: 'sent' }] });
    expect(acceptedBy('tok-quiet')).toHaveLength(1);
    expect(mailsTo('quiet')).toHaveLength(1);
    // A chat channel the unit has no robot for: e-mail.
    await choose(store, 'p-quiet', { channels: ['wecom'] });
    expect(await sendDigest(digest('quiet'))).toMatchObject({ via: [{ channel: 'email', status: 'sent' }] });
    expect(mailsTo('quiet')).toHaveLength(2);
  });

  it('a digest too big for DingTalk is cut to fit with its title counted: sent by the robot, not refused and mailed', async () => {
    const robotId = await addRobot(store, robots, { unit: UNIT, department: 'big', channel: 'dingtalk', credential: 'tok-big', secret: SECRET });
    await choose(store, 'p-big', { channels: ['dingtalk'] });
    const robot = (await store.notices.robotFor(UNIT, 'big', 'dingtalk'))!;
    const channel = channelFor(robot);
    const mentions = { mobiles: [person('big').phone] };
    // A count of items whose body, fitted as if the message had no title, is too big once the title is on.
    const p = person('big');
    const withItems = (n: number): Digest => ({ ...digest('big'), notices: notices(p.id, n) });
    const tooBigWithTitle = (d: Digest) => {
      const ctx = { unitName: UNIT_NAME, cycleId: CYCLE, year: 2019, to: d.to, notices: d.notices, timeZone: d.timeZone, portalUrl: PORTAL };
      const untitled = renderChannelDigest(ctx, { format: 'markdown', fits: (body) => channel.fits({ title: '', body, format: 'markdown', mentions }) });
      return untitled.omitted > 0 && !channel.fits({ title: renderDigest(ctx).subject, body: untitled.body, format: 'markdown', mentions });
    };
    const d = Array.from({ length: 120 }, (_, i) => withItems(80 + i)).find(tooBigWithTitle);
    expect(d, 'some item count fits only without the title').toBeDefined();
    const res = await createMailActivities(deps()).sendDigest(d!);
    expect(res).toMatchObject({ status: 'sent', via: [{ channel: 'dingtalk', status: 'sent', robotId }] });
    expect(res.fallbacks).toBeUndefined();
    const [message] = acceptedBy('tok-big');
    expect(textOf(message!.body)).toMatch(/…及其他 \d+ 项，请在系统中查看/);
    expect(Buffer.byteLength(JSON.stringify(message!.body))).toBeLessThanOrEqual(20_000);
    expect(mailsTo('big')).toEqual([]);
  });
});

describe('a robot\'s 20 a minute, kept by queueing', () => {
  // A fake whose minute is 1.5 s of real time, and a limiter whose window is 2 s: the limiter is a little
  // stricter than the robot, as a real one is, so an HTTP round-trip's jitter never counts against it.
  const SPEED = 40;
  const t0 = Date.now();
  const fast = () => t0 + (Date.now() - t0) * SPEED;
  let fake: FakeRobots;
  beforeAll(async () => { fake = await startRobots({ now: fast }); });
  afterAll(async () => fake?.close());
  const fastDeps = (limiter: RobotRateLimiter, extra: MailDeps['chat'] = {}) => deps({ chat: { limiter, robots: { dingtalk: { now: fast } }, ...extra } });

  it('25 digests to one robot at once: 20 now, 5 after the window, all arrive, the robot never says "rate limited"', async () => {
    await addRobot(store, fake, { unit: UNIT, department: 'fast', channel: 'dingtalk', credential: 'tok-fast', secret: SECRET });
    await choose(store, 'p-fast', { channels: ['dingtalk'] });
    const { sendDigest } = createMailActivities(fastDeps(new RobotRateLimiter({ limit: 20, windowMs: 2000 })));
    const digests = Array.from({ length: 25 }, (_, i) => digest('fast', { slot: `2020-01-24T09:${String(i).padStart(2, '0')}:00+08:00` }));
    const started = Date.now();
    const results = await Promise.all(digests.map((d) => sendDigest(d)));
    expect(results.map((r) => r.status)).toEqual(Array(25).fill('sent'));
    expect(fake.refusals).toEqual([]);
    const got = acceptedBy('tok-fast', fake);
    expect(got).toHaveLength(25);
    // Each digest once: its own ledger row, sent.
    for (const d of digests) expect(await store.mail.get(chatMessageId('dingtalk', d.key))).toMatchObject({ state: 'sent', attempts: 1 });
    const realMs = got.map((a) => (a.at - got[0]!.at) / SPEED).sort((a, b) => a - b);
    expect(realMs.slice(0, 20).every((ms) => ms < 1_000)).toBe(true);
    expect(realMs.slice(20).every((ms) => ms >= 1_500)).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(mailsTo('fast')).toEqual([]);
  });

  it('more than a window\'s worth: those told to come back later get their slot when they do; all 45 sent, none refused', async () => {
    await addRobot(store, fake, { unit: UNIT, department: 'queue', channel: 'dingtalk', credential: 'tok-queue', secret: SECRET });
    await choose(store, 'p-queue', { channels: ['dingtalk'] });
    // Waits over 300 ms are not slept in the activity: it fails with the wait as Temporal's next retry delay.
    const { sendDigest } = createMailActivities(fastDeps(new RobotRateLimiter({ limit: 20, windowMs: 2000 }), { maxQueueWaitMs: 300 }));
    const digests = Array.from({ length: 45 }, () => digest('queue'));
    const failures: ApplicationFailure[] = [];
    const results = await Promise.all(digests.map((d) => retried(() => sendDigest(d), failures)));
    expect(results.map((r) => r.status)).toEqual(Array(45).fill('sent'));
    // Each was sent within its tries (before the fix, a retry reserved a new slot a window off and left
    // the old one standing: past 40 queued, every retry was pushed a window on, and none got through).
    expect(new Set(failures.map((f) => f.type))).toEqual(new Set(['ChannelQueued']));
    // At least the 25 over the first window came back; on a quiet machine exactly once each (a retry
    // late by more than the queue wait, as under load, takes a new slot instead: one more round).
    expect(failures.length).toBeGreaterThanOrEqual(25);
    expect(failures.every((f) => Number(f.nextRetryDelay) > 300 && Number(f.nextRetryDelay) <= 10_000)).toBe(true);
    expect(fake.refusals).toEqual([]);
    expect(acceptedBy('tok-queue', fake)).toHaveLength(45);
    // Each digest once: one ledger row each, sent.
    for (const d of digests) expect(await store.mail.get(chatMessageId('dingtalk', d.key))).toMatchObject({ state: 'sent' });
  });
});
