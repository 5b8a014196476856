// The cycle's deadlines on a calendar: every month that has one, as a grid of its days (a day with
// deadlines is marked and links to them) beside that month's deadlines day by day, naming the item,
// who must act and the department. The grid holds only day numbers, so a month fits a phone's screen;
// the list beside it (below it on a phone) wraps like any text.
import { DateTime } from 'luxon';
import type { CycleInput } from '../../../domain/cycle.js';
import { PHASE_LABELS } from '../../../domain/phases.js';
import { localDateOf, type LocalDate } from '../../../domain/time.js';
import type { CalendarEntry } from '../deadlines.js';
import { html, type Html } from '../html.js';
import { dayText, deadlineText, monthText, pick, tr, type Key, type Lang } from '../i18n.js';
import { stateBadge } from './cycle.js';
import { page, type Frame } from './layout.js';
import { overdueText } from './tasks.js';

interface Words { lang: Lang; cycleId: string; zone: string; today: LocalDate; person: (id: string) => string; department: (id: string) => string }

function entryLine(w: Words, e: CalendarEntry): Html {
  const { lang } = w;
  const who = tr(lang, e.kind === 'submit' ? 'deadlineSubmit' : 'deadlineReview', { who: e.who.map(w.person).join(lang === 'en' ? ', ' : '、') });
  const state = e.state === 'not-started'
    ? html`<span class="badge s-closed">${tr(lang, 'notOpen')}</span>${e.opens ? html` <span class="muted">${e.opens.on
      ? tr(lang, 'opensOn', { when: tr(lang, `opens.${e.opens.phase}` as Key), date: dayText(lang, e.opens.on, w.zone) })
      : pick(lang, PHASE_LABELS[e.opens.phase])}</span>` : ''}`
    : stateBadge(lang, e.state);
  return html`<div data-testid="deadline">${e.state === 'not-started' ? html`<b>${pick(lang, e.title)}</b>` : html`<a href="/cycles/${w.cycleId}/d/${e.deliverableId}">${pick(lang, e.title)}</a>`}
<div>${who}${e.department ? html` · ${w.department(e.department)}` : ''} ${state}${e.overdueDays > 0 ? html` <span class="late">${overdueText(lang, e.overdueDays)}</span>` : ''}</div>
<div class="muted">${deadlineText(lang, e.due, w.zone)}</div></div>`;
}

/** A day's mark: the deadlines still waiting (red once one is overdue), all done, or all still to come. */
function dayMark(entries: CalendarEntry[]): string {
  if (entries.some((e) => e.overdueDays > 0)) return 's-open late';
  if (entries.every((e) => e.state === 'accepted' || e.state === 'closed')) return 's-accepted';
  if (entries.every((e) => e.state === 'not-started')) return 's-closed';
  return 's-open';
}

/** Monday first, as Chinese calendars are; blank cells before the 1st and after the last day. */
function grid(w: Words, month: string, byDay: Map<LocalDate, CalendarEntry[]>): Html {
  const first = DateTime.fromISO(`${month}-01`, { zone: 'UTC' });
  const cells: Html[] = Array.from({ length: first.weekday - 1 }, () => html`<td></td>`);
  for (let n = 1; n <= (first.daysInMonth ?? 31); n += 1) {
    const day = `${month}-${String(n).padStart(2, '0')}`;
    const entries = byDay.get(day);
    const today = day === w.today ? html` aria-current="date"` : '';
    cells.push(entries
      ? html`<td><a class="badge ${dayMark(entries)}" href="#day-${day}"${today} data-testid="marked-day">${day === w.today ? html`<u>${n}</u>` : n}</a></td>`
      // A plain day has a badge's room too, so every column of the grid is as wide as the others.
      : html`<td${today}><span class="badge">${day === w.today ? html`<b><u>${n}</u></b>` : n}</span></td>`);
  }
  while (cells.length % 7) cells.push(html`<td></td>`);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  return html`<table data-testid="month-grid"><thead><tr>${[1, 2, 3, 4, 5, 6, 7].map((d) => html`<th>${tr(w.lang, `wd.${d}` as Key)}</th>`)}</tr></thead>
<tbody>${weeks.map((week) => html`<tr>${week}</tr>`)}</tbody></table>`;
}

export function calendarPage(f: Frame, o: { input: CycleInput; entries: CalendarEntry[]; today: LocalDate }): string {
  const { input } = o;
  const lang = f.lang;
  const zone = input.timeZone;
  const w: Words = {
    lang, cycleId: input.cycleId, zone, today: o.today,
    person: (id) => input.people.find((p) => p.id === id)?.name ?? id,
    department: (id) => input.departments.find((d) => d.id === id)?.name ?? id,
  };
  const byDay = new Map<LocalDate, CalendarEntry[]>();
  for (const e of o.entries) {
    const day = localDateOf(e.due, zone);
    byDay.set(day, [...(byDay.get(day) ?? []), e]);
  }
  const months = [...new Set([...byDay.keys()].map((d) => d.slice(0, 7)))].sort();
  return page(f, html`<h1>${input.unit.name} ${input.year} · ${tr(lang, 'calendar')}</h1>
<p class="muted">${tr(lang, 'calendarHint')} <a href="/cycles/${input.cycleId}">${tr(lang, 'dashboard')}</a></p>
${months.length ? months.map((month) => {
    const days = [...byDay.keys()].filter((d) => d.startsWith(month)).sort();
    return html`<section class="card" data-testid="month"><h2>${monthText(lang, month)}</h2><div class="row"><div>${grid(w, month, byDay)}</div>
<div>${days.map((day) => html`<h3 id="day-${day}">${dayText(lang, day, zone)}</h3>${byDay.get(day)!.map((e) => entryLine(w, e))}`)}</div></div></section>`;
  }) : html`<div class="card muted">${tr(lang, 'noDeadlines')}</div>`}`);
}
