// Chasing by hand (issue 11) on the time-skipping server with a real SMTP sink: an urge (催办) mails
// whoever must act at once, once a day per person urged; an extension (延期) re-arms the chase from the
// new deadline (its reminders come, the old deadline's escalations do not); wrong people are refused.
import { describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { headerOf, mailsWith, recipientOf } from '../helpers/smtp.js';
import { exampleCycle } from '../helpers/cycle.js';
import { failure, skipTo, stopCycle, testWorker } from '../helpers/worker.js';
import { until } from '../api/scored-cycle.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

const ofCycle = (cycleId: string) => t.smtp.messages.filter((m) => headerOf(m, 'x-perfcycle-cycle') === cycleId);
const to = (address: string) => (m: ParsedMail) => recipientOf(m) === address;

const stop = (cycleId: string, deliverables: string[]) => stopCycle(t.env, cycleId, deliverables);

describe('urging whoever must act (催办)', () => {
  it('mails the reviewer at once, refuses a second urge the same day naming who and when, allows it the next day', async () => {
    const cycle = exampleCycle('urge');
    const id = cycle.cycleId;
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const hr = () => mailsWith(ofCycle(id), 'plan:urged').filter(to('kaohe@rsj.jinjiang.example'));
    let audit: Awaited<ReturnType<typeof client.audit>> = [];
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-09T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin' });
      // The review request has gone out by now: the urge below is a mail of its own.
      await skipTo(t.env, '2019-12-09T10:05:00+08:00');

      // A department head may not urge (refused, audited); the coordinator urges HR, who must review.
      expect((await failure(client.urge(id, 'plan', { actor: 'head-wu' }))).code).toBe('refused');
      const snap = await client.urge(id, 'plan', { actor: 'office-lin', message: '请本周内完成初审' });
      expect(snap.urged).toMatchObject([{ to: 'hr-reviewer', by: 'office-lin' }]);
      // At once: no time is skipped while waiting, and the gathering grace is a whole minute.
      const [first] = await until('the urge mail', async () => (hr().length ? hr() : undefined), 20_000);
      expect(headerOf(first!, 'x-perfcycle-slot')).toBe('2019-12-09T10:05:00+08:00');
      expect(first!.subject).toBe('【绩效评估】晋江市自然资源局：绩效评估工作方案及"三定"规定（催办）');
      expect(first!.text).toContain('【催办】\n   请您审核（通过或退回），截止 2020年1月10日（周五）24:00。\n');
      expect(first!.text).toContain('   林晓燕（局办公室）催办：请本周内完成初审\n   办理：http://127.0.0.1:3000/cycles/');
      expect(first!.text).not.toMatch(/npx|--as|office-lin/);

      // The director the same day: 409 naming the coordinator and the minute, and no second mail.
      const again = await failure(client.urge(id, 'plan', { actor: 'director-zhang' }));
      expect(again.code).toBe('conflict');
      expect(again.message).toMatch(/今天已由 林晓燕（局办公室） 于 2019-12-09 10:05 催办过 市人社局考核科/);
      expect(again.message).toContain('already urged today by 林晓燕（局办公室） at 2019-12-09 10:05');

      await skipTo(t.env, '2019-12-10T10:00:00+08:00');
      await client.urge(id, 'plan', { actor: 'director-zhang' });
      await until('the second urge mail', async () => (hr().length > 1 ? true : undefined), 20_000);
      audit = await client.audit(id);
      await stop(id, (await client.status(id)).deliverables.map((d) => d.id));
    });
    const [, second, ...more] = hr();
    expect(more).toEqual([]);
    expect(headerOf(second!, 'x-perfcycle-slot')).toBe('2019-12-10T10:00:00+08:00');
    expect(second!.text).toContain('张建国（局长）催您尽快办理。');
    const urges = audit.filter((e) => e.action === 'urged').map((e) => `${e.actor} ${e.role} ${e.subject} ${e.detail}`);
    expect(urges).toEqual(['office-lin coordinator plan to=hr-reviewer: 请本周内完成初审', 'director-zhang director plan to=hr-reviewer']);
    expect(audit.some((e) => e.action === 'refused' && e.actor === 'head-wu' && e.detail?.startsWith('urge:'))).toBe(true);
    // The second urge of the day was a conflict, not a refusal: nothing audited for it.
    expect(audit.filter((e) => e.action === 'refused' && e.actor === 'director-zhang')).toEqual([]);
  });
});

