// The audit log with filters (who, what, which item, from/to day) and the same selection as CSV.
import type { AuditEntry } from '../../../domain/audit.js';
import { html, qs } from '../html.js';
import { tr } from '../i18n.js';
import type { AuditFilter } from '../audit-filter.js';
import { page, type Frame } from './layout.js';

export function auditPage(f: Frame, o: { cycleId: string; entries: AuditEntry[]; filter: AuditFilter; actions: string[] }): string {
  const lang = f.lang;
  const v = o.filter;
  return page(f, html`<h1>${tr(lang, 'audit')}</h1>
<form class="filters card" method="get">
<label>${tr(lang, 'actor')}<input name="actor" value="${v.actor ?? ''}"></label>
<label>${tr(lang, 'action')}<select name="action"><option value="">${tr(lang, 'all')}</option>${o.actions.map((a) => html`<option ${a === v.action ? 'selected' : ''}>${a}</option>`)}</select></label>
<label>${tr(lang, 'subject')}<input name="subject" value="${v.subject ?? ''}"></label>
<label>${tr(lang, 'from')}<input type="date" name="from" value="${v.from ?? ''}"></label>
<label>${tr(lang, 'to')}<input type="date" name="to" value="${v.to ?? ''}"></label>
<button class="primary" type="submit">${tr(lang, 'filter')}</button>
<a data-testid="csv" href="/cycles/${o.cycleId}/audit.csv${qs({ actor: v.actor, action: v.action, subject: v.subject, from: v.from, to: v.to })}">${tr(lang, 'exportCsv')}</a>
</form>
<p class="muted" data-testid="count">${lang === 'en' ? `${o.entries.length} entries` : `共 ${o.entries.length} 条`}</p>
<table><thead><tr><th>#</th><th>${tr(lang, 'at')}</th><th>${tr(lang, 'actor')}</th><th>${tr(lang, 'roles')}</th><th>${tr(lang, 'action')}</th><th>${tr(lang, 'subject')}</th><th>${tr(lang, 'detail')}</th></tr></thead><tbody>
${o.entries.map((e) => html`<tr data-testid="audit-row"><td>${e.seq}</td><td>${e.at.replace('T', ' ').slice(0, 19)}</td><td>${e.actor}</td><td>${e.role}</td><td>${e.action}</td><td>${e.subject}</td><td>${e.detail ?? ''}</td></tr>`)}
</tbody></table>`);
}
