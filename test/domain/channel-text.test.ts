// The words of a notice in a chat robot: the mail's items and words, shorter: title and label, what is
// asked, the deadline as people write it, days late, the portal link; the director's digest grouped by
// department; people's text never markup; a digest too big for the robot cut after whole items with
// "…及其他 N 项", never refused.
import { describe, expect, it } from 'vitest';
import { byteLength, neutralize, renderChannelDigest, type ChannelFormat } from '../../domain/channel-text.js';
import { renderDigest, type DigestContext } from '../../domain/mail-text.js';
import { mailDirectory } from '../../domain/chase-mail.js';
import type { Notice } from '../../domain/notices.js';
import type { Person } from '../../domain/cycle-file.js';
import { exampleCycle } from '../helpers/cycle.js';

const cycle = exampleCycle('channel-text');
const CYCLE = cycle.cycleId;
const PORTAL = 'http://perfcycle.example/';
const person = (id: string, lang: Person['lang'] = 'zh-CN'): Person => ({ ...cycle.people.find((p) => p.id === id)!, lang });
const LIN = person('office-lin');
const DIRECTOR = person('director-zhang');
const PLAN = { zh: '绩效评估工作方案及"三定"规定', en: 'Work plan and "three-determination" mandate' };
const notice = (n: Partial<Notice> & Pick<Notice, 'to' | 'kind'>): Notice => ({
  slot: '2019-12-28T09:00:00+08:00', deliverableId: 'plan', title: PLAN, due: '2019-12-31T23:59:59.999+08:00', owner: 'office-lin', ...n,
});
const ctx = (to: Person, notices: Notice[]): DigestContext => ({
  unitName: '晋江市自然资源局', cycleId: CYCLE, year: 2019, to, notices, timeZone: 'Asia/Shanghai', portalUrl: PORTAL,
  directory: mailDirectory(cycle, notices),
});
const render = (to: Person, notices: Notice[], format: ChannelFormat = 'markdown', fits?: (b: string) => boolean) =>
  renderChannelDigest(ctx(to, notices), { format, ...(fits && { fits }) });
const link = (id: string) => `http://perfcycle.example/cycles/${CYCLE}/d/${id}`;

/** The director's digest of the mail tests: 16 items of eight departments, late by 1 to 16 days. */
const lateness = [5, 12, 1, 9, 16, 3, 7, 14, 2, 11, 6, 15, 4, 8, 13, 10];
const directorNotices = cycle.departments.flatMap((d, i) => (['summary', 'evidence'] as const).map((what, j) => {
  const late = lateness[i * 2 + j]!;
  const due = new Date(Date.parse('2020-02-05T09:00:00+08:00') - late * 86_400_000 - 3_600_000).toISOString();
  return notice({
    deliverableId: `${what}-${d.id}`, department: d.id, owner: d.owner, to: 'director-zhang', kind: 'overdue-repeat', escalation: 2,
    waitingFor: d.owner, due, slot: '2020-02-05T09:00:00+08:00',
    title: { zh: `${d.name}${what === 'summary' ? '年度工作总结及目标台账' : '考评佐证材料'}`, en: `${d.name}: ${what}` },
  });
})).reverse();

describe('a reminder in a chat robot', () => {
  const n = notice({ to: 'office-lin', kind: 'reminder', daysBefore: 3 });
  const msg = render(LIN, [n]);

  it('says the item, what to do, the deadline as people write it, and links to its page', () => {
    expect(msg.body).toContain('**1. 绩效评估工作方案及"三定"规定【到期提醒】**  \n请您提交，截止 2019年12月31日（周二）24:00，还有 3 天。  \n'
      + `[办理](${link('plan')})`);
    expect(msg.body.startsWith('**晋江市自然资源局 2019 年度绩效评估：**  \n林晓燕（局办公室），您好：')).toBe(true);
    expect(msg.body).not.toMatch(/23:59|15:59|perfcycle (submit|approve)/);
  });

  it('has the mail subject as its title, and nothing left out', () => {
    expect(msg.title).toBe(renderDigest(ctx(LIN, [n])).subject);
    expect(msg).toMatchObject({ shown: 1, omitted: 0 });
    expect(msg.body).not.toContain('及其他');
  });

  it('says how late an overdue item is', () => {
    const late = render(LIN, [notice({ to: 'office-lin', kind: 'escalate-leader', escalation: 1, slot: '2020-01-03T09:00:00+08:00' })]);
    expect(late.body).toContain('请您提交，截止 2019年12月31日（周二）24:00，已逾期 3 天。');
    expect(late.body).toContain('【首次督办】');
  });

  it('is plain text when the channel needs text: no markup, the link written out', () => {
    const text = render(LIN, [n], 'text');
    expect(text.body).toContain('1. 绩效评估工作方案及"三定"规定【到期提醒】\n请您提交，截止 2019年12月31日（周二）24:00，还有 3 天。\n'
      + `办理：${link('plan')}`);
    expect(text.body).not.toMatch(/\*\*|\]\(/);
  });

  it('is in English for a person whose lang is en', () => {
    const en = render(person('office-lin', 'en'), [n]);
    expect(en.body).toContain('**1. Work plan and "three-determination" mandate [Reminder]**  \nPlease submit it by Tue 31 December 2019, 24:00; 3 days left.  \n'
      + `[Open](${link('plan')}?lang=en)`);
  });
});

