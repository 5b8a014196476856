// Scores and grades: what the efficiency office handed in as the cycle's result, or a placeholder
// saying when it is expected.
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import { formatLocal } from '../../../domain/time.js';
import { html } from '../html.js';
import { tr } from '../i18n.js';
import { page, type Frame } from './layout.js';

export function scoresPage(f: Frame, o: { cycleId: string; status?: StatusView; result?: DeliverableStatus; showPackage: boolean }): string {
  const lang = f.lang;
  const last = o.result?.state === 'accepted' ? o.result.submissions.at(-1) : undefined;
  const body = last
    ? html`<div class="card" data-testid="result"><p><b>${last.note ?? ''}</b></p><p class="muted">${formatLocal(last.at, o.status!.timeZone)} · ${last.by}</p>
${last.files.map((x) => html`<div><a href="/cycles/${o.cycleId}/d/result/files/${x.sha256}?name=${encodeURIComponent(x.name)}">${x.name}</a></div>`)}</div>`
    : html`<div class="card" data-testid="no-result">${tr(lang, 'noScores')}</div>`;
  return page(f, html`<h1>${tr(lang, 'scores')}</h1>${body}
${o.showPackage && o.status?.scoringPackage ? html`<p class="muted">${tr(lang, 'scoringPackage')}: <code>${o.status.scoringPackage}</code></p>` : ''}`);
}