describe('extending a deadline (延期)', () => {
  it('re-arms the chase from the new date: its reminder comes, the old date escalates nothing; only the coordinator may', async () => {
    const cycle = exampleCycle('extend');
    const id = cycle.cycleId;
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const item = 'summary-landuse';
    let audit: Awaited<ReturnType<typeof client.audit>> = [];
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      // After the urge test's days (the server's clock only moves forward).
      await skipTo(t.env, '2019-12-11T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin' });
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      await skipTo(t.env, '2020-01-20T10:00:00+08:00');

      // The department's leader may urge but not extend; another department's leader may do neither.
      expect((await failure(client.extend(id, item, { actor: 'leader-li', due: '2020-02-12', reason: '节前停机' }))).code).toBe('refused');
      expect((await failure(client.urge(id, item, { actor: 'leader-wang' }))).code).toBe('refused');
      const bad = (due: string) => failure(client.extend(id, item, { actor: 'office-lin', due, reason: '节前停机' }));
      expect(await bad('2020-01-20')).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^due: .*after today/) });
      expect(await bad('2020-01-25')).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^due: .*2020-01-31/) });
      expect(await bad('2019-02-31')).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^due: /) });
      expect(await failure(client.extend(id, item, { actor: 'office-lin', due: '2020-02-12', reason: ' ' }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^reason: /) });

      const snap = await client.extend(id, item, { actor: 'office-lin', due: '2020-02-12', reason: '系统节前停机，顺延' });
      expect(snap.due).toBe('2020-02-12T23:59:59.999+08:00');
      expect((await client.status(id)).deliverables.find((d) => d.id === item)?.due).toBe('2020-02-12T23:59:59.999+08:00');
      // The old deadline's leader escalation was 2020-02-01 09:00, the new deadline's first reminder 2020-02-05 09:00.
      await skipTo(t.env, '2020-02-05T09:30:00+08:00');
      await until('the reminder before the new date', async () => (mailsWith(ofCycle(id), `${item}:reminder`).some((m) => headerOf(m, 'x-perfcycle-slot') === '2020-02-05T09:00:00+08:00') ? true : undefined), 20_000);
      audit = await client.audit(id);
    });
    const mine = ofCycle(id).filter((m) => headerOf(m, 'x-perfcycle-items').includes(`${item}:`));
    const told = mine.filter(to('head-cai@jinjiang.example'))
      .map((m) => `${headerOf(m, 'x-perfcycle-slot')} ${headerOf(m, 'x-perfcycle-items').split(',').filter((i) => i.startsWith(`${item}:`)).join(',')}`);
    // Assigned, then told of the extension, then the first reminder of the new deadline; none of the old one's.
    expect(told).toEqual([
      `2019-12-11T10:00:00+08:00 ${item}:assigned`,
      `2020-01-20T10:00:00+08:00 ${item}:extended`,
      `2020-02-05T09:00:00+08:00 ${item}:reminder`,
    ]);
    const extended = mine.find((m) => headerOf(m, 'x-perfcycle-items') === `${item}:extended`)!;
    expect(extended.text).toContain('请您提交，截止 2020年2月12日（周三）24:00');
    expect(extended.text).toContain('延期理由：系统节前停机，顺延');
    expect(mine.filter(to('leader-li@jinjiang.example'))).toEqual([]);
    // Another summary, not extended, escalated to its leader the day after the old deadline.
    expect(mailsWith(ofCycle(id), 'summary-planning:escalate-leader').map((m) => headerOf(m, 'x-perfcycle-slot'))).toContain('2020-02-01T09:00:00+08:00');
    expect(audit.filter((e) => e.subject === item && e.action === 'escalated')).toEqual([]);
    expect(audit.filter((e) => e.action === 'deadline-extended').map((e) => `${e.actor} ${e.role} ${e.subject} ${e.detail}`))
      .toEqual([`office-lin coordinator ${item} 2020-01-31 → 2020-02-12: 系统节前停机，顺延`]);
    expect(audit.filter((e) => e.action === 'refused' && e.subject === item).map((e) => `${e.actor} ${e.detail?.split(':')[0]}`))
      .toEqual(['leader-li extend', 'leader-wang urge']);
  });
});
