// The list of one's cycles and a cycle's dashboard: the phase timeline with dates, mail held up (for
// those who follow the whole cycle), progress at a glance (charts: pages/charts.ts), then what is due,
// overdue and done per department.
import type { CycleInput } from '../../../domain/cycle.js';
import { PHASES, PHASE_LABELS, type Phase } from '../../../domain/phases.js';
import type { MailErrorKind } from '../../../store/mail-ledger.js';
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import type { ScoreBreakdown } from '../../../domain/scoring.js';
import { cardTable, html, qs, type Html, type Row } from '../html.js';
import { dayText, deadlineText, momentText, pick, tr, STATE_LABEL, type Key, type Lang } from '../i18n.js';
import { specsToCome } from '../deadlines.js';
import type { HistoryPoint } from '../overdue-history.js';
import type { Member } from '../rights.js';
import { chartScripts, completionChart, overdueChart, scoreChart } from './charts.js';
import { page, type Frame } from './layout.js';
import { overdueText } from './tasks.js';

export { overdueText };

export function homePage(f: Frame, cycles: { input: CycleInput; status?: StatusView }[]): string {
  return page(f, html`<h1>${tr(f.lang, 'cycles')}</h1>${cardTable([tr(f.lang, 'cycles'), tr(f.lang, 'phase')], cycles.map(({ input, status }) => ({
    cells: [html`<a href="/cycles/${input.cycleId}">${input.unit.name} ${input.year}</a>`, status ? pick(f.lang, status.phaseLabel) : html`<span class="muted">${tr(f.lang, 'notStarted')}</span>`],
  })))}`);
}

const STEPS: { phase: Phase; dates: (d: CycleInput['dates']) => string[] }[] = [
  { phase: 'plan', dates: (d) => [d.planSubmission, d.planApproval] },
  { phase: 'summary', dates: (d) => [d.summary] },
  { phase: 'review', dates: (d) => [d.reviewStart, d.reviewEnd] },
  { phase: 'scoring', dates: (d) => [d.scoring] },
  { phase: 'publication', dates: (d) => [d.publication] },
  { phase: 'rectification', dates: (d) => [d.rectification] },
];

function timeline(lang: Lang, input: CycleInput, current: Phase | undefined): Html {
  const at = current ? PHASES.indexOf(current) : -1;
  return html`<ol class="timeline" data-testid="timeline">${STEPS.map((s) => {
    const i = PHASES.indexOf(s.phase);
    const cls = i < at ? 'done' : i === at ? 'current' : 'upcoming';
    return html`<li class="${cls}" ${cls === 'current' ? html`aria-current="step"` : ''}><div>${pick(lang, PHASE_LABELS[s.phase])}</div><div class="d">${s.dates(input.dates).map((d) => dayText(lang, d, input.timeZone)).join(' – ')}</div></li>`;
  })}</ol>`;
}

export function stateBadge(lang: Lang, state: string): Html {
  return html`<span class="badge s-${state}">${pick(lang, STATE_LABEL[state] ?? { zh: state, en: state })}</span>`;
}

const live = (d: DeliverableStatus) => d.state === 'open' || d.state === 'in-review';

/** The dashboard's state filter: every item, or those to do, overdue, done or closed. */
export const SHOW = ['todo', 'overdue', 'done', 'closed'] as const;
export type Show = (typeof SHOW)[number];
const shows: Record<Show, (d: DeliverableStatus) => boolean> = {
  todo: live, overdue: (d) => live(d) && d.overdueDays > 0, done: (d) => d.state === 'accepted', closed: (d) => d.state === 'closed',
};

/** A group's counts: its items by state (those the filter shows), and its items not open yet. */
type Counts = Record<Show | 'notStarted', number>;
const COUNTS = [...SHOW, 'notStarted'] as const;

function counts(ds: DeliverableStatus[], notStarted: number): Counts {
  return { todo: ds.filter(shows.todo).length, overdue: ds.filter(shows.overdue).length, done: ds.filter(shows.done).length, closed: ds.filter(shows.closed).length, notStarted };
}

