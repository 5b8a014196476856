// Scores and grades: the target ledger (targets, owners, marks), the score with every intermediate
// figure from the cycle's `score` query or what is still missing, the figures and vetoes with their
// sources, the grade with its reason, next year's quota and sanctions; and the forms of whoever may act:
// the review team marks, the efficiency office enters figures and vetoes, the office makes the bonus list.
import type { CycleInput } from '../../../domain/cycle.js';
import { VETOES } from '../../../domain/grading.js';
import { UNIT_GRADE_LABELS } from '../../../domain/bonus.js';
import { FIGURES, FIGURE_NAMES, latest } from '../../../domain/score-sheet.js';
import type { ScoreBreakdown } from '../../../domain/scoring.js';
import { pct, scoreLines } from '../../../domain/score-lines.js';
import { CATEGORY_LABELS, type Target } from '../../../domain/targets.js';
import { formatLocal } from '../../../domain/time.js';
import type { ScoreState, TargetEvidence, TargetsView } from '../../../workflows/definitions.js';
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import { html, type Html } from '../html.js';
import { pick, tr, type Lang } from '../i18n.js';
import { page, type Frame } from './layout.js';

export interface ScoresData {
  cycleId: string;
  input?: CycleInput;
  status?: StatusView;
  result?: DeliverableStatus;
  showPackage: boolean;
  /** The targets the person may see, with their evidence. */
  targets?: TargetsView;
  evidence?: TargetEvidence[];
  score?: ScoreState & { grade?: StatusView['grade'] };
  can: { mark: boolean; figures: boolean; bonus: boolean };
  message?: string;
}

const na = (lang: Lang, v: number | null) => (v === null ? tr(lang, 'notApplicable') : String(v));

/** Every intermediate figure of computeScore, in the order the document computes them. */
export function breakdownRows(lang: Lang, b: ScoreBreakdown): [string, string][] {
  return scoreLines(b).map((l) => [pick(lang, l.label), l.value === null ? na(lang, null) : `${l.sign ?? ''}${l.value}`]);
}

export const GRADE_EN: Record<string, string> = { excellent: 'Excellent', good: 'Good', fair: 'Fair', poor: 'Poor' };

export function categoryText(lang: Lang, c: Target['category']): string {
  return lang === 'en' ? c : CATEGORY_LABELS[c];
}

function ledger(lang: Lang, o: ScoresData, nameOf: (id: string) => string, deptOf: (id: string) => string): Html {
  const t = o.targets;
  if (!t?.targets.length) return html`<div class="card" data-testid="no-targets">${tr(lang, 'noTargets')}</div>`;
  const marks = o.score?.marks ?? [];
  const zone = o.status?.timeZone ?? 'Asia/Shanghai';
  return html`${t.importedAt ? html`<p class="muted" data-testid="imported">${tr(lang, 'importedBy', { n: t.targets.length, who: nameOf(t.importedBy ?? ''), at: formatLocal(t.importedAt, zone) })}${t.source ? html` · ${t.source.name}` : ''}</p>` : ''}
<table data-testid="ledger"><thead><tr><th>${tr(lang, 'targetId')}</th><th>${tr(lang, 'category')}</th><th>${tr(lang, 'target')}</th><th>${tr(lang, 'points')}</th>
<th>${tr(lang, 'departments')}</th><th>${tr(lang, 'leader')}</th><th>${tr(lang, 'person')}</th><th>${tr(lang, 'due')}</th><th>${tr(lang, 'evidence')}</th><th>${tr(lang, 'mark')}</th></tr></thead><tbody>
${t.targets.map((x) => {
    const m = latest(marks, (e) => e.targetId === x.id);
    const n = o.evidence?.find((e) => e.targetId === x.id)?.items.length ?? 0;
    return html`<tr data-testid="target-row"><td><a href="/cycles/${o.cycleId}/t/${x.id}">${x.id}</a></td><td>${categoryText(lang, x.category)}</td><td>${x.title}</td><td class="num">${x.points}</td>
<td>${x.departments.map((d, i) => html`${i ? '、' : ''}${i === 0 && x.departments.length > 1 ? html`<b>${deptOf(d)}</b>` : deptOf(d)}`)}</td><td>${nameOf(x.leader)}</td><td>${x.person}</td><td>${x.due}</td><td class="num">${n}</td>
<td class="num" data-testid="mark">${m ? html`<b>${m.mark}</b><div class="muted">${nameOf(m.by)}${m.reason ? html` · ${m.reason}` : ''}</div>` : html`<span class="muted">${tr(lang, 'notMarked')}</span>`}</td></tr>`;
  })}
</tbody></table>`;
}

