// The source document's 2019 cycle, 2019-12-01 → 2020-05-31, on the time-skipping server.
import { describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { headerOf, mailsWith as mailsWithItem, recipientOf } from '../helpers/smtp.js';
import { exampleCycle } from '../helpers/cycle.js';
import { skipTo, testWorker } from '../helpers/worker.js';
import { recordHistories } from '../helpers/histories.js';
import type { CycleStatus } from '../../workflows/definitions.js';
import type { AuditEntry } from '../../domain/audit.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

const header = headerOf;
const to = recipientOf;
const mailsWith = (item: string) => mailsWithItem(t.smtp.messages, item);
const slots = (ms: ParsedMail[]) => ms.map((m) => header(m, 'x-perfcycle-slot')).sort();

describe('the 2019 cycle of 晋江市自然资源局', () => {
  it('runs from plan to rectification with reminders, escalations, approvals, a rejection loop and an audit', async () => {
    const cycle = exampleCycle('y2019');
    const { worker, client, store } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const id = cycle.cycleId;
    const at = (iso: string) => skipTo(t.env, iso);
    const phase = async () => (await client.status(id)).phase;
    let audit: AuditEntry[] = [];
    let mailActivities: (string | null | undefined)[] = [];

    await worker.runUntil(async () => {
      expect(await client.start(cycle, 'office-lin')).toBe(id);
      await expect(client.start(cycle, 'office-lin')).rejects.toThrow(/already running|已在运行/);

      // Plan: submitted, pre-approved by HR, rejected by the approver, resubmitted, approved.
      await at('2019-12-20T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin', note: '2019 年度方案及三定规定' });
      await at('2019-12-23T10:00:00+08:00');
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await at('2019-12-24T10:00:00+08:00');
      const rejected = await client.reject(id, 'plan', { actor: 'efficiency-group', reason: '目标量化不足' });
      expect(rejected.state).toBe('open');
      expect(rejected.due).toBe('2019-12-31T23:59:59.999+08:00');
      await at('2019-12-29T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin', note: '已补充量化指标' });
      await at('2019-12-30T10:00:00+08:00');
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      expect(await phase()).toBe('plan');
      await at('2020-01-03T10:00:00+08:00');
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      // The approval moves the cycle at once, not at a calendar date.
      const afterApproval = await client.status(id);
      expect(afterApproval.phase).toBe('summary');
      expect(afterApproval.deliverables.filter((d) => d.kind === 'summary')).toHaveLength(8);

      // A department head may not deliver for another department: refused and audited.
      await expect(client.submit(id, 'summary-law', { actor: 'head-zheng' })).rejects.toThrow(/head-zheng/);

      // Summaries: most on time; law and enforcement (both head-xu) a day after the 7-day reminder;
      // landuse and mineral (both under leader-li) late.
      await at('2020-01-22T10:00:00+08:00');
      for (const dept of ['office', 'planning', 'cadastre', 'registry']) {
        await client.submit(id, `summary-${dept}`, { actor: cycle.departments.find((d) => d.id === dept)!.owner });
        await client.approve(id, `summary-${dept}`, { actor: cycle.departments.find((d) => d.id === dept)!.leader });
      }
      await at('2020-01-25T10:00:00+08:00');
      for (const dept of ['law', 'enforcement']) {
        await client.submit(id, `summary-${dept}`, { actor: 'head-xu' });
        await client.approve(id, `summary-${dept}`, { actor: cycle.departments.find((d) => d.id === dept)!.leader });
      }
      await at('2020-02-06T10:00:00+08:00');
      const late = await client.status(id);
      expect(late.phase).toBe('summary');
      expect(late.deliverables.find((d) => d.id === 'summary-mineral')?.overdueDays).toBe(6);
      for (const dept of ['landuse', 'mineral']) {
        await client.submit(id, `summary-${dept}`, { actor: cycle.departments.find((d) => d.id === dept)!.owner });
        await client.approve(id, `summary-${dept}`, { actor: 'leader-li' });
      }
      for (const d of cycle.departments.filter((x) => x.id !== 'mineral')) {
        await client.submit(id, `evidence-${d.id}`, { actor: d.owner, note: '纸质、图片、音像材料已分类' });
        await client.approve(id, `evidence-${d.id}`, { actor: 'office-lin' });
      }
      // All summaries are in, but the review waits for its window.
      expect(await phase()).toBe('summary');
      await at('2020-02-10T01:00:00+08:00');
      const open = await client.status(id);
      expect([open.phase, open.reviewWindow]).toEqual(['review', 'open']);
      await at('2020-02-15T01:00:00+08:00');
      const closed = await client.status(id);
      expect([closed.phase, closed.reviewWindow]).toEqual(['scoring', 'closed']);
      expect(closed.scoringPackage).toBe(`/api/cycles/${id}/review-package`);
      const pkg = await store.cycles.reviewPackage(id) as { deliverables: { id: string }[] };
      expect(pkg.deliverables.map((d) => d.id)).toContain('summary-mineral');
      expect(closed.deliverables.find((d) => d.id === 'evidence-mineral')?.state).toBe('closed');

      await at('2020-03-20T10:00:00+08:00');
      await client.submit(id, 'result', { actor: 'efficiency-office', note: '综合得分 88.5，良好' });
      expect(await phase()).toBe('publication');
      await at('2020-04-20T10:00:00+08:00');
      await client.submit(id, 'bonus-list', { actor: 'office-lin' });
      await client.approve(id, 'bonus-list', { actor: 'efficiency-office' });
      expect(await phase()).toBe('rectification');
      await at('2020-05-10T10:00:00+08:00');
      await client.submit(id, 'rectification', { actor: 'office-lin' });
      await client.approve(id, 'rectification', { actor: 'hr-reviewer' });
      await at('2020-05-31T00:00:00+08:00');
      const final = (await t.env.client.workflow.getHandle(id).result()) as CycleStatus;
      expect(final.phase).toBe('closed');
      // A closed workflow's queries are answered by replaying it, so read the audit while the worker runs.
      audit = await client.audit(id);
      mailActivities = ((await t.env.client.workflow.getHandle(id).fetchHistory()).events ?? [])
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((n) => n?.startsWith('sendDigest'));
      if (process.env.RECORD_HISTORIES) await recordHistories(t.env, [id]);
    });

    // Every entry reached the database, in the order recorded, with its chain intact.
    const stored = await store.audit.list(id);
    expect(stored.map((e) => `${e.action} ${e.subject}`)).toEqual(audit.map((e) => `${e.action} ${e.subject}`));
    expect(await store.audit.verify(id)).toEqual({ ok: true, rows: audit.length });
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect((await store.cycles.finalStatus<CycleStatus>(id))?.phase).toBe('closed');

    // Reminders: the plan's owner was reminded 3 days before the re-set deadline and then delivered.
    const planReminders = (who: string) => slots(mailsWith('plan:reminder').filter((m) => to(m) === who));
    expect(planReminders('office-lin@jinjiang.example')).toEqual(['2019-12-28T09:00:00+08:00']);
    // While in review the reviewer is chased instead: the approver, 7 days before the 10 January approval deadline.
    expect(planReminders('xiaoneng-group@jinjiang.example')).toEqual(['2020-01-03T09:00:00+08:00']);
    // head-xu owns two departments: one mail per day listing both summaries, 7 days before only.
    const xu = t.smtp.messages.filter((m) => to(m) === 'head-xu@jinjiang.example' && header(m, 'x-perfcycle-items').includes('summary-law:reminder'));
    expect(slots(xu)).toEqual(['2020-01-24T09:00:00+08:00']);
    expect(header(xu[0]!, 'x-perfcycle-items').split(',').sort()).toEqual(['summary-enforcement:reminder', 'summary-law:reminder']);
    expect(xu[0]!.text).toContain('请您提交，截止 2020年1月31日（周五）24:00，还有 7 天。');
    // The late pair under leader-li: reminded 7, 3, 1, 0 days before, escalated together.
    expect(slots(mailsWith('summary-mineral:reminder'))).toEqual(
      ['2020-01-24T09:00:00+08:00', '2020-01-28T09:00:00+08:00', '2020-01-30T09:00:00+08:00', '2020-01-31T09:00:00+08:00']);
    const toLeader = mailsWith('summary-mineral:escalate-leader').filter((m) => to(m) === 'leader-li@jinjiang.example');
    expect(slots(toLeader)).toEqual(['2020-02-01T09:00:00+08:00']);
    expect(header(toLeader[0]!, 'x-perfcycle-items')).toContain('summary-landuse:escalate-leader');
    // Three working days after Friday 31 January (Spring Festival holiday) is Wednesday 5 February.
    const toDirector = mailsWith('summary-mineral:escalate-director').filter((m) => to(m) === 'director-zhang@jinjiang.example');
    expect(slots(toDirector)).toEqual(['2020-02-05T09:00:00+08:00']);
    // The director is asked to urge the two heads, by name, department by department; it is the second escalation.
    expect(toDirector[0]!.subject).toBe('【逾期督办】晋江市自然资源局：2 项逾期事项请您督促');
    expect(toDirector[0]!.text).toContain('请您督促以下 2 项逾期事项');
    expect(toDirector[0]!.text).toContain('矿产资源管理科年度工作总结及目标台账【第 2 次督办】\n   已逾期 5 天；应由洪涛（矿产资源管理科科长）提交');
    expect(toDirector[0]!.text).toMatch(/耕地保护与利用科（1 项）\n[\s\S]*矿产资源管理科（1 项）\n/);
    expect(toLeader[0]!.text).toContain('【首次督办】');
    expect(mailsWith('summary-planning:escalate-leader')).toHaveLength(0);

    const actions = audit.map((e) => `${e.actor} ${e.action} ${e.subject}`);
    expect(actions).toContain('office-lin submitted plan');
    expect(actions).toContain('efficiency-group rejected plan');
    expect(actions).toContain('efficiency-group approved plan');
    expect(actions).toContain('head-zheng refused summary-law');
    expect(audit.find((e) => e.action === 'rejected')?.detail).toBe('目标量化不足');
    expect(audit.filter((e) => e.action === 'phase-changed').map((e) => e.detail)).toEqual(
      ['plan → summary', 'summary → review', 'review → scoring', 'scoring → publication', 'publication → rectification', 'rectification → closed']);
    expect(audit.find((e) => e.action === 'phase-changed')?.at).toMatch(/^2020-01-03T10:00:\d\d(\.\d+)?\+08:00$/);
    expect(audit.every((e) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/.test(e.at))).toBe(true);
    expect(audit.filter((e) => e.action === 'escalated').length).toBeGreaterThan(0);
    // The digests of a slot go out in one activity (patch digests-together): fewer mail activities than mails.
    expect(mailActivities).toContain('sendDigests');
    expect(mailActivities.length).toBeLessThan(audit.filter((e) => e.action === 'reminder-sent').length);
  });
});