const COUNT_KEYS: Record<keyof Counts, Key> = { todo: 'countTodo', overdue: 'countOverdue', done: 'done', closed: 'closed', notStarted: 'notOpen' };

/** The bureau's own items, or a department's: counted once, for the table and the chart alike. */
interface Group { id: string; name: string; who: string; items: DeliverableStatus[]; c: Counts }

/** A department's row: its counts, then its items (those of the state shown); none when no item shows. */
function group(lang: Lang, cycleId: string, zone: string, g: Group, show?: Show): Row | undefined {
  const { c, name, who } = g;
  const ds = show ? g.items.filter(shows[show]) : g.items;
  if (show && !ds.length) return undefined;
  return {
    testid: 'dept',
    cells: [html`<b>${name}</b><div class="muted">${who}</div>`, ...COUNTS.map((k) => html`<span class="${k === 'overdue' && c.overdue ? 'late' : ''}" data-testid="count-${k}">${c[k]}</span>`),
      ds.length ? ds.map((d) => html`<div data-testid="item"><a href="/cycles/${cycleId}/d/${d.id}">${pick(lang, d.title)}</a> ${stateBadge(lang, d.state)}${live(d) ? html` <span class="muted">${deadlineText(lang, d.due, zone)}</span>${d.overdueDays > 0 ? html` <span class="late">${overdueText(lang, d.overdueDays)}</span>` : ''}` : ''}</div>`) : html`<span class="muted">—</span>`],
  };
}

/** A mail of the cycle held up, refused, or delivered after failures, as people read it. */
export interface MailNews {
  /** The recipient's name from the cycle's people (never an id). */
  to: string;
  /** A chat robot's message (issue 9); absent for a mail. */
  channel?: 'dingtalk' | 'wecom';
  subject: string;
  state: 'retrying' | 'refused' | 'delivered';
  attempts: number;
  failures: number;
  /** The latest failure: its kind is said in plain words, the server's own words come after. */
  reason?: { kind: MailErrorKind; detail: string };
  /** ISO-8601 in the cycle's zone: the first failure, and when delivered. */
  since: string;
  sentAt?: string;
}

const REASON: Record<MailErrorKind, Key> = {
  busy: 'mailErr.busy', unreachable: 'mailErr.unreachable', timeout: 'mailErr.timeout', 'cut-off': 'mailErr.cut-off', refused: 'mailErr.refused', other: 'mailErr.other',
};
export const mailReason = (lang: Lang, kind: MailErrorKind): string => tr(lang, REASON[kind] ?? 'mailErr.other');

/** Held up first (what people may need to act on), then refused, then delivered late. */
function mailCard(lang: Lang, zone: string, news: MailNews[]): Html {
  const table = (rows: MailNews[], head: Key, last: (m: MailNews) => Html) => cardTable([tr(lang, 'mailRecipient'), tr(lang, 'mailSubject'), tr(lang, head)],
    rows.map((m) => ({ testid: 'mail', cells: [html`<b>${m.to}</b>${m.channel ? html` <span class="muted">${tr(lang, `channel.${m.channel}`)}</span>` : ''}`, m.subject, last(m)] })));
  const failing = (m: MailNews) => html`<div>${m.reason ? mailReason(lang, m.reason.kind) : ''}</div>
<div class="muted">${tr(lang, 'mailAttempts', { n: m.attempts })} · ${tr(lang, 'mailSince', { at: momentText(lang, m.since, zone) })}${m.reason?.detail ? html` · ${m.reason.detail}` : ''}</div>`;
  const part = (state: MailNews['state'], title: Html, last: (m: MailNews) => Html) => {
    const rows = news.filter((m) => m.state === state);
    return rows.length ? html`<div class="card" data-testid="mail-${state}"><h2>${title}</h2>${table(rows, state === 'delivered' ? 'state' : 'mailReason', last)}</div>` : '';
  };
  return html`${part('retrying', html`<span class="late">${tr(lang, 'mailBlocked')}</span>`, failing)}
${part('refused', html`<span class="late">${tr(lang, 'mailRefusedTitle')}</span>`, failing)}
${part('delivered', html`${tr(lang, 'mailDeliveredTitle')}`, (m) => html`<span class="badge s-accepted">${tr(lang, 'mailDelivered')}</span> <span class="muted">${tr(lang, 'mailDeliveredAfter', { at: m.sentAt ? momentText(lang, m.sentAt, zone) : '', n: m.failures })}</span>`)}`;
}

