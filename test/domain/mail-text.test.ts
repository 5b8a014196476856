// The words of a mail: zh-CN first, English below, the deadline in local time, what to do and how.
import { describe, expect, it } from 'vitest';
import { renderDigest, type DigestContext } from '../../domain/mail-text.js';
import type { Notice } from '../../domain/notices.js';
import type { Person } from '../../domain/cycle-file.js';
import { groupNotices } from '../../domain/digest.js';

const CYCLE = 'perfcycle-jinjiang-zrzy-2019';
const person = (id: string, name: string): Person => ({ id, name, email: `${id}@jinjiang.example`, lang: 'zh-CN' });
const LIN = person('office-lin', '林晓燕（局办公室）');
const XU = person('head-xu', '许志强（政策法规科科长兼执法大队队长）');
const WANG = person('leader-wang', '王志明（副局长）');
const HR = person('hr-reviewer', '市人社局考核科');
const GROUP = person('efficiency-group', '市机关效能建设领导小组');

const PLAN = { zh: '绩效评估工作方案及"三定"规定', en: 'Work plan and "three-determination" mandate' };
const notice = (n: Partial<Notice> & Pick<Notice, 'to' | 'kind'>): Notice => ({
  slot: '2019-12-28T09:00:00+08:00', deliverableId: 'plan', title: PLAN, due: '2019-12-31T23:59:59.999+08:00', owner: 'office-lin', ...n,
});
const render = (to: Person, notices: Notice[], extra: Partial<DigestContext> = {}) =>
  renderDigest({ unitName: '晋江市自然资源局', cycleId: CYCLE, to, notices, timeZone: 'Asia/Shanghai', ...extra });

/** The zh-CN part and the English part of the text, split at the separator. */
const parts = (text: string) => {
  const [zh, en] = text.split('—— English ——');
  return { zh: zh ?? '', en: en ?? '' };
};

describe('a reminder to the owner', () => {
  const mail = render(LIN, [notice({ to: 'office-lin', kind: 'reminder', daysBefore: 3 })]);

  it('is in zh-CN first, then English', () => {
    expect(mail.text.startsWith('林晓燕（局办公室），您好：')).toBe(true);
    const { zh, en } = parts(mail.text);
    expect(en).not.toBe('');
    expect(zh).toContain('晋江市自然资源局绩效评估（perfcycle-jinjiang-zrzy-2019）有以下事项需要您办理');
    expect(zh).toContain('1. 绩效评估工作方案及"三定"规定【到期提醒】');
    expect(zh).not.toMatch(/Reminder|Due:/);
    expect(en).toContain('Dear 林晓燕（局办公室）,');
    expect(en).toContain('1. Work plan and "three-determination" mandate [Reminder]');
    expect(mail.text.trimEnd().endsWith('本邮件由 perfcycle 自动发送 / sent by perfcycle')).toBe(true);
  });

  it('shows the deadline in local time, 2019-12-31 23:59, and the days left', () => {
    const { zh, en } = parts(mail.text);
    expect(zh).toMatch(/截止时间：2019-12-31 23:59 \(.*\)（还有 3 天）/);
    expect(en).toMatch(/Due: 2019-12-31 23:59 \(.*\) \(3 days left\)/);
    // Never the UTC instant.
    expect(mail.text).not.toContain('15:59');
  });

  it('tells the owner how to deliver it', () => {
    const { zh, en } = parts(mail.text);
    expect(zh).toContain(`提交：npx perfcycle submit ${CYCLE} plan --as office-lin --file 文件`);
    expect(en).toContain(`Submit: npx perfcycle submit ${CYCLE} plan --as office-lin --file FILE`);
  });

  it('has a subject naming the unit, the thing and the kind', () => {
    expect(mail.subject).toBe('【绩效评估】晋江市自然资源局：绩效评估工作方案及"三定"规定（到期提醒）');
  });

  it('shows the local time of another zone with its offset', () => {
    const berlin = render(LIN, [notice({ to: 'office-lin', kind: 'reminder', due: '2019-12-31T16:59:59.999Z' })], { timeZone: 'Europe/Berlin' });
    expect(berlin.text).toContain('2019-12-31 17:59');
  });

  it('links the portal when there is one', () => {
    const withPortal = render(LIN, [notice({ to: 'office-lin', kind: 'reminder' })], { portalUrl: 'http://perfcycle.example/' });
    expect(parts(withPortal.text).zh).toContain('网上办理 / Online: http://perfcycle.example/');
    // Each item links straight to its page in the portal, in the reader's language.
    const n = notice({ to: 'office-lin', kind: 'reminder' });
    expect(parts(withPortal.text).zh).toContain(`网上办理：http://perfcycle.example/cycles/${CYCLE}/d/${n.deliverableId}`);
    expect(parts(withPortal.text).en).toContain(`Online: http://perfcycle.example/cycles/${CYCLE}/d/${n.deliverableId}?lang=en`);
    expect(mail.text).not.toContain('网上办理');
  });
});