describe("a director's digest in a chat robot", () => {
  const msg = render(DIRECTOR, directorNotices);

  it('asks him to urge, grouped by department (the latest first), each department its latest item first', () => {
    expect(msg.body).toContain('**请您督促以下 16 项逾期事项（由所列责任人办理，您无需亲自操作）：**');
    expect(msg.body).not.toMatch(/请您提交|\[办理\]/);
    const groups: { dept: string; late: number[] }[] = [];
    for (const block of msg.body.split('\n\n')) {
      const header = /^\*\*(\S+)（(\d+) 项）\*\*$/.exec(block);
      if (header) groups.push({ dept: header[1]!, late: [] });
      const late = /已逾期 (\d+) 天；应由/.exec(block);
      if (late) groups.at(-1)!.late.push(Number(late[1]));
    }
    expect(groups).toHaveLength(8);
    expect(groups[0]).toEqual({ dept: '地籍与确权登记科', late: [16, 3] });
    for (const g of groups) expect(g.late).toEqual([...g.late].sort((a, b) => b - a));
    const heads = groups.map((g) => g.late[0]!);
    expect(heads).toEqual([...heads].sort((a, b) => b - a));
    expect(msg.body).toContain('应由吴海峰（地籍与确权登记科科长）提交');
    expect(msg.body.match(/\[查看\]\(/g)).toHaveLength(16);
  });

  it('fits a robot by cutting after whole items, the most late kept, with a line for the rest', () => {
    const limit = 1500;
    const cut = render(DIRECTOR, directorNotices, 'markdown', (b) => byteLength(b) <= limit);
    expect(byteLength(cut.body)).toBeLessThanOrEqual(limit);
    expect(cut.shown).toBeGreaterThan(0);
    expect(cut.shown + cut.omitted).toBe(16);
    expect(cut.body).toContain(`…及其他 ${cut.omitted} 项，请在系统中查看：[http://perfcycle.example/cycles/${CYCLE}](http://perfcycle.example/cycles/${CYCLE})`);
    // The first items are the mail's first items; the heading still counts them all.
    expect(cut.body).toContain('请您督促以下 16 项逾期事项');
    expect(cut.body).toContain('1. 地籍与确权登记科年度工作总结及目标台账【第 2 次督办】');
    expect(cut.body.match(/\[查看\]\(/g)).toHaveLength(cut.shown);
    // The most items that fit: one more would not.
    const oneMore = render(DIRECTOR, directorNotices, 'markdown', (b) => b.split('[查看](').length - 1 <= cut.shown + 1);
    expect(oneMore.shown).toBe(cut.shown + 1);
    expect(byteLength(oneMore.body)).toBeGreaterThan(limit);
  });

  it('never refuses: a robot too small for any item still gets the heading and the line for the rest', () => {
    const none = render(DIRECTOR, directorNotices, 'text', () => false);
    expect(none).toMatchObject({ shown: 0, omitted: 16 });
    expect(none.body).toContain(`…及其他 16 项，请在系统中查看：http://perfcycle.example/cycles/${CYCLE}`);
  });

  it('in English', () => {
    const en = render(person('director-zhang', 'en'), directorNotices, 'markdown', (b) => byteLength(b) <= 1500);
    expect(en.body).toContain('**Overdue items for you to follow up (16; the person named acts, not you):**\n\n**地籍与确权登记科 (2)**');
    expect(en.body).toContain(`… and ${en.omitted} more in the portal: [http://perfcycle.example/cycles/${CYCLE}?lang=en]`);
  });
});

describe("people's text is never markup", () => {
  it('neutralizes mentions, links and emphasis in titles, names and reasons', () => {
    const evil = notice({
      to: 'office-lin', kind: 'rejected', reason: '见 [这里](http://evil.example) <@all> **急**',
      title: { zh: '方案<@all>[点我](http://evil.example)', en: 'x' },
    });
    const msg = render(LIN, [evil]);
    expect(msg.body).not.toMatch(/<@|\]\(http:\/\/evil|\*\*急/);
    expect(msg.body).toContain('方案＜@all＞［点我］(http://evil.example)');
    expect(neutralize('a_b*c`d#e')).toBe('a＿b＊cˋd＃e');
  });
});