/** The coordinator's import of the target table (考评表), while the workflow still takes one. */
function importCard(lang: Lang, input: CycleInput, status: StatusView): Html {
  const t = status.targets;
  const nameOf = (id: string) => input.people.find((p) => p.id === id)?.name ?? id;
  return html`<div class="card" data-testid="import-targets"><h2>${tr(lang, 'importTargets')}</h2>
${t ? html`<p>${tr(lang, 'importedBy', { n: t.count, who: nameOf(t.importedBy), at: momentText(lang, t.importedAt, status.timeZone) })}${t.source ? html` · ${t.source.name}` : ''} · <a href="/cycles/${input.cycleId}/scores">${tr(lang, 'targets')}</a></p>` : ''}
<form class="stack" method="post" action="/cycles/${input.cycleId}/targets" enctype="multipart/form-data">
<label>${tr(lang, 'table')}<input type="file" name="file" accept=".csv,.xlsx,.json" required></label>
<p class="muted">${tr(lang, 'importHint')}</p>
<button class="primary" type="submit">${tr(lang, 'importTargets')}</button></form></div>`;
}

/** What the dashboard shows: one department (or the bureau's own items), items in one state. */
export interface DashboardQuery { dept?: string; show?: Show }

export function dashboardQuery(q: Record<string, unknown>): DashboardQuery {
  const dept = typeof q.dept === 'string' && q.dept ? q.dept : undefined;
  const show = SHOW.find((x) => x === q.show);
  return { ...(dept && { dept }), ...(show && { show }) };
}

function filterForm(lang: Lang, input: CycleInput, depts: { id: string; name: string }[], q: DashboardQuery): Html {
  const option = (value: string, label: string, current?: string) => html`<option value="${value}" ${value === current ? html`selected` : ''}>${label}</option>`;
  return html`<form class="filters card" method="get" data-testid="dashboard-filter">
<label>${tr(lang, 'department')}<select name="dept">${option('', tr(lang, 'all'))}${option('bureau', tr(lang, 'bureau'), q.dept)}${depts.map((d) => option(d.id, d.name, q.dept))}</select></label>
<label>${tr(lang, 'state')}<select name="show">${option('', tr(lang, 'all'))}${SHOW.map((k) => option(k, tr(lang, `show.${k}`), q.show))}</select></label>
<button class="primary" type="submit">${tr(lang, 'filter')}</button><a href="/cycles/${input.cycleId}">${tr(lang, 'all')}</a></form>`;
}

/** What the dashboard draws once the cycle runs: overdue items over time, the score's parts once it exists. */
export interface Glance { history: HistoryPoint[]; breakdown?: ScoreBreakdown }

function downloads(lang: Lang, cycleId: string): Html {
  const q = (format?: string) => qs({ format, ...(lang === 'en' && { lang }) });
  return html`<p data-testid="downloads">${tr(lang, 'ledger')}: <a href="/api/cycles/${cycleId}/ledger${q()}">XLSX</a> · <a href="/api/cycles/${cycleId}/ledger${q('csv')}">CSV</a> · ${tr(lang, 'auditXlsx')}: <a href="/api/cycles/${cycleId}/audit.xlsx${q()}">XLSX</a></p>`;
}