describe('several notices in one mail', () => {
  const due = '2020-01-31T23:59:59.999+08:00';
  const law = notice({ to: 'head-xu', owner: 'head-xu', kind: 'reminder', daysBefore: 7, due, deliverableId: 'summary-law', title: { zh: '政策法规科年度工作总结及目标台账', en: 'law: annual summary and target ledger' }, slot: '2020-01-24T09:00:00+08:00' });
  const enf = { ...law, deliverableId: 'summary-enforcement', title: { zh: '执法大队年度工作总结及目标台账', en: 'enforcement: annual summary and target ledger' } };
  const mail = render(XU, [law, enf]);

  it('lists them all, numbered, in both languages, each with its own command', () => {
    expect(mail.subject).toBe('【绩效评估】晋江市自然资源局：您有 2 项事项 / 2 items');
    const { zh, en } = parts(mail.text);
    expect(zh).toContain('1. 政策法规科年度工作总结及目标台账【到期提醒】');
    expect(zh).toContain('2. 执法大队年度工作总结及目标台账【到期提醒】');
    expect(en).toContain('1. law: annual summary and target ledger [Reminder]');
    expect(en).toContain('2. enforcement: annual summary and target ledger [Reminder]');
    expect(zh.match(/2020-01-31 23:59/g)).toHaveLength(2);
    expect(zh).toContain(`submit ${CYCLE} summary-law --as head-xu`);
    expect(zh).toContain(`submit ${CYCLE} summary-enforcement --as head-xu`);
  });

  it('is what groupNotices makes of one person’s notices in one slot', () => {
    const other = notice({ to: 'office-lin', kind: 'reminder', slot: law.slot });
    const later = { ...law, slot: '2020-01-28T09:00:00+08:00' };
    const groups = groupNotices([law, other, enf, later]);
    expect(groups.map((g) => [g.slot, g.to, g.notices.map((n) => n.deliverableId)])).toEqual([
      ['2020-01-24T09:00:00+08:00', 'head-xu', ['summary-law', 'summary-enforcement']],
      ['2020-01-24T09:00:00+08:00', 'office-lin', ['plan']],
      ['2020-01-28T09:00:00+08:00', 'head-xu', ['summary-law']],
    ]);
  });

  it('an overdue item makes the whole mail an overdue notice', () => {
    const mixed = render(XU, [law, { ...enf, kind: 'escalate-leader', daysBefore: undefined }] as Notice[]);
    expect(mixed.subject.startsWith('【逾期督办】')).toBe(true);
  });
});

