// The words of a mail: in the reader's language, what is due, by when (as people write dates), how
// late; one link per item and never a command line; escalations counted; a director's digest grouped
// by department, most late first, with names; one subject; nothing stale.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDigest, type DigestContext } from '../../domain/mail-text.js';
import { currentNotices, itemStateOf, mailDirectory } from '../../domain/chase-mail.js';
import type { Notice, NoticeKind } from '../../domain/notices.js';
import type { Person } from '../../domain/cycle-file.js';
import { groupNotices } from '../../domain/digest.js';
import { exampleCycle } from '../helpers/cycle.js';

const cycle = exampleCycle('mail-text');
const CYCLE = cycle.cycleId;
const PORTAL = 'http://perfcycle.example/';
const person = (id: string, lang: Person['lang'] = 'zh-CN'): Person => ({ ...cycle.people.find((p) => p.id === id)!, lang });
const LIN = person('office-lin');
const DIRECTOR = person('director-zhang');
const GROUP = person('efficiency-group');

const PLAN = { zh: '绩效评估工作方案及"三定"规定', en: 'Work plan and "three-determination" mandate' };
const notice = (n: Partial<Notice> & Pick<Notice, 'to' | 'kind'>): Notice => ({
  slot: '2019-12-28T09:00:00+08:00', deliverableId: 'plan', title: PLAN, due: '2019-12-31T23:59:59.999+08:00', owner: 'office-lin', ...n,
});
const render = (to: Person, notices: Notice[], extra: Partial<DigestContext> = {}) => renderDigest({
  unitName: '晋江市自然资源局', cycleId: CYCLE, year: 2019, to, notices, timeZone: 'Asia/Shanghai', portalUrl: PORTAL,
  directory: mailDirectory(cycle, notices), ...extra,
});
const link = (id: string) => `http://perfcycle.example/cycles/${CYCLE}/d/${id}`;

/** A summary (or evidence) notice of a department of the example cycle. */
const deptNotice = (dept: string, n: Partial<Notice> & Pick<Notice, 'to' | 'kind'>, what: 'summary' | 'evidence' = 'summary'): Notice => {
  const d = cycle.departments.find((x) => x.id === dept)!;
  return notice({
    deliverableId: `${what}-${dept}`, department: dept, owner: d.owner,
    title: { zh: `${d.name}${what === 'summary' ? '年度工作总结及目标台账' : '考评佐证材料'}`, en: `${d.name}: ${what}` },
    due: '2020-01-31T23:59:59.999+08:00', slot: '2020-02-05T09:00:00+08:00', ...n,
  });
};

describe('a reminder to the owner', () => {
  const mail = render(LIN, [notice({ to: 'office-lin', kind: 'reminder', daysBefore: 3 })]);

  it('says what is due, by when as people write it, and how long is left, in zh-CN only', () => {
    expect(mail.text.startsWith('林晓燕（局办公室），您好：\n\n晋江市自然资源局 2019 年度绩效评估：')).toBe(true);
    expect(mail.text).toContain('需要您办理（1 项）：\n\n1. 绩效评估工作方案及"三定"规定【到期提醒】\n'
      + '   请您提交，截止 2019年12月31日（周二）24:00，还有 3 天。\n'
      + `   办理：${link('plan')}\n`);
    expect(mail.text).not.toMatch(/Dear|Reminder|English|23:59|15:59/);
    expect(mail.text.trimEnd().endsWith('本邮件由绩效评估系统（perfcycle）自动发送，请勿直接回复。')).toBe(true);
  });

  it('has one subject naming the unit, the thing and what it is', () => {
    expect(mail.subject).toBe('【绩效评估】晋江市自然资源局：绩效评估工作方案及"三定"规定（到期提醒）');
  });

  it('is in English for a person whose lang is en, dates and link included', () => {
    const en = render(person('office-lin', 'en'), [notice({ to: 'office-lin', kind: 'reminder', daysBefore: 0 })]);
    expect(en.subject).toBe('[Performance evaluation] 晋江市自然资源局: Work plan and "three-determination" mandate (Reminder)');
    expect(en.text).toContain('Dear 林晓燕（局办公室）,\n\nThe 2019 performance evaluation of 晋江市自然资源局:');
    expect(en.text).toContain('1. Work plan and "three-determination" mandate [Reminder]\n'
      + '   Please submit it by Tue 31 December 2019, 24:00; due today.\n'
      + `   Open: ${link('plan')}?lang=en`);
    expect(en.text).not.toMatch(/您|请|截止|年度工作/);
  });

  it('shows the local time of another zone, with its offset', () => {
    const berlin = render(LIN, [notice({ to: 'office-lin', kind: 'reminder', due: '2019-12-31T16:59:00Z' })], { timeZone: 'Europe/Berlin' });
    expect(berlin.text).toContain('截止 2019年12月31日（周二）17:59（UTC+01:00）');
  });
});