function glance(lang: Lang, groups: Group[], zone: string, g?: Glance): Html {
  const completion = completionChart(lang, groups.map(({ name, c }) => ({ name, ...c })));
  return html`<h2>${tr(lang, 'glance')}</h2>${completion}
${g ? html`<div class="row">${overdueChart(lang, g.history, zone)}${g.breakdown ? scoreChart(lang, g.breakdown) : ''}</div>` : ''}${chartScripts()}`;
}

export function dashboardPage(f: Frame, o: { input: CycleInput; status?: StatusView; member?: Member; canStart: boolean; canImport?: boolean; mail?: MailNews[]; query?: DashboardQuery; glance?: Glance }): string {
  const { input, status } = o;
  const lang = f.lang;
  const q = o.query ?? {};
  const head = html`<h1>${input.unit.name} ${input.year} · ${tr(lang, 'dashboard')}</h1>
<div class="card"><div>${tr(lang, 'phase')}: <b data-testid="phase">${status ? pick(lang, status.phaseLabel) : tr(lang, 'notStarted')}</b>
${status ? html`<span class="muted"> · ${momentText(lang, status.asOf, status.timeZone)}</span>` : ''}</div>
<h2>${tr(lang, 'timeline')}</h2>${timeline(lang, input, status?.phase)}
<p><a href="/cycles/${input.cycleId}/calendar" data-testid="calendar-link">${tr(lang, 'calendar')}</a>${status ? html` · <a href="/cycles/${input.cycleId}/reach" data-testid="reach-link">${tr(lang, 'reach')}</a>` : ''}</p>
${status && o.member?.unitWide !== false ? downloads(lang, input.cycleId) : ''}</div>`;
  if (!status) {
    return page(f, html`${head}${o.canStart ? html`<form method="post" action="/cycles/${input.cycleId}/start"><button class="primary" type="submit">${tr(lang, 'startCycle')}</button></form>` : ''}`);
  }
  const nameOf = (id: string) => input.people.find((p) => p.id === id)?.name ?? id;
  const toCome = specsToCome(input, status);
  const notStarted = (dept?: string) => toCome.filter((s) => s.department === dept).length;
  const bureau = status.deliverables.filter((x) => !x.department);
  const groups: Group[] = [
    ...(bureau.length ? [{ id: 'bureau', name: tr(lang, 'bureau'), who: nameOf(input.roles.coordinator), items: bureau, c: counts(bureau, notStarted(undefined)) }] : []),
    ...input.departments
      .map((d) => ({ d, ds: status.deliverables.filter((x) => x.department === d.id) }))
      .filter(({ d, ds }) => ds.length > 0 || o.member?.unitWide || o.member?.owns.includes(d.id) || o.member?.leads.includes(d.id))
      .map(({ d, ds }) => ({ id: d.id, name: d.name, who: `${tr(lang, 'owner')} ${nameOf(d.owner)} · ${tr(lang, 'leader')} ${nameOf(d.leader)}`, items: ds, c: counts(ds, notStarted(d.id)) })),
  ];
  const depts = input.departments.filter((d) => groups.some((g) => g.id === d.id));
  const rows = groups.filter((g) => !q.dept || q.dept === g.id).map((g) => group(lang, input.cycleId, status.timeZone, g, q.show)).filter((r): r is Row => !!r);
  return page(f, html`${head}${o.mail?.length ? mailCard(lang, status.timeZone, o.mail) : ''}
${groups.length ? glance(lang, groups, status.timeZone, o.glance) : ''}<h2>${tr(lang, 'byDepartment')}</h2>
${groups.length > 1 ? filterForm(lang, input, depts, q) : ''}
<p class="muted">${tr(lang, 'countsHint')}</p>
${rows.length ? cardTable([tr(lang, 'department'), ...COUNTS.map((k) => ({ label: tr(lang, COUNT_KEYS[k]), cls: 'num c' })), tr(lang, 'item')], rows, { testid: 'departments' }) : html`<div class="card muted" data-testid="no-items">${tr(lang, 'noItems')}</div>`}
${o.canImport && status.reviewWindow !== 'closed' ? importCard(lang, input, status) : ''}`);
}
