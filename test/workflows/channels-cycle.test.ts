// Issue 9 as its "how it is checked" says: the 2019 example cycle on the time-skipping server with the
// mineral department (its head and its leader) on a DingTalk robot, the land-use department on a WeCom
// robot, the law department on a DingTalk robot configured with a wrong secret, everyone else on e-mail
// (real SMTP, the fake robots over real HTTP, robots set through the store as an administrator would).
// Each digest the cycle sends (its 'reminder-sent' lines) reaches its person exactly once, on their
// channel, listing its items; nobody on a chat channel gets one by e-mail; the WeCom robot answering
// "rate limited" for a few seconds delays the digests it gets then and loses none; the robot with the
// wrong secret is asked once per digest, its people get e-mail, and the audit says so ('notice-fallback').
import { describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import type { AuditEntry } from '../../domain/audit.js';
import { directoryOfCycle } from '../../domain/directory.js';
import { operatorActor } from '../../client/operator.js';
import { exampleCycle } from '../helpers/cycle.js';
import { sharedStore } from '../helpers/db.js';
import { addRobot, ADMIN, channelWorker, choose } from '../helpers/notice-setup.js';
import { RobotRateLimiter } from '../../activities/channels/index.js';
import { startRobots, type AcceptedMessage, type FakeRobots } from '../helpers/robots.js';
import { headerOf, recipientOf } from '../helpers/smtp.js';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { skipTo, stopCycle } from '../helpers/worker.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

/** The fake robots' clock: a minute in 1.5 s. */
const SPEED = 40;
const t0 = Date.now();
const fast = () => t0 + (Date.now() - t0) * SPEED;

const SECRET = 'SECmineral0123456789abcdef';
const LAW_SECRET = 'SEClaw-the-real-one-0123456789';
const CREDENTIALS = ['tok-mineral', 'tok-law', 'key-landuse', SECRET, LAW_SECRET, 'SEClaw-a-wrong-one'];
const PHONES: Record<string, string> = { 'head-hong': '13900000001', 'leader-li': '13900000002', 'head-cai': '13900000003', 'head-xu': '13900000004' };
/** Where each person's digests must arrive. */
const CHANNEL: Record<string, 'dingtalk' | 'wecom'> = { 'head-hong': 'dingtalk', 'leader-li': 'dingtalk', 'head-cai': 'wecom' };
const channelOf = (person: string) => CHANNEL[person] ?? 'email';

interface Sent { to: string; kinds: string; id: string; via: string; subject: string; detail: string }

/** The cycle's 'reminder-sent' lines: one per digest it sent, with the id it went under and how. */
function sentLines(audit: AuditEntry[]): Sent[] {
  return audit.filter((e) => e.action === 'reminder-sent').map((e) => {
    const m = /^to=(\S+) kinds=(\S+) id=(\S+) via=(\S+)/.exec(e.detail ?? '');
    expect(m, e.detail).not.toBeNull();
    return { to: m![1]!, kinds: m![2]!, id: m![3]!, via: m![4]!, subject: e.subject, detail: e.detail ?? '' };
  });
}

/** The deliverables a message links to, sorted: what it lists. */
const linked = (text: string) => [...new Set([...text.matchAll(/\/d\/([a-z0-9-]+)/g)].map((m) => m[1]!))].sort().join(',');
const textOf = (a: AcceptedMessage) => String(a.body.markdown?.text ?? a.body.markdown?.content ?? a.body.text?.content ?? '');
const counted = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

/** Activities run in real time after the server's clock moved: wait for them. */
async function until(what: string, probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the 2019 cycle with DingTalk, WeCom and e-mail', () => {
  it('each digest reaches each person once on their channel; a rate-limited robot delays, loses nothing; a wrong secret falls back to e-mail, audited', async () => {
    const store = await sharedStore();
    const robots: FakeRobots = await startRobots({ now: fast });
    const cycle = exampleCycle('channels');
    const id = cycle.cycleId;
    const unit = cycle.unit.id;
    const leader = (dept: string) => cycle.departments.find((d) => d.id === dept)!.leader;
    const owner = (dept: string) => cycle.departments.find((d) => d.id === dept)!.owner;

    // The directory: the cycle's people; leader-li placed in mineral, so the department has two people.
    await store.directory.importDirectory(directoryOfCycle(cycle), operatorActor());
    for (const [person, phone] of Object.entries(PHONES)) await store.directory.updatePerson(person, { phone }, ADMIN);
    await store.directory.updatePerson('leader-li', { department: 'mineral' }, ADMIN);
    const mineral = await addRobot(store, robots, { unit, department: 'mineral', channel: 'dingtalk', credential: 'tok-mineral', secret: SECRET });
    const landuse = await addRobot(store, robots, { unit, department: 'landuse', channel: 'wecom', credential: 'key-landuse' });
    const law = await addRobot(store, robots, { unit, department: 'law', channel: 'dingtalk', credential: 'tok-law', secret: LAW_SECRET, configuredSecret: 'SEClaw-a-wrong-one' });
    for (const p of ['head-hong', 'leader-li', 'head-xu']) await choose(store, p, { channels: ['dingtalk'] });
    await choose(store, 'head-cai', { channels: ['wecom'] });

    // Time is skipped: months of digests go out in a minute of real time, and a robot's 20 a minute is
    // real time. So the robots' minute is 1.5 s here and the worker's limiter keeps 20 per 2 s (a little
    // stricter, as against a real robot); DingTalk's signature is stamped by the robots' clock. Retries
    // after "rate limited" come 300 ms on (a robot asks for a minute or ten: a test cannot wait).
    const chat = { limiter: new RobotRateLimiter({ limit: 20, windowMs: 2_000 }), robots: { dingtalk: { now: fast } }, rateLimitPauseMs: 300 };
    const { worker, client, sender } = await channelWorker(t.env, { smtpUrl: t.smtp.url, store, chat });
    const at = (iso: string) => skipTo(t.env, iso);
    let audit: AuditEntry[] = [];
    let throttledFrom = 0;

    try {
      await worker.runUntil(async () => {
        await client.start(cycle, 'office-lin');
        await at('2019-12-20T10:00:00+08:00');
        await client.submit(id, 'plan', { actor: 'office-lin' });
        await at('2019-12-23T10:00:00+08:00');
        await client.approve(id, 'plan', { actor: 'hr-reviewer' });
        await at('2019-12-24T10:00:00+08:00');
        await client.reject(id, 'plan', { actor: 'efficiency-group', reason: '目标量化不足' });
        await at('2019-12-29T10:00:00+08:00');
        await client.submit(id, 'plan', { actor: 'office-lin' });
        await at('2019-12-30T10:00:00+08:00');
        await client.approve(id, 'plan', { actor: 'hr-reviewer' });
        await at('2020-01-03T10:00:00+08:00');
        await client.approve(id, 'plan', { actor: 'efficiency-group' });
        await at('2020-01-22T10:00:00+08:00');
        for (const dept of ['office', 'planning', 'cadastre', 'registry']) {
          await client.submit(id, `summary-${dept}`, { actor: owner(dept) });
          await client.approve(id, `summary-${dept}`, { actor: leader(dept) });
        }
        await at('2020-01-25T10:00:00+08:00');
        for (const dept of ['law', 'enforcement']) {
          await client.submit(id, `summary-${dept}`, { actor: 'head-xu' });
          await client.approve(id, `summary-${dept}`, { actor: leader(dept) });
        }
        // The WeCom robot is used up by another system for a few seconds, as the 28 January reminders go out.
        throttledFrom = robots.refusals.length;
        robots.throttle('key-landuse', 4_000 * SPEED);
        await at('2020-01-29T10:00:00+08:00');
        await at('2020-02-06T10:00:00+08:00');
        for (const dept of ['landuse', 'mineral']) {
          await client.submit(id, `summary-${dept}`, { actor: owner(dept) });
          await client.approve(id, `summary-${dept}`, { actor: 'leader-li' });
        }
        for (const d of cycle.departments.filter((x) => x.id !== 'mineral')) {
          await client.submit(id, `evidence-${d.id}`, { actor: d.owner });
          await client.approve(id, `evidence-${d.id}`, { actor: 'office-lin' });
        }
        await at('2020-02-10T01:00:00+08:00');
        expect((await client.status(id)).phase).toBe('review');
        await at('2020-02-12T10:00:00+08:00');
        // Everything in flight has landed: each digest the cycle sent is in the ledger, nothing is pending.
        await until('every digest delivered and audited', async () => {
          audit = await client.audit(id);
          const reach = await store.mail.reach(id);
          const sent = reach.reduce((n, r) => n + r.sent, 0);
          return reach.every((r) => r.pending === 0) && sent === sentLines(audit).length;
        });
        const deliverables = (await client.status(id)).deliverables.map((d) => d.id);
        await stopCycle(t.env, id, deliverables);
      });
    } finally {
      sender.close();
      await robots.close();
    }

    const lines = sentLines(audit);
    const people = [...new Set(lines.map((l) => l.to))];
    const linesTo = (p: string) => lines.filter((l) => l.to === p);
    // The chat people and the fallback person did get digests: the checks below are not empty.
    for (const p of ['head-hong', 'leader-li', 'head-cai', 'head-xu', 'office-lin', 'director-zhang']) expect(linesTo(p).length, p).toBeGreaterThan(0);
    expect(audit.filter((e) => e.action === 'mail-failed')).toEqual([]);

    // Each digest once: its id names one ledger row, sent, to its person on their channel; no digest twice.
    const keys: string[] = [];
    for (const l of lines) {
      const row = await store.mail.get(l.id);
      expect(row, l.detail).toMatchObject({ state: 'sent', person_id: l.to, channel: channelOf(l.to), cycle_id: id });
      expect(l.via).toBe(channelOf(l.to));
      keys.push(row!.mail_key);
      expect(row!.mail_key.startsWith(`${id}|${l.to}|`)).toBe(true);
    }
    expect(new Set(keys).size).toBe(lines.length);
    // The ledger has nothing beyond what the audit says was sent: per person and channel, as many sent.
    const reach = await store.mail.reach(id);
    for (const r of reach) {
      const expected = r.channel === channelOf(r.personId) ? linesTo(r.personId).length : 0;
      expect(`${r.personId} ${r.channel} sent=${r.sent} pending=${r.pending}`).toBe(`${r.personId} ${r.channel} sent=${expected} pending=0`);
    }
    expect(reach.filter((r) => r.refused > 0).map((r) => `${r.personId} ${r.channel} refused=${r.refused}`)).toEqual([`head-xu dingtalk refused=${linesTo('head-xu').length}`]);

    // E-mail: each e-mail person's mails are exactly their digests, one each; chat people get none.
    const mails = t.smtp.messages.filter((m) => headerOf(m, 'x-perfcycle-cycle') === id);
    const mailsTo = (p: string): ParsedMail[] => {
      const email = cycle.people.find((x) => x.id === p)!.email;
      return mails.filter((m) => recipientOf(m) === email);
    };
    for (const p of people) {
      const expected = channelOf(p) === 'email' ? linesTo(p).map((l) => l.id).sort() : [];
      expect(mailsTo(p).map((m) => m.messageId ?? '').sort(), p).toEqual(expected);
    }
    expect(mails).toHaveLength(lines.filter((l) => l.via === 'email').length);

    // Chat: each chat person's messages are exactly their digests, each listing the digest's items,
    // mentioning them by mobile; every message is someone's digest.
    const mineralMessages = robots.accepted.filter((a) => a.id === 'tok-mineral');
    const landuseMessages = robots.accepted.filter((a) => a.id === 'key-landuse');
    expect(robots.accepted).toHaveLength(mineralMessages.length + landuseMessages.length);
    for (const p of ['head-hong', 'leader-li']) {
      const mine = mineralMessages.filter((a) => JSON.stringify(a.body.at?.atMobiles) === JSON.stringify([PHONES[p]]));
      expect(mine.every((a) => a.body.msgtype === 'markdown' && textOf(a).endsWith(`@${PHONES[p]}`))).toBe(true);
      expect(counted(mine.map((a) => linked(textOf(a)))), p).toEqual(counted(linesTo(p).map((l) => l.subject.split(',').sort().join(','))));
    }
    expect(mineralMessages).toHaveLength(linesTo('head-hong').length + linesTo('leader-li').length);
    expect(landuseMessages.every((a) => a.body.msgtype === 'text' && JSON.stringify(a.body.text.mentioned_mobile_list) === JSON.stringify([PHONES['head-cai']]))).toBe(true);
    expect(counted(landuseMessages.map((a) => linked(textOf(a))))).toEqual(counted(linesTo('head-cai').map((l) => l.subject.split(',').sort().join(','))));

    // The WeCom robot said "rate limited" while it was used up: those digests were delayed (the audit
    // says so) and then delivered, once; no digest was given up or mailed instead.
    const throttled = robots.refusals.slice(throttledFrom).filter((r) => r === 'key-landuse 45009');
    expect(throttled.length).toBeGreaterThan(0);
    const delayed = audit.filter((e) => e.action === 'mail-delayed');
    expect(delayed.length).toBeGreaterThan(0);
    expect(delayed.every((e) => /^to=head-cai attempts=\d+: 机器人限流 \/ robot rate-limited: /.test(e.detail ?? ''))).toBe(true);
    expect(linesTo('head-cai').some((l) => /\(已送达 delivered after \d+ failed attempts\)$/.test(l.detail))).toBe(true);
    expect(mailsTo('head-cai')).toEqual([]);

    // The wrong secret: the law robot was asked once per digest and never accepted one; each of head-xu's
    // digests went by e-mail, with a 'notice-fallback' line saying which robot refused and why just before.
    expect(robots.requests.get('tok-law')).toBe(linesTo('head-xu').length);
    expect(robots.refusals.filter((r) => r.startsWith('tok-law '))).toEqual(Array(linesTo('head-xu').length).fill('tok-law 310000'));
    const fallbacks = audit.filter((e) => e.action === 'notice-fallback');
    expect(fallbacks.map((e) => e.detail)).toEqual(Array(linesTo('head-xu').length).fill(`to=head-xu channel=dingtalk robot=${law} reason=bad-secret`));
    for (const f of fallbacks) {
      const next = audit[audit.indexOf(f) + 1]!;
      expect([next.action, next.subject, next.detail?.startsWith('to=head-xu ')]).toEqual(['reminder-sent', f.subject, true]);
    }
    expect(linesTo('head-xu').every((l) => l.via === 'email')).toBe(true);
    expect([mineral, landuse].every((r) => !fallbacks.some((f) => f.detail?.includes(r)))).toBe(true);

    // No robot's token, key or secret in the audit (which names robots by their hash).
    const text = JSON.stringify(audit);
    for (const c of CREDENTIALS) expect(text).not.toContain(c);
  }, 300_000);
});
