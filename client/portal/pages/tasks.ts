// "My tasks": what waits for me now, with both deadlines (the owner's to submit, the reviewer's to
// review) and days left; then the deadlines still to come, each marked 未开始 with when it opens.
import { PHASE_LABELS } from '../../../domain/phases.js';
import { cardTable, html, type Html } from '../html.js';
import { dayText, deadlineText, momentText, pick, tr, type Key, type Lang } from '../i18n.js';
import type { Deadlines, Task } from '../tasks.js';
import { page, type Frame } from './layout.js';

const days = (lang: Lang, key: Key, n: number) => tr(lang, key, { n, days: n === 1 ? 'day' : 'days' });

export function daysText(lang: Lang, n: number): Html {
  if (n < 0) return html`<span class="late">${days(lang, 'overdueN', -n)}</span>`;
  if (n === 0) return html`<span class="late">${tr(lang, 'dueToday')}</span>`;
  return html`${days(lang, 'daysLeftN', n)}`;
}

export const overdueText = (lang: Lang, n: number): string => days(lang, 'overdueN', n);

/** An item's two deadlines as people write them: the owner's (and when it was submitted), the reviewer's. */
export function deadlineParts(lang: Lang, dl: Deadlines, zone: string): { submit: Html; review: Html } {
  const submitted = dl.submittedAt ? html`<div class="muted">${tr(lang, 'submittedAt', { at: momentText(lang, dl.submittedAt, zone) })}</div>` : '';
  return {
    submit: html`${dl.submit ? deadlineText(lang, dl.submit, zone) : ''}${submitted}`,
    review: dl.review ? html`${deadlineText(lang, dl.review, zone)}`
      : dl.acceptedAt ? html`<span class="muted">${tr(lang, 'acceptedAt', { at: momentText(lang, dl.acceptedAt, zone) })}</span>`
        : html`<span class="muted">${dl.reviewWorkdays ? tr(lang, 'reviewAfter', { n: dl.reviewWorkdays }) : dl.noReview ? tr(lang, 'noReview') : '—'}</span>`,
  };
}

/** `for`: the person a delegate acts for on it (委托), by name. */
type Row = Task & { timeZone: string; unit: string; for?: string };

function opensText(lang: Lang, t: Row): Html {
  const o = t.opens!;
  const when = tr(lang, `opens.${o.phase}` as Key);
  return html`<span class="badge s-closed">${tr(lang, 'notOpen')}</span> <span class="muted">${o.on ? tr(lang, 'opensOn', { when, date: dayText(lang, o.on, t.timeZone) }) : when} · ${pick(lang, PHASE_LABELS[o.phase])}</span>`;
}

function table(lang: Lang, rows: Row[], upcoming: boolean): Html {
  const cols = [tr(lang, 'item'), { label: tr(lang, 'todo'), cls: 'c' }, tr(lang, 'submitDue'), tr(lang, 'reviewDue'), tr(lang, upcoming ? 'state' : 'daysLeft')];
  return cardTable(cols, rows.map((t) => {
    const dl = t.deadlines ? deadlineParts(lang, t.deadlines, t.timeZone) : undefined;
    const mine = html`${deadlineText(lang, t.due, t.timeZone)}`;
    return {
      testid: 'task',
      cells: [
        html`${upcoming ? pick(lang, t.title) : html`<a href="/cycles/${t.cycleId}/d/${t.deliverableId}">${pick(lang, t.title)}</a>`}${t.for ? html`<div data-testid="acting-for">${tr(lang, 'actingForTask', { who: t.for })}</div>` : ''}<div class="muted">${t.unit}</div>`,
        tr(lang, t.kind === 'submit' ? 'actSubmit' : 'actReview'),
        dl?.submit ?? (t.kind === 'submit' ? mine : ''), dl?.review ?? (t.kind === 'review' ? mine : ''),
        upcoming && t.opens ? opensText(lang, t) : daysText(lang, t.daysLeft),
      ],
    };
  }), { testid: upcoming ? 'upcoming' : 'current' });
}

/** `delegations`: the reader's delegations and out-of-office forms (pages/delegations.ts), after the tasks. */
export function tasksPage(f: Frame, o: { current: Row[]; upcoming: Row[]; delegations?: Html; message?: string }): string {
  return page(f, html`<h1>${tr(f.lang, 'tasks')}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}
${o.current.length ? table(f.lang, o.current, false) : html`<div class="card">${tr(f.lang, 'noTasks')}</div>`}
${o.upcoming.length ? html`<h2>${tr(f.lang, 'upcoming')}</h2>${table(f.lang, o.upcoming, true)}` : ''}
${o.delegations ?? ''}`);
}