describe('an escalation', () => {
  const esc = notice({
    to: 'leader-wang', owner: 'head-zheng', kind: 'escalate-leader', deliverableId: 'summary-planning',
    title: { zh: '规划科年度工作总结及目标台账', en: 'planning: annual summary and target ledger' }, due: '2020-01-31T23:59:59.999+08:00',
    slot: '2020-02-01T09:00:00+08:00',
  });

  it('tells the leader whom to follow up, not how to submit', () => {
    const mail = render(WANG, [esc]);
    expect(mail.subject).toBe('【逾期督办】晋江市自然资源局：规划科年度工作总结及目标台账（逾期督办（责任领导））');
    const { zh, en } = parts(mail.text);
    expect(zh).toContain('【逾期督办（责任领导）】');
    expect(zh).toContain('请督促 head-zheng 尽快办理。');
    expect(en).toContain('Please follow up with head-zheng.');
    expect(mail.text).not.toMatch(/submit|approve/);
    expect(zh).toContain('截止时间：2020-01-31 23:59');
    expect(zh).not.toContain('还有');
  });

  it('tells the director the same, and keeps telling on repeats', () => {
    for (const kind of ['escalate-director', 'overdue-repeat'] as const) {
      const mail = render(person('director-zhang', '张建国（局长）'), [{ ...esc, to: 'director-zhang', kind }]);
      expect(mail.text).toContain('请督促 head-zheng 尽快办理。');
      expect(mail.subject.startsWith('【逾期督办】')).toBe(true);
    }
  });

  it('tells the owner, copied on it, to submit', () => {
    const mail = render(person('head-zheng', '郑伟'), [{ ...esc, to: 'head-zheng' }]);
    expect(mail.text).toContain(`npx perfcycle submit ${CYCLE} summary-planning --as head-zheng`);
    expect(mail.text).not.toContain('请督促');
  });

  // While a deliverable is in review the chase escalates the late reviewer: the notice names who is
  // waited for, so the reviewer is asked to review and the leader is pointed at the reviewer.
  it('to a late reviewer asks for the review, not to chase the owner who already delivered', () => {
    const late = notice({ to: 'efficiency-group', kind: 'escalate-leader', due: '2020-01-10T23:59:59.999+08:00', slot: '2020-01-11T09:00:00+08:00', waitingFor: 'efficiency-group' });
    const mail = render(GROUP, [late]);
    expect(mail.text).not.toContain('follow up with office-lin');
    expect(mail.text).toContain(`approve ${CYCLE} plan --as efficiency-group`);
    const toLeader = render(GROUP, [{ ...late, to: 'director-zhang' }]);
    expect(toLeader.text).toContain('follow up with efficiency-group');
  });
});

describe('a review request', () => {
  const req = notice({ to: 'hr-reviewer', kind: 'review-requested', due: '2020-01-10T23:59:59.999+08:00', slot: '2019-12-20T10:00:00+08:00' });
  const mail = render(HR, [req]);

  it('shows the approve and reject commands in both languages', () => {
    const { zh, en } = parts(mail.text);
    expect(zh).toContain(`审核：npx perfcycle approve ${CYCLE} plan --as hr-reviewer（或 reject … --reason 理由）`);
    expect(en).toContain(`Review: npx perfcycle approve ${CYCLE} plan --as hr-reviewer (or reject … --reason TEXT)`);
    expect(zh).toContain('【待您审核】');
    expect(en).toContain('[Waiting for your review]');
    expect(zh).toContain('截止时间：2020-01-10 23:59');
    expect(mail.subject).toContain('（待您审核）');
  });

  it('a reminder to the reviewer also shows the review commands', () => {
    const r = render(HR, [{ ...req, kind: 'reminder', daysBefore: 1 }]);
    expect(r.text).toContain(`approve ${CYCLE} plan --as hr-reviewer`);
    expect(r.text).not.toContain('submit');
  });
});

describe('other notices', () => {
  it('a rejection gives the reason and the new deadline', () => {
    const mail = render(LIN, [notice({ to: 'office-lin', kind: 'rejected', reason: '目标量化不足', due: '2020-01-07T23:59:59.999+08:00' })]);
    const { zh, en } = parts(mail.text);
    expect(zh).toContain('【已退回，请修改后重新提交】');
    expect(zh).toContain('退回理由：目标量化不足');
    expect(en).toContain('Reason: 目标量化不足');
    expect(zh).toContain('截止时间：2020-01-07 23:59');
    expect(zh).toContain('submit');
  });

  it('an acceptance needs nothing done', () => {
    const mail = render(LIN, [notice({ to: 'office-lin', kind: 'accepted' })]);
    expect(mail.text).toContain('无需操作。');
    expect(mail.text).toContain('Nothing to do.');
    expect(mail.text).not.toMatch(/npx perfcycle/);
  });

  it('a new task is assigned with its deadline', () => {
    const mail = render(LIN, [notice({ to: 'office-lin', kind: 'assigned' })]);
    expect(mail.subject).toContain('（新任务）');
    expect(mail.text).toContain('2019-12-31 23:59');
  });
});
