// Progress at a glance, as the server renders it: the charts' data (names and words, never able to end
// their element) and the calendar of deadlines (months, days marked, names of people and departments).
import { describe, expect, it } from 'vitest';
import { cycleDeadlines } from '../../client/portal/deadlines.js';
import { calendarPage } from '../../client/portal/pages/calendar.js';
import { completionChart, scoreChart, scoreParts } from '../../client/portal/pages/charts.js';
import type { StatusView } from '../../client/cycle-client.js';
import type { ScoreBreakdown } from '../../domain/scoring.js';
import { endOfDay } from '../../domain/time.js';
import { exampleCycle } from '../helpers/cycle.js';

const input = exampleCycle('glance'); // the 2019 calendar
const frame = (lang: 'zh' | 'en' = 'zh') => ({ lang, title: '日历', url: `/cycles/${input.cycleId}/calendar`, cycleId: input.cycleId, user: { id: 'office-lin', name: '林晓燕' } });

/** The JSON a chart's section carries, as the browser's script reads it. */
function chartData(page: string): { height: number; config: { type: string; data: { labels: string[]; datasets: { label: string; data: number[] }[] } } } {
  const text = /<script type="application\/json" data-chart>([\s\S]*?)<\/script>/.exec(page)?.[1];
  expect(text).toBeDefined();
  return JSON.parse(text!);
}

describe('the charts\' data', () => {
  it('completion: one bar per department by name, stacked done / to do on time / overdue / not open / closed', () => {
    const evil = '规划科</script><script>alert(1)</script>';
    const page = completionChart('zh', [{ name: evil, done: 1, todo: 3, overdue: 2, closed: 0, notStarted: 4 }]).value;
    // The name cannot end the data element: every "<" is escaped, and the text still reads back whole.
    expect(page).not.toContain('</script><script>');
    const data = chartData(page);
    expect(data.config.data.labels).toEqual([evil]);
    expect(data.config.data.datasets.map((d) => [d.label, d.data[0]])).toEqual([['已完成', 1], ['待办（未逾期）', 1], ['逾期', 2], ['未开始', 4], ['已关闭', 0]]);
    expect(chartData(completionChart('en', [{ name: 'Planning', done: 1, todo: 0, overdue: 0, closed: 0, notStarted: 0 }]).value).config.data.datasets[0]!.label).toBe('Done');
  });

  it('score: the parts the final score adds up from, in the score sheet\'s words; the deduction said as such', () => {
    const b = {
      functionalScore: 60, administrativeScore: 30, marksScore: 90, marksWeight: 0.8, approvalServiceScore: 88, approvalServiceWeight: 0.1, partyBuildingScore: 92, partyBuildingWeight: 0.1,
      targetScore: 89.8, statisticsReviewScore: 90, statisticsReviewWeight: 1, windowReviewScore: null, windowReviewWeight: 0, publicReviewScore: 90,
      weightedTargetScore: 62.86, weightedPublicReviewScore: 27, subtotal: 89.86, incentiveBonus: 0.5, inspectionDeduction: 0.2, finalScore: 90.16,
    } satisfies ScoreBreakdown;
    expect(scoreParts(b).map((l) => [l.label.zh, l.value])).toEqual([['目标考评（加权）', 62.86], ['公众评议（加权）', 27], ['正向激励加分', 0.5], ['察访核验扣分', 0.2], ['综合得分', 90.16]]);
    const page = scoreChart('en', b).value;
    expect(chartData(page).config.data.datasets[0]!.data).toEqual([62.86, 27, 0.5, 0.2, 90.16]);
    expect(chartData(page).config.data.labels[3]).toBe('Inspection deduction');
    expect(chartData(page).config.data.labels.at(-1)).toBe('Final score');
    // Without JavaScript the same numbers are a table.
    expect(page).toMatch(/<details data-chart-table open>[\s\S]*Inspection deduction<\/td><td class="num c">−0\.2</);
  });
});

describe('the calendar of deadlines', () => {
  it('before the cycle starts: every month with a deadline, each deadline on its day, people and departments by name', () => {
    const entries = cycleDeadlines(input, undefined, () => true);
    const page = calendarPage(frame(), { input, entries, today: '2020-01-15' });
    expect([...page.matchAll(/<section class="card" data-testid="month"><h2>([^<]+)<\/h2>/g)].map((m) => m[1]))
      .toEqual(['2019年12月', '2020年1月', '2020年2月', '2020年3月', '2020年4月', '2020年5月']);
    // The plan is due 31 December: that day of the grid links to it.
    expect(page).toContain('<a class="badge s-closed" href="#day-2019-12-31" data-testid="marked-day">31</a>');
    const day = page.slice(page.indexOf('<h3 id="day-2020-01-31">'), page.indexOf('<h3 id="day-2020-02-10">'));
    expect(day).toContain('规划科年度工作总结及目标台账');
    expect(day).toContain('郑伟（规划科科长） 提交 · 规划科');
    expect(day).toContain('2020年1月31日（周五）24:00');
    expect(day).toContain('方案批复后开始，预计 2020年1月10日');
    const text = page.replace(/<[^>]+>/g, ' ');
    expect(text).not.toMatch(/head-zheng|office-lin|summary-planning|leader-wang/);
    // Today is marked in the grid.
    expect(page).toContain('<td aria-current="date"><span class="badge"><b><u>15</u></b></span></td>');
  });

  it('a running cycle: its items link to their pages, an overdue one says by how much; a reviewer\'s deadline is theirs', () => {
    const status = {
      cycleId: input.cycleId, timeZone: input.timeZone, phase: 'plan', asOf: '2020-01-03T02:00:00.000Z',
      deliverables: [{
        id: 'plan', kind: 'plan', title: { zh: '绩效评估工作方案及"三定"规定', en: 'Work plan' }, owner: 'office-lin', state: 'open', stage: 0, actors: ['office-lin'],
        due: endOfDay('2019-12-31', input.timeZone), submissions: [], reviews: [], version: 1, overdueDays: 3,
      }],
    } as unknown as StatusView;
    const entries = cycleDeadlines(input, status, () => true);
    expect(entries.filter((e) => e.deliverableId === 'plan').map((e) => [e.kind, e.who])).toEqual([['submit', ['office-lin']], ['review', ['hr-reviewer']]]);
    const page = calendarPage(frame('en'), { input, entries, today: '2020-01-03' });
    expect(page).toContain(`<a href="/cycles/${input.cycleId}/d/plan">Work plan</a>`);
    expect(page).toContain('3 days overdue');
    expect(page).toContain('<a class="badge s-open late" href="#day-2019-12-31" data-testid="marked-day">31</a>');
    expect(page).toContain('<h2>December 2019</h2>');
    expect(page).toContain('市人社局考核科 to review');
    // Only what the viewer may see: the items to come pass through `visible`.
    expect(cycleDeadlines(input, status, (s) => s.department === 'planning').map((e) => e.deliverableId)).toEqual(['plan', 'plan', 'summary-planning', 'evidence-planning']);
  });
});
