// "My tasks": what waits for me now, with due dates and days left, then the deadlines still to come.
import { formatLocal } from '../../../domain/time.js';
import { html, type Html } from '../html.js';
import { pick, tr, type Lang } from '../i18n.js';
import type { Task } from '../tasks.js';
import { page, type Frame } from './layout.js';

export function daysText(lang: Lang, days: number): Html {
  if (days < 0) return html`<span class="late">${lang === 'en' ? `${-days} day${days === -1 ? '' : 's'} overdue` : `逾期 ${-days} 天`}</span>`;
  if (days === 0) return html`<span class="late">${lang === 'en' ? 'due today' : '今天到期'}</span>`;
  return html`${lang === 'en' ? `${days} day${days === 1 ? '' : 's'} left` : `还剩 ${days} 天`}`;
}

type Row = Task & { timeZone: string; unit: string };

function table(lang: Lang, rows: Row[], link: boolean): Html {
  return html`<table><thead><tr><th>${tr(lang, 'item')}</th><th>${tr(lang, 'action')}</th><th>${tr(lang, 'due')}</th><th>${tr(lang, 'daysLeft')}</th></tr></thead><tbody>
${rows.map((t) => html`<tr data-testid="task"><td>${link ? html`<a href="/cycles/${t.cycleId}/d/${t.deliverableId}">${pick(lang, t.title)}</a>` : pick(lang, t.title)}<div class="muted">${t.unit}</div></td>
<td>${tr(lang, t.kind === 'submit' ? 'actSubmit' : 'actReview')}</td><td>${formatLocal(t.due, t.timeZone)}</td><td>${daysText(lang, t.daysLeft)}</td></tr>`)}
</tbody></table>`;
}

export function tasksPage(f: Frame, o: { current: Row[]; upcoming: Row[] }): string {
  return page(f, html`<h1>${tr(f.lang, 'tasks')}</h1>
${o.current.length ? table(f.lang, o.current, true) : html`<div class="card">${tr(f.lang, 'noTasks')}</div>`}
${o.upcoming.length ? html`<h2>${tr(f.lang, 'upcoming')}</h2>${table(f.lang, o.upcoming, false)}` : ''}`);
}
