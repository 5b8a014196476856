// One deliverable: its state, deadline, what was handed in (files downloadable) and reviewed, and
// the form the signed-in person may use now: submit with attachments, or approve / reject with a reason.
import type { Target } from '../../../domain/targets.js';
import { formatLocal } from '../../../domain/time.js';
import type { DeliverableStatus } from '../../cycle-client.js';
import { html } from '../html.js';
import { pick, tr } from '../i18n.js';
import { page, type Frame } from './layout.js';
import { overdueText, stateBadge } from './cycle.js';

export function deliverablePage(f: Frame, o: {
  cycleId: string; d: DeliverableStatus; zone: string; nameOf: (id: string) => string;
  canSubmit: boolean; canReview: boolean; maxMb: number; types: string[]; message?: string;
  /** The targets of the item's department (evidence is filed on each target's page). */
  targets?: Target[];
}): string {
  const { d, lang } = { d: o.d, lang: f.lang };
  const base = `/cycles/${o.cycleId}/d/${d.id}`;
  const accept = o.types.map((t) => `.${t}`).join(',');
  return page(f, html`<h1>${pick(lang, d.title)}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}
<div class="card"><p>${tr(lang, 'state')}: ${stateBadge(lang, d.state)} · ${tr(lang, 'owner')}: ${o.nameOf(d.owner)}
${d.actors.length ? html` · ${tr(lang, 'action')}: ${d.actors.map(o.nameOf).join(', ')}` : ''}</p>
<p>${tr(lang, 'due')}: ${formatLocal(d.due, o.zone)}${d.overdueDays > 0 ? html` <span class="late">${overdueText(lang, d.overdueDays)}</span>` : ''}</p></div>
${o.targets?.length ? html`<h2>${tr(lang, 'targets')}</h2><table data-testid="item-targets"><thead><tr><th>${tr(lang, 'targetId')}</th><th>${tr(lang, 'target')}</th><th>${tr(lang, 'points')}</th><th>${tr(lang, 'due')}</th></tr></thead><tbody>
${o.targets.map((t) => html`<tr><td><a href="/cycles/${o.cycleId}/t/${t.id}">${t.id}</a></td><td>${t.title}</td><td class="num">${t.points}</td><td>${t.due}</td></tr>`)}
</tbody></table><p class="muted">${tr(lang, 'evidenceHint')}</p>` : ''}
${d.submissions.length ? html`<h2>${tr(lang, 'submissions')}</h2><table><thead><tr><th>${tr(lang, 'at')}</th><th>${tr(lang, 'by')}</th><th>${tr(lang, 'note')}</th><th>${tr(lang, 'files')}</th></tr></thead><tbody>
${d.submissions.map((s) => html`<tr><td>${formatLocal(s.at, o.zone)}</td><td>${o.nameOf(s.by)}</td><td>${s.note ?? ''}</td>
<td>${s.files.map((x) => html`<div><a data-testid="file" href="${base}/files/${x.sha256}?name=${encodeURIComponent(x.name)}">${x.name}</a> <span class="muted">${Math.ceil(x.size / 1024)} KB · ${x.sha256.slice(0, 12)}</span></div>`)}</td></tr>`)}
</tbody></table>` : ''}
${d.reviews.length ? html`<h2>${tr(lang, 'reviews')}</h2><table><thead><tr><th>${tr(lang, 'at')}</th><th>${tr(lang, 'by')}</th><th>${tr(lang, 'decision')}</th><th>${tr(lang, 'comment')}</th></tr></thead><tbody>
${d.reviews.map((r) => html`<tr><td>${formatLocal(r.at, o.zone)}</td><td>${o.nameOf(r.by)}</td><td>${tr(lang, r.decision === 'approved' ? 'approve' : 'reject')}</td><td>${r.reason ?? ''}</td></tr>`)}
</tbody></table>` : ''}
${o.canSubmit ? html`<h2>${tr(lang, 'submit')}</h2><div class="card"><form class="stack" method="post" action="${base}/submit" enctype="multipart/form-data">
<label>${tr(lang, 'note')}<textarea name="note" maxlength="4000"></textarea></label>
<label>${tr(lang, 'files')}<input type="file" name="files" multiple accept="${accept}"></label>
<p class="muted">${tr(lang, 'limits', { mb: o.maxMb, types: o.types.join(', ') })}</p>
<button class="primary" type="submit">${tr(lang, 'submit')}</button></form></div>` : ''}
${o.canReview ? html`<h2>${tr(lang, 'actReview')}</h2><div class="row">
<div class="card"><form class="stack" method="post" action="${base}/approve"><label>${tr(lang, 'comment')}<textarea name="comment" maxlength="4000"></textarea></label>
<button class="primary" type="submit">${tr(lang, 'approve')}</button></form></div>
<div class="card"><form class="stack" method="post" action="${base}/reject"><label>${tr(lang, 'reason')}<textarea name="reason" maxlength="4000" required></textarea></label>
<label>${tr(lang, 'newDue')}<input type="date" name="due"></label>
<button class="secondary" type="submit">${tr(lang, 'reject')}</button></form></div></div>` : ''}`);
}
