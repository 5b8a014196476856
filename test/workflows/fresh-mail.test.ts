// Mails a recipient can act on, as a cycle sends them (time-skipping server, real SMTP): a cycle opened
// long overdue says its first escalation is the first and counts the next; a mail whose item changed
// state during the gathering minute leaves that item out, and is not sent when nothing is left; cycles
// with a spread (reminders.spreadMinutes) are chased each at its own second after the hour.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { headerOf, recipientOf } from '../helpers/smtp.js';
import { chaseOffsetSeconds } from '../../domain/chase.js';
import { recordHistories } from '../helpers/histories.js';
import { exampleCycle } from '../helpers/cycle.js';
import { skipTo, testWorker } from '../helpers/worker.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

const items = (m: ParsedMail) => headerOf(m, 'x-perfcycle-items').split(',');
const mailsOf = (cycleId: string, to: string) => t.smtp.messages.filter((m) => headerOf(m, 'x-perfcycle-cycle') === cycleId && recipientOf(m) === to);

/** Mail is sent by activities in real time, after the server's clock moved: wait for it. */
async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mails a recipient can act on', () => {
  it('a cycle opened long overdue: the first escalation says it is the first, the next counts', async () => {
    // Due 15 October: by 1 December the chase is at its ninth repeat.
    const cycle = exampleCycle('late-open', (f) => { f.calendar.planSubmission = '2019-10-15'; });
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const office = () => mailsOf(cycle.cycleId, 'office-lin@jinjiang.example');
    const director = () => mailsOf(cycle.cycleId, 'director-zhang@jinjiang.example');
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-01T00:05:00+08:00');
      await until('the first mails', () => (office().length && director().length ? true : undefined));
      await skipTo(t.env, '2019-12-06T10:00:00+08:00');
      await until('the next repeat', () => (office().length > 1 && director().length > 1 ? true : undefined));
    });

    const [first, next] = office();
    expect(items(first!)).toEqual(['plan:assigned', 'plan:overdue-repeat']);
    expect(first!.subject).toBe('【逾期督办】晋江市自然资源局：绩效评估工作方案及"三定"规定（首次督办）');
    expect(first!.text).toContain('【首次督办】\n   请您提交，截止 2019年10月15日（周二）24:00，已逾期 47 天。\n   已同时告知张建国（局长）。\n   办理：http://127.0.0.1:3000/cycles/');
    expect(first!.text).not.toMatch(/持续|npx|--as/);
    expect(headerOf(next!, 'x-perfcycle-slot')).toBe('2019-12-06T09:00:00+08:00');
    expect(next!.subject).toContain('（第 2 次督办）');

    const [toDirector, again] = director();
    expect(toDirector!.subject).toBe('【逾期督办】晋江市自然资源局：绩效评估工作方案及"三定"规定（首次督办，请您督促）');
    expect(toDirector!.text).toContain('请您督促以下 1 项逾期事项');
    expect(toDirector!.text).toContain('已逾期 47 天；应由林晓燕（局办公室）提交');
    expect(toDirector!.text).not.toMatch(/需要您办理|office-lin/);
    expect(again!.text).toContain('【第 2 次督办】');
  });

  it('a reviewer who approves within the gathering minute gets no "待您审核"; a mail keeps only the items still as they were', async () => {
    const cycle = exampleCycle('fresh');
    const id = cycle.cycleId;
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const hr = () => mailsOf(id, 'kaohe@rsj.jinjiang.example');
    const group = () => mailsOf(id, 'xiaoneng-group@jinjiang.example');
    const wang = () => mailsOf(id, 'leader-wang@jinjiang.example');
    let audit: Awaited<ReturnType<typeof client.audit>> = [];

    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-09T10:00:00+08:00');
      // The review request for HR is raised now, and waits a minute for company; HR approves 20 s in.
      await client.submit(id, 'plan', { actor: 'office-lin' });
      await t.env.sleep(20_000);
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await skipTo(t.env, '2019-12-09T10:05:00+08:00');
      // The approver's request, raised by HR's approval, goes out (after HR's would have).
      const [toGroup] = await until('the approver\'s review request', () => (group().length ? group() : undefined));
      expect(items(toGroup!)).toEqual(['plan:review-requested']);
      expect(toGroup!.subject).toBe('【绩效评估】晋江市自然资源局：绩效评估工作方案及"三定"规定（待您审核）');

      // Two summaries for leader-wang to review raised in one minute; he approves one of them 20 s in.
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      await skipTo(t.env, '2019-12-10T10:00:00+08:00');
      await client.submit(id, 'summary-planning', { actor: 'head-zheng' });
      await client.submit(id, 'summary-cadastre', { actor: 'head-wu' });
      await t.env.sleep(20_000);
      await client.approve(id, 'summary-planning', { actor: 'leader-wang' });
      await skipTo(t.env, '2019-12-10T10:05:00+08:00');
      await until('leader-wang\'s mail', () => (wang().some((m) => items(m).includes('summary-cadastre:review-requested')) ? true : undefined));
      // Whatever else is in flight has landed by now.
      await until('the acceptance to head-zheng', () => (mailsOf(id, 'head-zheng@jinjiang.example').some((m) => items(m).includes('summary-planning:accepted')) ? true : undefined));
      audit = await client.audit(id);
    });

    expect(hr().filter((m) => items(m).includes('plan:review-requested'))).toEqual([]);
    const [review, ...more] = wang().filter((m) => items(m).some((i) => i.endsWith(':review-requested')));
    expect(more).toEqual([]);
    expect(items(review!)).toEqual(['summary-cadastre:review-requested']);
    expect(review!.subject).toBe('【绩效评估】晋江市自然资源局：地籍与确权登记科年度工作总结及目标台账（待您审核）');
    expect(review!.text).not.toContain('规划科');
    // The audit tells what was mailed; of a mail made moot before it left it says nothing (the approval is there).
    const sent = audit.filter((e) => e.action === 'reminder-sent').map((e) => `${e.subject} ${e.detail?.split(' ')[0]}`);
    expect(sent).toContain('plan to=efficiency-group');
    expect(sent).toContain('summary-cadastre to=leader-wang');
    expect(sent.filter((s) => s.endsWith('to=hr-reviewer') || s.startsWith('summary-planning to=leader-wang'))).toEqual([]);
    expect(audit.map((e) => `${e.actor} ${e.action} ${e.subject}`)).toContain('hr-reviewer approved plan');
  });

  it('cycles with a spread are each chased at their own second after the hour, not before it', async () => {
    // The plan due 17 December, chased at 11:00: its 7-days reminder falls on this test's day (the clock is
    // at 10 December, 10:05), before anything of the cycles above, whose worker is gone, falls due.
    const cycles = ['spread-a', 'spread-b'].map((k) => exampleCycle(k, (f) => {
      f.reminders = { ...f.reminders, hour: 11, spreadMinutes: 10 };
      f.calendar.planSubmission = '2019-12-17';
    }));
    const at = cycles.map((c) => DateTime.fromISO('2019-12-10T11:00:00+08:00', { setZone: true }).plus({ seconds: chaseOffsetSeconds(c.cycleId, c.policy) }));
    expect(new Set(at.map((a) => a.toMillis())).size).toBe(2);
    const [first, last] = [...at].sort((a, b) => a.toMillis() - b.toMillis());
    const reminders = (c: (typeof cycles)[number]) => mailsOf(c.cycleId, 'office-lin@jinjiang.example').filter((m) => items(m).includes('plan:reminder'));
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    await worker.runUntil(async () => {
      for (const c of cycles) await client.start(c, 'office-lin');
      // Each reminder is due at 11:00 and its offset, then waits the minute's grace.
      await skipTo(t.env, first!.minus({ seconds: 5 }).toISO()!);
      expect(cycles.map((c) => reminders(c).length)).toEqual([0, 0]);
      await skipTo(t.env, last!.plus({ minutes: 2 }).toISO()!);
      await until('both reminders', () => (cycles.every((c) => reminders(c).length === 1) ? true : undefined));
      if (process.env.RECORD_HISTORIES) await recordHistories(t.env, cycles.map((c) => c.cycleId));
    });
    expect(cycles.map((c) => headerOf(reminders(c)[0]!, 'x-perfcycle-slot'))).toEqual(at.map((a) => a.toISO({ suppressMilliseconds: true })));
  });
});