function breakdown(lang: Lang, s: ScoreState): Html {
  if (!s.view.complete) {
    return html`<div class="card" data-testid="missing"><p>${tr(lang, 'missing')}</p><ul>${s.view.missing.map((m) => html`<li>${pick(lang, m)}</li>`)}</ul></div>`;
  }
  return html`<table data-testid="breakdown"><tbody>${breakdownRows(lang, s.view.breakdown).map(([k, v], i, all) => (i === all.length - 1
    ? html`<tr><th>${k}</th><td class="num"><b data-testid="final-score">${v}</b></td></tr>`
    : html`<tr><td>${k}</td><td class="num">${v}</td></tr>`))}</tbody></table>`;
}

function figures(lang: Lang, s: ScoreState, zone: string, nameOf: (id: string) => string): Html {
  return html`<table data-testid="figures"><thead><tr><th>${tr(lang, 'figure')}</th><th>${tr(lang, 'value')}</th><th>${tr(lang, 'source')}</th><th>${tr(lang, 'by')}</th><th>${tr(lang, 'at')}</th></tr></thead><tbody>
${FIGURE_NAMES.map((f) => {
    const e = latest(s.figures, (x) => x.figure === f);
    return html`<tr><td>${pick(lang, FIGURES[f])} <span class="muted">${f}</span></td>${e
      ? html`<td class="num">${na(lang, e.value)}</td><td>${e.source}${e.reason ? html`<div class="muted">${tr(lang, 'corrected')}: ${e.reason}</div>` : ''}</td><td>${nameOf(e.by)}</td><td>${formatLocal(e.at, zone)}</td>`
      : html`<td colspan="4" class="muted">${tr(lang, 'notEntered')}</td>`}</tr>`;
  })}
<tr><td>${tr(lang, 'vetoes')}</td><td colspan="4" data-testid="vetoes">${s.vetoesSet ? (s.vetoes.length ? s.vetoes.map((v) => pick(lang, VETOES.find((x) => x.name === v) ?? { zh: v, en: v })).join('；') : tr(lang, 'vetoesNone')) : html`<span class="muted">${tr(lang, 'vetoesNotSet')}</span>`}</td></tr>
</tbody></table>`;
}

function gradeCard(lang: Lang, g: NonNullable<StatusView['grade']>, zone: string): Html {
  return html`<div class="card" data-testid="grade"><p><b class="grade">${lang === 'en' ? GRADE_EN[g.grade] : UNIT_GRADE_LABELS[g.grade]}</b>
· ${tr(lang, 'gradeLine', { rank: g.rank, units: g.units, score: g.score })}</p>
<p>${g.reason}</p>
<p>${tr(lang, 'nextYearShare')}: <b>${pct(g.nextYearExcellentShare)}</b></p>
${g.sanctions.length ? html`<p>${tr(lang, 'sanctions')}:</p><ul data-testid="sanctions">${g.sanctions.map((s) => html`<li>${pick(lang, s)}</li>`)}</ul>` : ''}
<p class="muted">${g.gradingId} · ${formatLocal(g.receivedAt, zone)}</p></div>`;
}

const reasonField = (lang: Lang) => html`<label>${tr(lang, 'correctionReason')}<input name="reason" maxlength="4000"></label>`;

