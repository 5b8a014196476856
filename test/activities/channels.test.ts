// The chat robots over real HTTP against the fakes in test/helpers/robots.ts: DingTalk's signature (a
// vector computed outside Node), each documented refusal classified (a wrong secret, a removed robot, a
// bad key: permanent; 5xx and timeouts: temporary; "rate limited": wait and send again), credentials
// never in a result, the rate limiter queueing 20 a minute per robot on an injected clock, mentions by
// mobile on both robots, and a digest too big for a robot cut to fit rather than refused.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyDingTalk, classifyWeCom, dingTalkChannel, dingTalkRobotFromUrl, dingTalkSign, redact, RobotRateLimiter,
  sendQueued, throwUnlessSent, weComChannel, weComRobotFromUrl, type Channel, type ChannelMessage, type Clock,
} from '../../activities/channels/index.js';
import { byteLength, renderChannelDigest } from '../../domain/channel-text.js';
import type { Notice } from '../../domain/notices.js';
import { startRobots, type FakeRobots } from '../helpers/robots.js';

/** Virtual time: sleeping moves the clock, so a minute's wait takes no time. */
class FakeClock implements Clock {
  t = Date.now();
  slept: number[] = [];
  now = () => this.t;
  sleep = (ms: number) => {
    this.slept.push(ms);
    this.t += ms;
    return Promise.resolve();
  };
}

const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const SECRET = 'SECtest0123456789abcdef';
const KEY = '693a91f6-7a0c-4bc4-97a0-0ec2b1fa5aaa';
const md = (body: string, extra: Partial<ChannelMessage> = {}): ChannelMessage => ({ title: '绩效评估', body, format: 'markdown', ...extra });

let robots: FakeRobots;
let clock: FakeClock;
beforeAll(async () => {
  clock = new FakeClock();
  robots = await startRobots({ now: clock.now });
});
afterAll(() => robots.close());
afterEach(() => {
  robots.remove(TOKEN);
  robots.remove(KEY);
  robots.accepted.length = 0;
  robots.refusals.length = 0;
  robots.failNext(0, { status: 500 });
});

const ding = (secret: string | undefined = SECRET, deps: { now?: () => number; timeoutMs?: number } = {}) =>
  dingTalkChannel({ accessToken: TOKEN, ...(secret && { secret }) }, { baseUrl: robots.url, now: clock.now, ...deps });
const wecom = (deps: { timeoutMs?: number } = {}) => weComChannel({ key: KEY }, { baseUrl: robots.url, ...deps });
const noCredentials = (o: unknown) => {
  const s = JSON.stringify(o);
  for (const c of [TOKEN, SECRET, KEY, encodeURIComponent(SECRET)]) expect(s).not.toContain(c);
};

