// One deliverable: its state, deadline, what was handed in (files downloadable) and reviewed, and
// the form the signed-in person may use now: submit with attachments, or approve / reject with a reason.
import type { Target } from '../../../domain/targets.js';
import type { DeliverableStatus } from '../../cycle-client.js';
import { cardTable, html } from '../html.js';
import { momentText, pick, targetDueText, tr } from '../i18n.js';
import type { Deadlines } from '../tasks.js';
import { page, type Frame } from './layout.js';
import { overdueText, stateBadge } from './cycle.js';
import { deadlineParts } from './tasks.js';
import { delegateForm, delegationList, type DelegationView } from './delegations.js';

export function deliverablePage(f: Frame, o: {
  cycleId: string; d: DeliverableStatus; zone: string; nameOf: (id: string) => string;
  canSubmit: boolean; canReview: boolean; maxMb: number; types: string[]; message?: string;
  /** 催办 (the coordinator, the director, its responsible leader) and 延期 (the coordinator), while it waits. */
  canUrge?: boolean; canExtend?: boolean;
  /** The targets of the item's department (evidence is filed on each target's page). */
  targets?: Target[];
  /** The owner's and the reviewer's deadlines, shown apart. */
  deadlines: Deadlines;
  /** 委托: the delegations that stand on it, and the form to hand it on (`from`: the coordinator hands on someone's). */
  delegations?: DelegationView[];
  delegate?: { colleagues: { id: string; name: string }[]; from?: { id: string; name: string } };
}): string {
  const { d, lang } = { d: o.d, lang: f.lang };
  const base = `/cycles/${o.cycleId}/d/${d.id}`;
  const accept = o.types.map((t) => `.${t}`).join(',');
  // A delegate's act names the person they acted for.
  const by = (r: { by: string; for?: string }) => (r.for ? tr(lang, 'actingFor', { actor: o.nameOf(r.by), for: o.nameOf(r.for) }) : o.nameOf(r.by));
  return page(f, html`<h1>${pick(lang, d.title)}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}
<div class="card"><p>${tr(lang, 'state')}: ${stateBadge(lang, d.state)} · ${tr(lang, 'owner')}: ${o.nameOf(d.owner)}
${d.actors.length ? html` · ${tr(lang, 'action')}: ${d.actors.map(o.nameOf).join(', ')}` : ''}</p>
${((dl) => html`<div class="deadlines" data-testid="deadlines"><div data-testid="submit-due">${tr(lang, 'submitDue')}: ${dl.submit}</div><div data-testid="review-due">${tr(lang, 'reviewDue')}: ${dl.review}</div></div>`)(deadlineParts(lang, o.deadlines, o.zone))}
${d.overdueDays > 0 && (d.state === 'open' || d.state === 'in-review') ? html`<p class="late">${overdueText(lang, d.overdueDays)}</p>` : ''}</div>
${o.targets?.length ? html`<h2>${tr(lang, 'targets')}</h2>${cardTable([{ label: tr(lang, 'targetId'), cls: 'c' }, tr(lang, 'target'), { label: tr(lang, 'points'), cls: 'num c' }, tr(lang, 'due')],
    o.targets.map((t) => ({ cells: [html`<a href="/cycles/${o.cycleId}/t/${t.id}">${t.id}</a>`, t.title, t.points, targetDueText(lang, t.due, o.zone)] })), { testid: 'item-targets' })}<p class="muted">${tr(lang, 'evidenceHint')}</p>` : ''}
${d.submissions.length ? html`<h2>${tr(lang, 'submissions')}</h2>${cardTable([tr(lang, 'at'), tr(lang, 'by'), tr(lang, 'note'), tr(lang, 'files')], d.submissions.map((s) => ({
    cells: [momentText(lang, s.at, o.zone), by(s), s.note ?? '',
      s.files.map((x) => html`<div><a data-testid="file" href="${base}/files/${x.sha256}?name=${encodeURIComponent(x.name)}">${x.name}</a> <span class="muted">${Math.ceil(x.size / 1024)} KB</span></div>`)],
  })))}` : ''}
${d.reviews.length ? html`<h2>${tr(lang, 'reviews')}</h2>${cardTable([tr(lang, 'at'), tr(lang, 'by'), tr(lang, 'decision'), tr(lang, 'comment')],
    d.reviews.map((r) => ({ cells: [momentText(lang, r.at, o.zone), by(r), tr(lang, r.decision === 'approved' ? 'approve' : 'reject'), r.reason ?? ''] })))}` : ''}
${delegationList(lang, o.cycleId, o.zone, o.delegations ?? [], o.nameOf, base)}
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
<button class="secondary" type="submit">${tr(lang, 'reject')}</button></form></div></div>` : ''}
${o.canUrge ? html`<h2>${tr(lang, 'urge')}</h2><div class="card"><form class="stack" method="post" action="${base}/urge" data-testid="urge-form">
<label>${tr(lang, 'urgeMessage')}<textarea name="message" maxlength="500"></textarea></label><p class="muted">${tr(lang, 'urgeHint')}</p>
<button class="primary" type="submit">${tr(lang, 'urge')}</button></form></div>` : ''}
${o.canExtend ? html`<h2>${tr(lang, 'extend')}</h2><div class="card"><form class="stack" method="post" action="${base}/extend" data-testid="extend-form">
<label>${tr(lang, 'extendDue')}<input type="date" name="due" required></label><label>${tr(lang, 'extendReason')}<textarea name="reason" maxlength="2000" required></textarea></label>
<button class="secondary" type="submit">${tr(lang, 'extend')}</button></form></div>` : ''}
${o.delegate ? delegateForm(lang, o.cycleId, d.id, o.delegate.colleagues, o.delegate.from) : ''}`);
}