function forms(lang: Lang, o: ScoresData): Html {
  const base = `/cycles/${o.cycleId}`;
  const s = o.score;
  const targets = o.targets?.targets ?? [];
  const mark = o.can.mark && targets.length ? html`<div class="card"><h2>${tr(lang, 'marks')}</h2><form class="stack" method="post" action="${base}/marks" data-testid="mark-form">
<label>${tr(lang, 'target')}<select name="targetId" required>${targets.map((t) => {
    const m = latest(s?.marks ?? [], (e) => e.targetId === t.id);
    return html`<option value="${t.id}">${t.id} ${t.title.slice(0, 24)}（${t.points}${m ? ` · ${m.mark}` : ''}）</option>`;
  })}</select></label>
<label>${tr(lang, 'mark')}<input name="mark" type="number" min="0" step="0.01" required></label>
<label>${tr(lang, 'note')}<input name="note" maxlength="4000"></label>${reasonField(lang)}
<button class="primary" type="submit">${tr(lang, 'markTarget')}</button></form></div>` : '';
  const fig = o.can.figures ? html`<div class="card"><h2>${tr(lang, 'figures')}</h2><form class="stack" method="post" action="${base}/figures" data-testid="figure-form">
<label>${tr(lang, 'figure')}<select name="figure" required>${FIGURE_NAMES.map((f) => html`<option value="${f}">${pick(lang, FIGURES[f])}</option>`)}</select></label>
<label>${tr(lang, 'value')} <span class="muted">${tr(lang, 'valueHint')}</span><input name="value" inputmode="decimal"></label>
<label>${tr(lang, 'source')}<input name="source" required maxlength="1000"></label>${reasonField(lang)}
<button class="primary" type="submit">${tr(lang, 'enterFigure')}</button></form></div>
<div class="card"><h2>${tr(lang, 'setVetoes')}</h2><form class="stack" method="post" action="${base}/vetoes" data-testid="vetoes-form">
${VETOES.map((v) => html`<label class="check"><input type="checkbox" name="vetoes" value="${v.name}" ${s?.vetoes.includes(v.name) ? html`checked` : ''}>${pick(lang, v)}</label>`)}
<label>${tr(lang, 'source')}<input name="source" required maxlength="1000"></label>${reasonField(lang)}
<button class="secondary" type="submit">${tr(lang, 'setVetoes')}</button></form></div>` : '';
  const bonus = o.can.bonus && s?.grade ? html`<div class="card"><h2>${tr(lang, 'bonusList')}</h2><p class="muted">${tr(lang, 'bonusHint')}</p>
<form class="stack" method="post" action="${base}/bonus" enctype="multipart/form-data"><label>${tr(lang, 'table')}<input type="file" name="roster" accept=".csv,.xlsx,.json" required></label>
<label>${tr(lang, 'format')}<select name="format"><option value="xlsx">XLSX</option><option value="csv">CSV</option></select></label>
<button class="secondary" type="submit">${tr(lang, 'make')}</button></form></div>` : '';
  return html`${mark || fig || bonus ? html`<div class="row">${mark}${fig}${bonus}</div>` : ''}`;
}

export function scoresPage(f: Frame, o: ScoresData): string {
  const lang = f.lang;
  const zone = o.status?.timeZone ?? 'Asia/Shanghai';
  const nameOf = (id: string) => o.input?.people.find((p) => p.id === id)?.name ?? id;
  const deptOf = (id: string) => o.input?.departments.find((d) => d.id === id)?.name ?? id;
  const last = o.result?.state === 'accepted' ? o.result.submissions.at(-1) : undefined;
  const result = last
    ? html`<div class="card" data-testid="result"><p><b>${last.note ?? ''}</b></p><p class="muted">${formatLocal(last.at, zone)} · ${last.by}</p>
${last.files.map((x) => html`<div><a href="/cycles/${o.cycleId}/d/result/files/${x.sha256}?name=${encodeURIComponent(x.name)}">${x.name}</a></div>`)}</div>`
    : html`<div class="card" data-testid="no-result">${tr(lang, 'noScores')}</div>`;
  const s = o.score;
  return page(f, html`<h1>${tr(lang, 'scores')}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}
${s?.grade ? html`<h2>${tr(lang, 'grade')}</h2>${gradeCard(lang, s.grade, zone)}` : ''}
${s ? html`<h2>${tr(lang, 'breakdown')}</h2>${breakdown(lang, s)}<h2>${tr(lang, 'figures')}</h2>${figures(lang, s, zone, nameOf)}` : ''}
${o.status ? html`<h2>${tr(lang, 'targets')}</h2>${ledger(lang, o, nameOf, deptOf)}` : ''}
${forms(lang, o)}
<h2>${tr(lang, 'result')}</h2>${result}
${o.showPackage && o.status?.scoringPackage ? html`<p class="muted">${tr(lang, 'scoringPackage')}: <code>${o.status.scoringPackage}</code></p>` : ''}`);
}
