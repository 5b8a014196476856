// The dashboard's charts (issue 11 item 7): completion per department, items overdue over time, the
// score breakdown. The page carries each chart as data (a <script type="application/json">, never run)
// and the app's own scripts draw it with Chart.js (client/portal/static/charts.js), so the CSP allows
// scripts from this site only and no inline one. Each chart's numbers stay on the page as a table (the
// completion's are the department table below it), so the page says the same without JavaScript.
import { scoreLines, type ScoreLine } from '../../../domain/score-lines.js';
import type { ScoreBreakdown } from '../../../domain/scoring.js';
import { asset, CHART_SCRIPTS } from '../assets.js';
import { Html, html } from '../html.js';
import { dayText, pick, tr, type Lang } from '../i18n.js';
import type { HistoryPoint } from '../overdue-history.js';

/** The colours of the dashboard's states (the badges' hues, stronger, so bars read apart). */
const COLOR = { done: '#2f855a', onTime: '#d69e2e', overdue: '#b3261e', notStarted: '#9aa5b1', closed: '#52606d', line: '#8f1d21', part: '#2b6cb0' };

/** JSON as a <script> element's text: every "<" escaped, so nothing in it (a name) can end the element. */
const jsonText = (value: unknown) => new Html(JSON.stringify(value).replace(/</g, '\\u003c'));

interface ChartSpec { height: number; config: Record<string, unknown> }

function section(lang: Lang, testid: string, title: string, spec: ChartSpec, table?: Html, hint?: string): Html {
  return html`<section class="card" data-testid="${testid}"><h2>${title}</h2>${hint ? html`<p class="muted">${hint}</p>` : ''}
<div data-chart-box hidden><canvas role="img" aria-label="${title}"></canvas></div>
<script type="application/json" data-chart>${jsonText(spec)}</script>
${table ? html`<details data-chart-table open><summary>${tr(lang, 'chartData')}</summary>${table}</details>` : ''}</section>`;
}

const base = { responsive: true, maintainAspectRatio: false };

/** A department's (or the bureau's) counts as the dashboard table gives them. */
export interface CompletionRow { name: string; done: number; todo: number; overdue: number; closed: number; notStarted: number }

/** Stacked per department: done, to do and not overdue, overdue, not open yet, closed. */
export function completionChart(lang: Lang, rows: CompletionRow[]): Html {
  const part = (label: string, color: string, value: (r: CompletionRow) => number) => ({ label, backgroundColor: color, data: rows.map(value) });
  return section(lang, 'chart-completion', tr(lang, 'chartCompletion'), {
    height: 90 + rows.length * 34,
    config: {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.name),
        datasets: [
          part(tr(lang, 'done'), COLOR.done, (r) => r.done),
          part(tr(lang, 'countOnTime'), COLOR.onTime, (r) => r.todo - r.overdue),
          part(tr(lang, 'overdue'), COLOR.overdue, (r) => r.overdue),
          part(tr(lang, 'notOpen'), COLOR.notStarted, (r) => r.notStarted),
          part(tr(lang, 'closed'), COLOR.closed, (r) => r.closed),
        ],
      },
      options: { ...base, indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } }, plugins: { legend: { position: 'bottom' } } },
    },
  });
}

/** The overdue items at each point of client/portal/overdue-history.ts. */
export function overdueChart(lang: Lang, points: HistoryPoint[], zone: string): Html {
  const labels = points.map((p) => dayText(lang, p.day, zone));
  const table = html`<table data-testid="overdue-table"><thead><tr><th>${tr(lang, 'day')}</th><th class="num c">${tr(lang, 'overdueItems')}</th></tr></thead>
<tbody>${points.map((p, i) => html`<tr><td>${labels[i]}</td><td class="num c">${p.count}</td></tr>`)}</tbody></table>`;
  return section(lang, 'chart-overdue', tr(lang, 'chartOverdue'), {
    height: 240,
    config: {
      type: 'line',
      data: {
        labels,
        // Stepped: a count changes when something happens during a day, not gradually between days.
        datasets: [{ label: tr(lang, 'overdueItems'), data: points.map((p) => p.count), borderColor: COLOR.line, backgroundColor: 'rgba(179,38,30,0.15)', fill: true, stepped: 'before', pointRadius: points.length > 40 ? 0 : 3 }],
      },
      options: { ...base, scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, x: { ticks: { maxRotation: 0, autoSkip: true } } }, plugins: { legend: { display: false } } },
    },
  }, table, tr(lang, 'chartOverdueHint'));
}

/**
 * What the final score adds up from, in the words of the score sheet (domain/score-lines.ts, in its
 * order): the weighted target score, the weighted public review, the incentive bonus, the inspection
 * deduction, and the final score.
 */
export function scoreParts(b: ScoreBreakdown): ScoreLine[] {
  const lines = scoreLines(b);
  return [lines[9]!, lines[10]!, lines[12]!, lines[13]!, lines[14]!];
}

export function scoreChart(lang: Lang, b: ScoreBreakdown): Html {
  const parts = scoreParts(b);
  const table = html`<table data-testid="score-table"><tbody>${parts.map((l) => html`<tr><td>${pick(lang, l.label)}</td><td class="num c">${l.sign ?? ''}${l.value ?? ''}</td></tr>`)}</tbody></table>`;
  return section(lang, 'chart-score', tr(lang, 'breakdown'), {
    height: 90 + parts.length * 34,
    config: {
      type: 'bar',
      data: {
        labels: parts.map((l) => pick(lang, l.label)),
        datasets: [{
          // The deduction as its size, in red: a bar below zero would stretch the axis for a fraction of a point.
          label: tr(lang, 'breakdown'), data: parts.map((l) => l.value ?? 0),
          backgroundColor: parts.map((l, i) => (i === parts.length - 1 ? COLOR.line : l.sign === '−' ? COLOR.overdue : COLOR.part)),
        }],
      },
      options: { ...base, indexAxis: 'y', scales: { x: { beginAtZero: true } }, plugins: { legend: { display: false } } },
    },
  }, table);
}

/** The chart library, then the code that draws the page's charts; deferred, so they run in this order once the page is read. */
export function chartScripts(): Html {
  return html`${CHART_SCRIPTS.map((name) => {
    const a = asset(name)!;
    return html`<script src="${a.url}" integrity="${a.integrity}" defer></script>`;
  })}`;
}