describe('no command line in any mail', () => {
  const KINDS: NoticeKind[] = ['assigned', 'review-requested', 'reminder', 'escalate-leader', 'escalate-director', 'overdue-repeat', 'rejected', 'accepted', 'urged', 'extended'];
  const readers = ['office-lin', 'hr-reviewer', 'director-zhang', 'leader-wang'];

  it('whatever the kinds, readers and languages: one link per item to its page, no command, no option', () => {
    fc.assert(fc.property(
      fc.constantFrom(...readers), fc.constantFrom<Person['lang']>('zh-CN', 'en'),
      fc.array(fc.record({ kind: fc.constantFrom(...KINDS), item: fc.constantFrom('plan', 'summary-planning', 'evidence-law'), waiting: fc.constantFrom('owner', 'reader', 'hr-reviewer') }), { minLength: 1, maxLength: 6 }),
      (reader, lang, spec) => {
        const notices = spec.map(({ kind, item, waiting }) => {
          const dept = item.split('-')[1];
          const base = dept ? deptNotice(dept, { to: reader, kind }, item.startsWith('summary') ? 'summary' : 'evidence') : notice({ to: reader, kind });
          return { ...base, waitingFor: waiting === 'owner' ? base.owner : waiting === 'reader' ? reader : 'hr-reviewer', reason: '目标量化不足', escalation: 2 };
        });
        const { subject, text } = render(person(reader, lang), notices);
        for (const s of [subject, text]) expect(s).not.toMatch(/npx|perfcycle (submit|approve|reject)|--\w|`/);
        const items = [...new Set(notices.map((n) => n.deliverableId))];
        const links = text.match(/https?:\/\/\S+/g) ?? [];
        expect(links.map((l) => l.replace(/\?lang=en$/, '')).sort()).toEqual(items.map(link).sort());
        expect(links.every((l) => (lang === 'en') === l.endsWith('?lang=en'))).toBe(true);
      },
    ), { numRuns: 300 });
  });
});

describe('escalations say which they are', () => {
  const esc = (kind: NoticeKind, escalation?: number, to = 'office-lin') =>
    notice({ to, kind, slot: '2020-01-03T09:00:00+08:00', ...(escalation !== undefined && { escalation }) });

  it('the first says it is the first, whatever the chase step (a cycle opened long overdue starts at a repeat)', () => {
    for (const kind of ['escalate-leader', 'escalate-director', 'overdue-repeat'] as const) {
      const mail = render(LIN, [esc(kind, 1)]);
      expect(mail.subject).toBe('【逾期督办】晋江市自然资源局：绩效评估工作方案及"三定"规定（首次督办）');
      expect(mail.text).toContain('【首次督办】');
      expect(mail.text).toContain('请您提交，截止 2019年12月31日（周二）24:00，已逾期 3 天。');
      expect(mail.text).not.toMatch(/持续|第 \d+ 次/);
    }
  });

  it('later ones count', () => {
    expect(render(LIN, [esc('overdue-repeat', 2)]).subject).toContain('（第 2 次督办）');
    expect(render(LIN, [esc('escalate-director', 3)]).text).toContain('【第 3 次督办】');
    expect(render(LIN, [esc('overdue-repeat', 2)]).text).not.toContain('首次');
    const en = render(person('office-lin', 'en'), [esc('overdue-repeat', 2)]);
    expect(en.subject).toBe('[Overdue] 晋江市自然资源局: Work plan and "three-determination" mandate (2nd escalation)');
    expect(render(person('office-lin', 'en'), [esc('escalate-leader', 1)]).text).toContain('[First escalation]');
    expect(render(person('office-lin', 'en'), [esc('overdue-repeat', 11)]).text).toContain('[11th escalation]');
  });

  it('the one chased is told who else was told, by name', () => {
    const mail = render(LIN, [{ ...esc('escalate-director', 2), copied: ['director-zhang'] }]);
    expect(mail.text).toContain('已同时告知张建国（局长）。');
  });

  it('an escalation raised by an older version (no count) does not pretend to know which it is', () => {
    const mail = render(LIN, [esc('overdue-repeat')]);
    expect(mail.subject).toContain('（逾期督办）');
    expect(mail.text).not.toMatch(/首次|第 \d+ 次|持续/);
  });
});

describe("a director's digest", () => {
  // 16 items of eight departments, late by 1 to 16 days, in no order.
  const lateness = [5, 12, 1, 9, 16, 3, 7, 14, 2, 11, 6, 15, 4, 8, 13, 10];
  const notices = cycle.departments.flatMap((d, i) => (['summary', 'evidence'] as const).map((what, j) => {
    const late = lateness[i * 2 + j]!;
    const due = new Date(Date.parse('2020-02-05T09:00:00+08:00') - late * 86_400_000 - 3_600_000).toISOString();
    return deptNotice(d.id, { to: 'director-zhang', kind: 'overdue-repeat', escalation: 2, due, waitingFor: d.owner }, what);
  })).reverse();
  const mail = render(DIRECTOR, notices);
  const body = mail.text.split('\n');

  it('asks him to urge, not to act', () => {
    expect(mail.subject).toBe('【逾期督办】晋江市自然资源局：16 项逾期事项请您督促');
    expect(mail.text).toContain('请您督促以下 16 项逾期事项（由所列责任人办理，您无需亲自操作）：');
    expect(mail.text).not.toMatch(/需要您办理|请您提交|办理：/);
    expect(body.filter((l) => l.includes('查看：'))).toHaveLength(16);
  });

  it('names people and departments by name, never by id', () => {
    expect(mail.text).toContain('应由施雅琴（不动产登记中心主任）提交');
    for (const p of cycle.people) expect(mail.text).not.toContain(` ${p.id}`);
    for (const d of cycle.departments) expect(body.filter((l) => l.startsWith(`${d.name}（`))).toHaveLength(1);
    expect(mail.text.replace(/https?:\/\/\S+/g, '')).not.toMatch(/head-|leader-|summary-|evidence-|registry|planning/);
  });

  it('groups by department, the latest department first, and each department its latest item first', () => {
    const groups: { dept: string; late: number[] }[] = [];
    for (const line of body) {
      const header = /^(\S+)（(\d+) 项）$/.exec(line);
      if (header) groups.push({ dept: header[1]!, late: [] });
      const late = /^ {3}已逾期 (\d+) 天/.exec(line);
      if (late) groups.at(-1)!.late.push(Number(late[1]));
    }
    expect(groups).toHaveLength(8);
    expect(groups.flatMap((g) => g.late).sort((a, b) => a - b)).toEqual([...lateness].sort((a, b) => a - b));
    for (const g of groups) expect(g.late).toEqual([...g.late].sort((a, b) => b - a));
    const heads = groups.map((g) => g.late[0]!);
    expect(heads).toEqual([...heads].sort((a, b) => b - a));
    // The latest item of all (16 days) leads: 地籍与确权登记科 (cadastre, its summary).
    expect(groups[0]).toEqual({ dept: '地籍与确权登记科', late: [16, 3] });
    // Items are numbered through the mail, in the order shown.
    expect(body.filter((l) => /^\d+\. /.test(l)).map((l) => Number(l.split('.')[0]))).toEqual(lateness.map((_, i) => i + 1));
  });

  it('a leader with his own review to do gets both parts, each said once', () => {
    const mine = notice({ to: 'director-zhang', kind: 'review-requested', waitingFor: 'director-zhang', due: '2020-02-10T23:59:59.999+08:00', slot: '2020-02-05T09:00:00+08:00' });
    const both = render(DIRECTOR, [notices[0]!, mine]);
    expect(both.subject).toBe('【逾期督办】晋江市自然资源局：1 项事项待您办理，1 项逾期事项请您督促');
    expect(both.text.indexOf('需要您办理（1 项）')).toBeLessThan(both.text.indexOf('请您督促以下 1 项'));
    expect(both.text).toContain('请您审核（通过或退回），截止 2020年2月10日（周一）24:00。');
  });

  it('items of the unit as a whole (the plan) are under 全局事项, a late reviewer named as the one to review', () => {
    const plan = notice({ to: 'director-zhang', kind: 'escalate-leader', escalation: 1, waitingFor: 'efficiency-group', due: '2020-01-10T23:59:59.999+08:00', slot: '2020-01-11T09:00:00+08:00' });
    const mail = render(DIRECTOR, [plan]);
    expect(mail.subject).toBe('【逾期督办】晋江市自然资源局：绩效评估工作方案及"三定"规定（首次督办，请您督促）');
    expect(mail.text).toContain('全局事项（1 项）\n1. 绩效评估工作方案及"三定"规定【首次督办】\n   已逾期 1 天；应由市机关效能建设领导小组审核，截止 2020年1月10日（周五）24:00。');
    const toGroup = render(GROUP, [{ ...plan, to: 'efficiency-group' }]);
    expect(toGroup.text).toContain('请您审核（通过或退回），截止 2020年1月10日（周五）24:00，已逾期 1 天。');
  });

  it('in English: the same order, English words', () => {
    const en = render(person('director-zhang', 'en'), notices);
    expect(en.subject).toBe('[Overdue] 晋江市自然资源局: 16 overdue for you to follow up');
    expect(en.text).toContain('Overdue items for you to follow up (16; the person named acts, not you):\n\n地籍与确权登记科 (2)\n1. 地籍与确权登记科: summary [2nd escalation]\n   16 days overdue; 吴海峰（地籍与确权登记科科长） is to submit it, due ');
  });
});

describe('one subject per mail', () => {
  const KINDS: NoticeKind[] = ['assigned', 'review-requested', 'reminder', 'escalate-leader', 'rejected', 'accepted'];
  const LABELS = ['新任务', '待您审核', '到期提醒', '首次督办', '已退回', '已通过'];

  it('one item, whatever notices it gathered, has one label: its latest', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 5 }), (kinds) => {
      const mail = render(LIN, kinds.map((kind) => notice({ to: 'office-lin', kind, escalation: 1, reason: '补充' })));
      const label = LABELS[KINDS.indexOf(kinds.at(-1)!)]!;
      expect(mail.subject).toMatch(new RegExp(`（${label}）$`));
      expect(LABELS.filter((l) => mail.subject.includes(l))).toEqual([label]);
      expect(mail.text.match(/【[^】]+】/g)).toEqual([`【${label}】`]);
    }));
  });

  it('sent back, then accepted in the same minute: says accepted, nothing to do', () => {
    const mail = render(LIN, [notice({ to: 'office-lin', kind: 'rejected', reason: '目标量化不足' }), notice({ to: 'office-lin', kind: 'accepted' })]);
    expect(mail.subject).toBe('【绩效评估】晋江市自然资源局：绩效评估工作方案及"三定"规定（已通过）');
    expect(mail.text).toContain('供您知悉（1 项，无需操作）：');
    expect(mail.text).not.toMatch(/需要您办理|退回|请您提交/);
  });

  it('several items: counted by what is asked', () => {
    const law = deptNotice('law', { to: 'head-xu', kind: 'reminder', daysBefore: 7, slot: '2020-01-24T09:00:00+08:00' });
    const enf = deptNotice('enforcement', { to: 'head-xu', kind: 'reminder', daysBefore: 7, slot: '2020-01-24T09:00:00+08:00' });
    const mail = render(person('head-xu'), [law, enf]);
    expect(mail.subject).toBe('【绩效评估】晋江市自然资源局：2 项事项待您办理');
    expect(mail.text).toContain('1. 政策法规科年度工作总结及目标台账【到期提醒】\n   请您提交，截止 2020年1月31日（周五）24:00，还有 7 天。');
    expect(mail.text).toContain('2. 执法大队年度工作总结及目标台账【到期提醒】');
  });
});

describe('other notices', () => {
  it('a rejection gives the reason and the new deadline', () => {
    const mail = render(LIN, [notice({ to: 'office-lin', kind: 'rejected', reason: '目标量化不足', due: '2020-01-07T23:59:59.999+08:00' })]);
    expect(mail.subject).toContain('（已退回）');
    expect(mail.text).toContain('【已退回】\n   请修改后重新提交，截止 2020年1月7日（周二）24:00。\n   退回理由：目标量化不足\n');
  });

  it('a review request asks for the review', () => {
    const mail = render(person('hr-reviewer'), [notice({ to: 'hr-reviewer', kind: 'review-requested', waitingFor: 'hr-reviewer', due: '2020-01-10T23:59:59.999+08:00' })]);
    expect(mail.subject).toContain('（待您审核）');
    expect(mail.text).toContain('请您审核（通过或退回），截止 2020年1月10日（周五）24:00。');
  });
});

describe('no stale mail', () => {
  const inReview = { state: 'in-review', stage: 0, submissions: [{}] };
  const reviewRequest = { ...notice({ to: 'hr-reviewer', kind: 'review-requested', waitingFor: 'hr-reviewer' }), itemState: itemStateOf(inReview) };

  it('keeps a notice while its item is as it was, drops it once approved, sent back or resubmitted', () => {
    const now = (s: typeof inReview) => () => s;
    expect(currentNotices([reviewRequest], now(inReview))).toEqual([reviewRequest]);
    expect(currentNotices([reviewRequest], now({ ...inReview, stage: 1 }))).toEqual([]);
    expect(currentNotices([reviewRequest], now({ state: 'open', stage: 0, submissions: [{}] }))).toEqual([]);
    expect(currentNotices([reviewRequest], now({ ...inReview, submissions: [{}, {}] }))).toEqual([]);
    // Raised before notices carried the state: kept, as before.
    const old = { ...reviewRequest, itemState: undefined };
    expect(currentNotices([old], now({ ...inReview, stage: 1 }))).toEqual([old]);
  });

});

describe('one mail per person and slot', () => {
  it('is what groupNotices makes of one person’s notices in one slot', () => {
    const law = deptNotice('law', { to: 'head-xu', kind: 'reminder', slot: '2020-01-24T09:00:00+08:00' });
    const enf = deptNotice('enforcement', { to: 'head-xu', kind: 'reminder', slot: '2020-01-24T09:00:00+08:00' });
    const other = notice({ to: 'office-lin', kind: 'reminder', slot: law.slot });
    const later = { ...law, slot: '2020-01-28T09:00:00+08:00' };
    expect(groupNotices([law, other, enf, later]).map((g) => [g.slot, g.to, g.notices.map((n) => n.deliverableId)])).toEqual([
      ['2020-01-24T09:00:00+08:00', 'head-xu', ['summary-law', 'summary-enforcement']],
      ['2020-01-24T09:00:00+08:00', 'office-lin', ['plan']],
      ['2020-01-28T09:00:00+08:00', 'head-xu', ['summary-law']],
    ]);
  });
});
