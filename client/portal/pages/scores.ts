// Scores and grades: the target ledger (targets, owners, marks), the score with every intermediate
// figure from the cycle's `score` query or what is still missing, the figures and vetoes with their
// sources, the grade with its reason, next year's quota and sanctions; and the forms of whoever may act:
// the review team marks, the efficiency office enters figures and vetoes, the office makes the bonus list.
import type { CycleInput } from '../../../domain/cycle.js';
import { VETOES } from '../../../domain/grading.js';
import { FIGURES, FIGURE_NAMES, latest } from '../../../domain/score-sheet.js';
import type { ScoreBreakdown } from '../../../domain/scoring.js';
import { pct, scoreLines } from '../../../domain/score-lines.js';
import { CATEGORY_LABELS, type Target } from '../../../domain/targets.js';
import type { ScoreState, TargetEvidence, TargetsView } from '../../../workflows/definitions.js';
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import { auditNames, gradeText, spoken } from '../audit-text.js';
import { cardTable, html, type Html } from '../html.js';
import { momentText, pick, targetDueText, tr, type Lang } from '../i18n.js';
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

export function categoryText(lang: Lang, c: Target['category']): string {
  return lang === 'en' ? c : CATEGORY_LABELS[c];
}

function ledger(lang: Lang, o: ScoresData, nameOf: (id: string) => string, deptOf: (id: string) => string): Html {
  const t = o.targets;
  if (!t?.targets.length) return html`<div class="card" data-testid="no-targets">${tr(lang, 'noTargets')}</div>`;
  const marks = o.score?.marks ?? [];
  const zone = o.status?.timeZone ?? 'Asia/Shanghai';
  return html`${t.importedAt ? html`<p class="muted" data-testid="imported">${tr(lang, 'importedBy', { n: t.targets.length, who: nameOf(t.importedBy ?? ''), at: momentText(lang, t.importedAt, zone) })}${t.source ? html` · ${t.source.name}` : ''}</p>` : ''}
${cardTable([{ label: tr(lang, 'targetId'), cls: 'c' }, { label: tr(lang, 'category'), cls: 'c' }, { label: tr(lang, 'target'), cls: 'wide' }, { label: tr(lang, 'points'), cls: 'num c' },
    tr(lang, 'departments'), { label: tr(lang, 'leader'), cls: 'i' }, { label: tr(lang, 'person'), cls: 'i' }, { label: tr(lang, 'due'), cls: 'i' }, { label: tr(lang, 'evidence'), cls: 'num c' }, { label: tr(lang, 'mark'), cls: 'num c' }],
  t.targets.map((x) => {
    const m = latest(marks, (e) => e.targetId === x.id);
    const n = o.evidence?.find((e) => e.targetId === x.id)?.items.length ?? 0;
    return {
      testid: 'target-row',
      cells: [html`<a href="/cycles/${o.cycleId}/t/${x.id}">${x.id}</a>`, categoryText(lang, x.category), x.title, x.points,
        x.departments.map((d, i) => html`${i ? '、' : ''}${i === 0 && x.departments.length > 1 ? html`<b>${deptOf(d)}</b>` : deptOf(d)}`), nameOf(x.leader), x.person, targetDueText(lang, x.due, zone), n,
        html`<span data-testid="mark">${m ? html`<b>${m.mark}</b><div class="muted">${nameOf(m.by)}${m.reason ? html` · ${m.reason}` : ''}</div>` : html`<span class="muted">${tr(lang, 'notMarked')}</span>`}</span>`],
    };
  }), { testid: 'ledger', cls: 'ledger' })}`;
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
  const notEntered = html`<span class="muted">${tr(lang, 'notEntered')}</span>`;
  return html`${cardTable([tr(lang, 'figure'), { label: tr(lang, 'value'), cls: 'num c' }, tr(lang, 'source'), { label: tr(lang, 'by'), cls: 'i' }, { label: tr(lang, 'at'), cls: 'i' }], FIGURE_NAMES.map((f) => {
    const e = latest(s.figures, (x) => x.figure === f);
    return {
      cells: [pick(lang, FIGURES[f]), ...(e
        ? [na(lang, e.value), html`${e.source}${e.reason ? html`<div class="muted">${tr(lang, 'corrected')}: ${e.reason}</div>` : ''}`, nameOf(e.by), momentText(lang, e.at, zone)]
        : [notEntered, '', '', ''])],
    };
  }), { testid: 'figures' })}
<p>${tr(lang, 'vetoes')}: <span data-testid="vetoes">${s.vetoesSet ? (s.vetoes.length ? s.vetoes.map((v) => pick(lang, VETOES.find((x) => x.name === v) ?? { zh: v, en: v })).join('；') : tr(lang, 'vetoesNone')) : html`<span class="muted">${tr(lang, 'vetoesNotSet')}</span>`}</span></p>`;
}

function gradeCard(lang: Lang, g: NonNullable<StatusView['grade']>, zone: string): Html {
  return html`<div class="card" data-testid="grade"><p><b class="grade">${gradeText(lang, g.grade)}</b>
· ${tr(lang, 'gradeLine', { rank: g.rank, units: g.units, score: g.score })}</p>
<p>${spoken(lang, g.reason, auditNames(undefined))}</p>
<p>${tr(lang, 'nextYearShare')}: <b>${pct(g.nextYearExcellentShare)}</b></p>
${g.sanctions.length ? html`<p>${tr(lang, 'sanctions')}:</p><ul data-testid="sanctions">${g.sanctions.map((s) => html`<li>${pick(lang, s)}</li>`)}</ul>` : ''}
<p class="muted">${tr(lang, 'gradedAt', { at: momentText(lang, g.receivedAt, zone) })}</p></div>`;
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
    ? html`<div class="card" data-testid="result"><p><b>${last.note ?? ''}</b></p><p class="muted">${momentText(lang, last.at, zone)} · ${nameOf(last.by)}</p>
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
${o.showPackage && o.status?.scoringPackage ? html`<p class="muted">${tr(lang, 'scoringPackage')}: ${tr(lang, 'filedPackage')} · <a href="/api/cycles/${o.cycleId}/review-package">${tr(lang, 'downloads')}</a></p>` : ''}`);
}
