// The audit log with filters (who, what, which item, from/to day), told in words (audit-text.ts), 50
// entries a page; the CSV export carries the same selection, codes and words.
import type { AuditEntry } from '../../../domain/audit.js';
import { cardTable, html, qs, type Html } from '../html.js';
import { momentText, tr, type Lang } from '../i18n.js';
import type { AuditFilter } from '../audit-filter.js';
import type { AuditWords } from '../audit-text.js';
import { page, type Frame } from './layout.js';

export const AUDIT_PAGE_SIZE = 50;

/** A choice of a filter: the code it sends, the words it shows. */
export interface Choice { value: string; label: string }

const select = (name: string, choices: Choice[], current: string | undefined, all: string) => html`<select name="${name}"><option value="">${all}</option>${choices.map((c) => html`<option value="${c.value}" ${c.value === current ? html`selected` : ''}>${c.label}</option>`)}</select>`;

/** Previous / next page, keeping the filters. */
function pager(lang: Lang, filter: AuditFilter, at: number, pages: number): Html {
  if (pages <= 1) return html``;
  const link = (p: number, key: 'prevPage' | 'nextPage') => html`<a href="${qs({ ...filter, page: String(p) }) || '?'}" data-testid="${key}">${tr(lang, key)}</a>`;
  return html`<nav class="pager" data-testid="pager">${at > 1 ? link(at - 1, 'prevPage') : ''}<span>${tr(lang, 'pageOf', { page: at, pages })}</span>${at < pages ? link(at + 1, 'nextPage') : ''}</nav>`;
}

export function auditPage(f: Frame, o: {
  cycleId: string; zone: string; entries: { e: AuditEntry; w: AuditWords }[]; filter: AuditFilter; page: number;
  actors: Choice[]; actions: Choice[]; subjects: Choice[];
}): string {
  const lang = f.lang;
  const v = o.filter;
  const pages = Math.max(1, Math.ceil(o.entries.length / AUDIT_PAGE_SIZE));
  const at = Math.min(Math.max(1, o.page), pages);
  const shown = o.entries.slice((at - 1) * AUDIT_PAGE_SIZE, at * AUDIT_PAGE_SIZE);
  const all = tr(lang, 'all');
  return page(f, html`<h1>${tr(lang, 'audit')}</h1>
<form class="filters card" method="get">
<label>${tr(lang, 'actor')}${select('actor', o.actors, v.actor, all)}</label>
<label>${tr(lang, 'auditAction')}${select('action', o.actions, v.action, all)}</label>
<label>${tr(lang, 'subject')}${select('subject', o.subjects, v.subject, all)}</label>
<label>${tr(lang, 'from')}<input type="date" name="from" value="${v.from ?? ''}"></label>
<label>${tr(lang, 'to')}<input type="date" name="to" value="${v.to ?? ''}"></label>
<button class="primary" type="submit">${tr(lang, 'filter')}</button>
<a data-testid="csv" href="/cycles/${o.cycleId}/audit.csv${qs({ ...v })}">${tr(lang, 'exportCsv')}</a>
</form>
<p class="muted" data-testid="count">${tr(lang, 'entries', { n: o.entries.length })}${pages > 1 ? html` · ${tr(lang, 'pageOf', { page: at, pages })}` : ''}</p>
${cardTable([{ label: '#', cls: 'n c' }, { label: tr(lang, 'at'), cls: 'when c' }, { label: tr(lang, 'actor'), cls: 'who' }, { label: tr(lang, 'auditAction'), cls: 'what c' }, tr(lang, 'auditRecord')],
    shown.map(({ e, w }) => ({
      testid: 'audit-row',
      // The system's role is the system: said once.
      cells: [e.seq, momentText(lang, e.at, o.zone), html`${w.actor}${w.role !== w.actor ? html`<div class="muted">${w.role}</div>` : ''}`, w.action, w.text],
    })), { cls: 'audit' })}
${pager(lang, v, at, pages)}`);
}
