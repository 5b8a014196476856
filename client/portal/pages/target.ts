// One target of the ledger: what it asks for, who owns it, its mark, the evidence filed for it (files
// downloadable), and the forms of whoever may act: a head of one of its departments files evidence, the
// review team marks it.
import type { CycleInput } from '../../../domain/cycle.js';
import { latest, type MarkEntry } from '../../../domain/score-sheet.js';
import { EVIDENCE_CATEGORIES } from '../../../domain/target-ledger.js';
import type { Target } from '../../../domain/targets.js';
import type { EvidenceItem } from '../../../workflows/definitions.js';
import { cardTable, html } from '../html.js';
import { momentText, pick, targetDueText, tr } from '../i18n.js';
import { page, type Frame } from './layout.js';
import { categoryText } from './scores.js';

export function targetPage(f: Frame, o: {
  cycleId: string; input?: CycleInput; zone: string; target: Target; evidence: EvidenceItem[]; marks: MarkEntry[];
  canFile: boolean; canMark: boolean; maxMb: number; types: string[]; message?: string;
}): string {
  const { lang } = f;
  const t = o.target;
  const nameOf = (id: string) => o.input?.people.find((p) => p.id === id)?.name ?? id;
  const deptOf = (id: string) => o.input?.departments.find((d) => d.id === id)?.name ?? id;
  const base = `/cycles/${o.cycleId}/t/${t.id}`;
  const m = latest(o.marks, (e) => e.targetId === t.id);
  return page(f, html`<h1>${t.id} · ${t.title}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}
<div class="card" data-testid="target"><p>${tr(lang, 'category')}: ${categoryText(lang, t.category)} · ${tr(lang, 'points')}: <b>${t.points}</b> · ${tr(lang, 'due')}: ${targetDueText(lang, t.due, o.zone)}</p>
<p>${tr(lang, 'departments')}: ${t.departments.map(deptOf).join('、')} · ${tr(lang, 'leader')}: ${nameOf(t.leader)} · ${tr(lang, 'person')}: ${t.person}</p>
<p>${tr(lang, 'quality')}: ${t.quality}</p><p>${tr(lang, 'progress')}: ${t.progress}</p>
<p>${tr(lang, 'mark')}: ${m ? html`<b data-testid="mark">${m.mark}</b> <span class="muted">${nameOf(m.by)} · ${momentText(lang, m.at, o.zone)}${m.reason ? ` · ${m.reason}` : ''}</span>` : html`<span class="muted">${tr(lang, 'notMarked')}</span>`}</p></div>
<h2>${tr(lang, 'evidence')}</h2>
${o.evidence.length ? cardTable([{ label: tr(lang, 'category'), cls: 'c' }, tr(lang, 'files'), tr(lang, 'note'), tr(lang, 'by'), tr(lang, 'at')], o.evidence.map((e) => ({
    cells: [pick(lang, EVIDENCE_CATEGORIES[e.category]), html`<a data-testid="file" href="${base}/files/${e.file.sha256}?name=${encodeURIComponent(e.file.name)}">${e.file.name}</a> <span class="muted">${Math.ceil(e.file.size / 1024)} KB</span>`,
      e.note ?? '', nameOf(e.by), momentText(lang, e.at, o.zone)],
  })), { testid: 'evidence' }) : html`<div class="card muted">${tr(lang, 'noEvidence')}</div>`}
<div class="row">
${o.canFile ? html`<div class="card"><h2>${tr(lang, 'addEvidence')}</h2><form class="stack" method="post" action="${base}/evidence" enctype="multipart/form-data" data-testid="evidence-form">
<label>${tr(lang, 'category')}<select name="category">${Object.entries(EVIDENCE_CATEGORIES).map(([k, v]) => html`<option value="${k}">${pick(lang, v)}</option>`)}</select></label>
<label>${tr(lang, 'files')}<input type="file" name="file" required accept="${o.types.map((x) => `.${x}`).join(',')}"></label>
<label>${tr(lang, 'note')}<input name="note" maxlength="4000"></label>
<p class="muted">${tr(lang, 'limits', { mb: o.maxMb, types: o.types.join(', ') })}</p>
<button class="primary" type="submit">${tr(lang, 'addEvidence')}</button></form></div>` : ''}
${o.canMark ? html`<div class="card"><h2>${tr(lang, 'markTarget')}</h2><form class="stack" method="post" action="/cycles/${o.cycleId}/marks" data-testid="mark-form">
<input type="hidden" name="targetId" value="${t.id}"><input type="hidden" name="back" value="target">
<label>${tr(lang, 'mark')} (0–${t.points})<input name="mark" type="number" min="0" max="${t.points}" step="0.01" required></label>
<label>${tr(lang, 'note')}<input name="note" maxlength="4000"></label>
<label>${tr(lang, 'correctionReason')}<input name="reason" maxlength="4000"></label>
<button class="primary" type="submit">${tr(lang, 'markTarget')}</button></form></div>` : ''}
</div>
<p><a href="/cycles/${o.cycleId}/scores">${tr(lang, 'targets')}</a></p>`);
}