describe('DingTalk signing', () => {
  it('matches a vector computed outside Node (Python hmac/base64), URL-encoded in the query', () => {
    // python3: base64.b64encode(hmac.new(b'SECtest0123456789abcdef', b'1577836800000\nSECtest0123456789abcdef', sha256).digest())
    expect(dingTalkSign(SECRET, 1577836800000)).toBe('coIZYTwf3qy8/IUDtTFzbOhj4HM1Ff8nXW8ZHr67nP8=');
    const q = new URLSearchParams({ sign: dingTalkSign(SECRET, 1577836800000) }).toString();
    expect(q).toBe('sign=coIZYTwf3qy8%2FIUDtTFzbOhj4HM1Ff8nXW8ZHr67nP8%3D'); // urllib.parse.quote_plus
  });

  it('reads the token from the webhook address DingTalk shows', () => {
    expect(dingTalkRobotFromUrl(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, SECRET)).toEqual({ accessToken: TOKEN, secret: SECRET });
    expect(() => dingTalkRobotFromUrl('https://oapi.dingtalk.com/robot/send')).toThrow(/access_token/);
    expect(weComRobotFromUrl(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`)).toEqual({ key: KEY });
  });
});

describe('DingTalk custom robot', () => {
  it('sends signed markdown, mentioning by mobile (in atMobiles and as @mobile in the text)', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    const out = await ding().send(md('**1. 方案【到期提醒】**', { mentions: { mobiles: ['13800001111', '13800001111'] } }));
    expect(out).toEqual({ status: 'sent' });
    expect(robots.accepted).toHaveLength(1);
    expect(robots.accepted[0]!.body).toEqual({
      msgtype: 'markdown', markdown: { title: '绩效评估', text: '**1. 方案【到期提醒】**\n\n@13800001111' },
      at: { atMobiles: ['13800001111'], isAtAll: false },
    });
  });

  it('a wrong secret is permanent (bad-secret), and neither token nor secret is in the outcome or the failure', async () => {
    robots.addDingTalk(TOKEN, 'SECthe-real-one');
    const channel = ding();
    const out = await channel.send(md('x'));
    expect(out).toMatchObject({ status: 'permanent', reason: 'bad-secret', code: '310000', message: 'sign not match' });
    noCredentials(out);
    expect(channel.robotId).toMatch(/^dingtalk:[0-9a-f]{8}$/);
    let failure: unknown;
    try { throwUnlessSent(channel, out); } catch (err) { failure = err; }
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ChannelRefused', nonRetryable: true, details: [{ kind: 'dingtalk', reason: 'bad-secret', code: '310000' }] });
    noCredentials({ m: (failure as Error).message, d: (failure as ApplicationFailure).details });
    expect(robots.accepted).toHaveLength(0);
  });

  it('a timestamp outside the hour is permanent (clock-skew): this host’s clock is wrong', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    const out = await ding(SECRET, { now: () => clock.t - 61 * 60_000 }).send(md('x'));
    expect(out).toMatchObject({ status: 'permanent', reason: 'clock-skew', code: '310000', message: 'invalid timestamp' });
    const inside = await ding(SECRET, { now: () => clock.t - 59 * 60_000 }).send(md('x'));
    expect(inside).toEqual({ status: 'sent' });
  });

  it('a removed robot is permanent (robot-removed)', async () => {
    const out = await ding().send(md('x'));
    expect(out).toMatchObject({ status: 'permanent', reason: 'robot-removed', code: '300001' });
    noCredentials(out);
  });

  it('5xx, "system busy" and no answer in time are temporary, and retryable for Temporal', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    robots.failNext(1, { status: 502, text: `bad gateway for access_token=${TOKEN}` });
    const five = await ding().send(md('x'));
    expect(five).toMatchObject({ status: 'temporary', code: 'http-502' });
    noCredentials(five);
    let failure: unknown;
    try { throwUnlessSent(ding(), five); } catch (err) { failure = err; }
    expect(failure).toMatchObject({ type: 'ChannelUnavailable', nonRetryable: false });

    robots.failNext(1, { errcode: -1, errmsg: '系统繁忙' });
    expect(await ding().send(md('x'))).toMatchObject({ status: 'temporary', code: '-1' });

    expect(robots.accepted).toHaveLength(0);
    robots.failNext(1, { delayMs: 400 });
    expect(await ding(SECRET, { timeoutMs: 100 }).send(md('x'))).toMatchObject({ status: 'temporary', code: 'timeout' });
    // A robot may still deliver what it answered too late: a retry after a timeout can repeat a message
    // (the same window as a mail whose 250 never came; the ledger cannot know).
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(robots.accepted).toHaveLength(1);
  });

  it('an address nobody answers is temporary, and the error names no credential', async () => {
    const out = await dingTalkChannel({ accessToken: TOKEN, secret: SECRET }, { baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }).send(md('x'));
    expect(out.status).toBe('temporary');
    noCredentials(out);
  });

  it('classifies each documented code', () => {
    expect(classifyDingTalk(0, 'ok')).toEqual({ status: 'sent' });
    expect(classifyDingTalk(130101, 'send too fast, exceed 20 times per minute')).toMatchObject({ status: 'rate-limited', retryAfterMs: 600_000 });
    expect(classifyDingTalk(310000, 'keywords not in content')).toMatchObject({ status: 'permanent', reason: 'security-setting' });
    expect(classifyDingTalk(310000, 'ip 1.2.3.4 not in whitelist')).toMatchObject({ status: 'permanent', reason: 'security-setting' });
    expect(classifyDingTalk(300005, 'token is not exist')).toMatchObject({ status: 'permanent', reason: 'robot-removed' });
    expect(classifyDingTalk(460101, 'message too long, exceed 20000 bytes')).toMatchObject({ status: 'permanent', reason: 'bad-message' });
    expect(classifyDingTalk(400999, 'something new')).toMatchObject({ status: 'permanent', reason: 'rejected', message: 'something new' });
    expect(classifyWeCom(93000, 'invalid webhook url')).toMatchObject({ status: 'permanent', reason: 'bad-key' });
    expect(classifyWeCom(45009, 'api freq out of limit')).toMatchObject({ status: 'rate-limited', retryAfterMs: 60_000 });
    expect(classifyWeCom(40008, 'invalid message type')).toMatchObject({ status: 'permanent', reason: 'bad-message' });
    expect(classifyWeCom(40058, 'markdown.content exceed max length 4096')).toMatchObject({ status: 'permanent', reason: 'bad-message' });
    expect(classifyWeCom(-1, 'system busy')).toMatchObject({ status: 'temporary' });
  });
});

describe('rate limits: queued, never dropped', () => {
  it('25 messages to one robot: 20 now, 5 a minute later, all accepted, none refused', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    const limiter = new RobotRateLimiter(undefined, clock);
    const channel = ding();
    const start = clock.t;
    for (let i = 1; i <= 25; i += 1) expect(await sendQueued(channel, limiter, md(`第 ${i} 条`))).toEqual({ status: 'sent' });
    expect(robots.refusals).toEqual([]);
    expect(robots.accepted.map((a) => (a.body as { markdown: { text: string } }).markdown.text)).toEqual(Array.from({ length: 25 }, (_, i) => `第 ${i + 1} 条`));
    expect(robots.accepted.map((a) => a.at - start)).toEqual([...Array(20).fill(0), ...Array(5).fill(60_000)]);
  });

  it('without the limiter the robot refuses the 21st (the fake enforces the documented rate)', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    clock.t += 11 * 60_000;
    const outs = [];
    for (let i = 0; i < 21; i += 1) outs.push(await ding().send(md(`${i}`)));
    expect(outs.slice(0, 20).every((o) => o.status === 'sent')).toBe(true);
    expect(outs[20]).toMatchObject({ status: 'rate-limited', code: '130101', retryAfterMs: 600_000 });
  });

  it('a robot answering "rate limited" (used up by someone else) is waited for, then sent: nothing lost', async () => {
    robots.addDingTalk(TOKEN, SECRET);
    clock.t += 11 * 60_000;
    robots.throttle(TOKEN, 10 * 60_000);
    const limiter = new RobotRateLimiter(undefined, clock);
    const waits: number[] = [];
    const out = await sendQueued(ding(), limiter, md('催办'), { onWait: (ms) => waits.push(ms) });
    expect(out).toEqual({ status: 'sent' });
    expect(robots.refusals).toEqual([`${TOKEN} 130101`]);
    expect(waits).toEqual([600_000]);
    expect(robots.accepted).toHaveLength(1);
  });

  it('WeCom "api freq out of limit" likewise; and a robot still limited after the tries is left to Temporal with its wait', async () => {
    robots.addWeCom(KEY);
    clock.t += 11 * 60_000;
    robots.throttle(KEY, 30_000);
    const limiter = new RobotRateLimiter(undefined, clock);
    expect(await sendQueued(wecom(), limiter, md('x'))).toEqual({ status: 'sent' });
    expect(robots.refusals).toEqual([`${KEY} 45009`]);

    robots.throttle(KEY, 3_600_000);
    const out = await sendQueued(wecom(), limiter, md('y'), { maxRateLimited: 1 });
    expect(out).toMatchObject({ status: 'rate-limited', code: '45009', retryAfterMs: 60_000 });
    let failure: unknown;
    try { throwUnlessSent(wecom(), out); } catch (err) { failure = err; }
    expect(failure).toMatchObject({ type: 'ChannelRateLimited', nonRetryable: false, nextRetryDelay: 60_000 });
  });
});

describe('the rate limiter alone (pure, on an injected clock)', () => {
  it('queues in order: 20 a minute per robot, robots apart, a pause honoured', () => {
    const c = new FakeClock();
    const l = new RobotRateLimiter({ limit: 20, windowMs: 60_000 }, c);
    const waits = Array.from({ length: 45 }, () => l.reserve('a'));
    expect(waits).toEqual([...Array(20).fill(0), ...Array(20).fill(60_000), ...Array(5).fill(120_000)]);
    expect(l.reserve('b')).toBe(0);
    expect(l.inWindow('b')).toBe(1);
    c.t += 30_000;
    expect(l.reserve('b')).toBe(0);
    l.pause('b', 600_000);
    expect(l.reserve('b')).toBe(600_000);
    expect(l.reserve('b')).toBe(600_000);
    c.t += 10 * 60_000 + 60_000;
    expect(l.reserve('a')).toBe(0);
  });

  it('a sliding window: the 21st waits for the minute after the first, not for the next whole minute', () => {
    const c = new FakeClock();
    const l = new RobotRateLimiter({ limit: 20, windowMs: 60_000 }, c);
    for (let i = 0; i < 20; i += 1) {
      expect(l.reserve('r')).toBe(0);
      c.t += 1_000;
    }
    expect(l.reserve('r')).toBe(40_000); // the first was 20 s ago: its minute ends in 40 s
  });
});

describe('WeCom group robot', () => {
  it('sends markdown; mentions by userid as <@userid>', async () => {
    robots.addWeCom(KEY);
    const channel = wecom();
    expect(channel.formatFor({ userIds: ['LinXiaoYan'] })).toBe('markdown');
    expect(await channel.send(md('**方案**', { mentions: { userIds: ['LinXiaoYan'] } }))).toEqual({ status: 'sent' });
    expect(robots.accepted[0]!.body).toEqual({ msgtype: 'markdown', markdown: { content: '**方案**\n<@LinXiaoYan>' } });
  });

  it('mentions by mobile in text (markdown has no mobile mention), and refuses markdown asked to', async () => {
    robots.addWeCom(KEY);
    const channel = wecom();
    const mentions = { mobiles: ['13800001111'] };
    expect(channel.formatFor(mentions)).toBe('text');
    expect(await channel.send({ title: 't', body: '方案', format: 'text', mentions })).toEqual({ status: 'sent' });
    expect(robots.accepted[0]!.body).toEqual({ msgtype: 'text', text: { content: '方案', mentioned_mobile_list: ['13800001111'] } });
    expect(await channel.send(md('方案', { mentions }))).toMatchObject({ status: 'permanent', reason: 'bad-message', code: 'mention' });
    expect(robots.accepted).toHaveLength(1);
  });

  it('a bad key is permanent (bad-key), and the key is nowhere in the outcome', async () => {
    robots.addWeCom('another-key');
    const out = await wecom().send(md('x'));
    expect(out).toMatchObject({ status: 'permanent', reason: 'bad-key', code: '93000' });
    expect(out.status === 'permanent' && out.message).toMatch(/^invalid webhook url/);
    noCredentials(out);
  });

  it('5xx is temporary', async () => {
    robots.addWeCom(KEY);
    robots.failNext(2, { status: 503 });
    expect(await wecom().send(md('x'))).toMatchObject({ status: 'temporary', code: 'http-503' });
    expect(await wecom().send(md('x'))).toMatchObject({ status: 'temporary', code: 'http-503' });
    expect(await wecom().send(md('x'))).toEqual({ status: 'sent' });
  });

  it('the fake refuses what the documents refuse: content over 4096 bytes (40058), an unknown msgtype (40008)', async () => {
    robots.addWeCom(KEY);
    const big = '办'.repeat(1400); // 4200 bytes
    const res = await fetch(`${robots.url}/cgi-bin/webhook/send?key=${KEY}`, { method: 'POST', body: JSON.stringify({ msgtype: 'markdown', markdown: { content: big } }) });
    expect(await res.json()).toMatchObject({ errcode: 40058 });
    const odd = await fetch(`${robots.url}/cgi-bin/webhook/send?key=${KEY}`, { method: 'POST', body: JSON.stringify({ msgtype: 'card', card: {} }) });
    expect(await odd.json()).toMatchObject({ errcode: 40008, errmsg: expect.stringMatching(/^invalid message type/) as unknown });
    // The channel does not send what would be refused.
    expect(await wecom().send(md(big))).toMatchObject({ status: 'permanent', reason: 'bad-message', code: 'too-long' });
    expect(robots.accepted).toHaveLength(0);
  });
});

describe('a digest too big for a robot is cut to fit, not refused', () => {
  // 120 overdue items for one person: far over WeCom's 4096 bytes (and DingTalk's 20000).
  const notices: Notice[] = Array.from({ length: 120 }, (_, i) => ({
    slot: '2020-02-05T09:00:00+08:00', to: 'office-lin', kind: 'overdue-repeat', escalation: 2, deliverableId: `item-${i}`, owner: 'office-lin',
    title: { zh: `第 ${i + 1} 项年度工作总结及目标台账`, en: `item ${i + 1}` }, due: new Date(Date.parse('2020-02-01T23:59:59+08:00') - i * 86_400_000).toISOString(),
  }));
  const ctx = {
    unitName: '晋江市自然资源局', cycleId: 'perfcycle-jinjiang-zrzy-2019', year: 2019, timeZone: 'Asia/Shanghai', portalUrl: 'http://perfcycle.example',
    to: { id: 'office-lin', name: '林晓燕', email: 'lin@example.org', lang: 'zh-CN' as const }, notices,
  };
  const fitted = (channel: Channel, mentions?: ChannelMessage['mentions']): ChannelMessage => {
    const format = channel.formatFor(mentions);
    const draft = (body: string): ChannelMessage => ({ title: 'x', body, format, ...(mentions && { mentions }) });
    const text = renderChannelDigest(ctx, { format, fits: (body) => channel.fits(draft(body)) });
    expect(text.omitted).toBeGreaterThan(0);
    expect(text.body).toContain(`…及其他 ${text.omitted} 项`);
    return { ...draft(text.body), title: text.title };
  };

  it.each([
    ['WeCom markdown', () => wecom(), undefined, 4096],
    ['WeCom text, mentioning by mobile', () => wecom(), { mobiles: ['13800001111'] }, 2048],
    ['DingTalk markdown, mentioning by mobile', () => ding(), { mobiles: ['13800001111'] }, 20_000],
  ] as const)('%s', async (_name, make, mentions, limit) => {
    robots.addWeCom(KEY);
    robots.addDingTalk(TOKEN, SECRET);
    clock.t += 11 * 60_000;
    const channel = make();
    const message = fitted(channel, mentions);
    expect(byteLength(message.body)).toBeLessThanOrEqual(limit);
    expect(await channel.send(message)).toEqual({ status: 'sent' });
    expect(robots.accepted).toHaveLength(1);
    expect(JSON.stringify(robots.accepted[0]!.body)).toContain('及其他');
  });
});

describe('redaction', () => {
  it('removes a credential raw and URL-encoded', () => {
    expect(redact(`a ${SECRET} b ${encodeURIComponent('a+b/c=')} c`, [SECRET, 'a+b/c='])).toBe('a *** b *** c');
  });
});
