// The list of one's cycles and a cycle's dashboard: the phase timeline with dates, mail held up (for
// those who follow the whole cycle), then what is due, overdue and done per department.
import type { CycleInput } from '../../../domain/cycle.js';
import { PHASES, PHASE_LABELS, type Phase } from '../../../domain/phases.js';
import { formatLocal } from '../../../domain/time.js';
import type { MailErrorKind } from '../../../store/mail-ledger.js';
import type { DeliverableStatus, StatusView } from '../../cycle-client.js';
import { html, type Html } from '../html.js';
import { pick, tr, STATE_LABEL, type Key, type Lang } from '../i18n.js';
import type { Member } from '../rights.js';
import { page, type Frame } from './layout.js';

export function homePage(f: Frame, cycles: { input: CycleInput; status?: StatusView }[]): string {
  return page(f, html`<h1>${tr(f.lang, 'cycles')}</h1><table><thead><tr><th>${tr(f.lang, 'cycles')}</th><th>${tr(f.lang, 'phase')}</th></tr></thead><tbody>
${cycles.map(({ input, status }) => html`<tr><td><a href="/cycles/${input.cycleId}">${input.unit.name} ${input.year}</a> <span class="muted">${input.cycleId}</span></td>
<td>${status ? pick(f.lang, status.phaseLabel) : html`<span class="muted">${tr(f.lang, 'notStarted')}</span>`}</td></tr>`)}
</tbody></table>`);
}

const STEPS: { phase: Phase; dates: (d: CycleInput['dates']) => string }[] = [
  { phase: 'plan', dates: (d) => `${d.planSubmission} / ${d.planApproval}` },
  { phase: 'summary', dates: (d) => d.summary },
  { phase: 'review', dates: (d) => `${d.reviewStart} – ${d.reviewEnd}` },
  { phase: 'scoring', dates: (d) => d.scoring },
  { phase: 'publication', dates: (d) => d.publication },
  { phase: 'rectification', dates: (d) => d.rectification },
];

function timeline(lang: Lang, dates: CycleInput['dates'], current: Phase | undefined): Html {
  const at = current ? PHASES.indexOf(current) : -1;
  return html`<ol class="timeline" data-testid="timeline">${STEPS.map((s) => {
    const i = PHASES.indexOf(s.phase);
    const cls = i < at ? 'done' : i === at ? 'current' : 'upcoming';
    return html`<li class="${cls}" ${cls === 'current' ? html`aria-current="step"` : ''}><div>${pick(lang, PHASE_LABELS[s.phase])}</div><div class="d">${s.dates(dates)}</div></li>`;
  })}</ol>`;
}

export function stateBadge(lang: Lang, state: string): Html {
  return html`<span class="badge s-${state}">${pick(lang, STATE_LABEL[state] ?? { zh: state, en: state })}</span>`;
}

export function overdueText(lang: Lang, days: number): string {
  return lang === 'en' ? `${days} day${days === 1 ? '' : 's'} overdue` : `逾期 ${days} 天`;
}

function counts(ds: DeliverableStatus[]) {
  const live = ds.filter((d) => d.state === 'open' || d.state === 'in-review');
  return {
    due: live.filter((d) => d.overdueDays === 0).length,
    overdue: live.filter((d) => d.overdueDays > 0).length,
    done: ds.filter((d) => d.state === 'accepted').length,
    closed: ds.filter((d) => d.state === 'closed').length,
  };
}

function group(lang: Lang, cycleId: string, zone: string, name: string, who: string, ds: DeliverableStatus[]): Html {
  const c = counts(ds);
  return html`<tr data-testid="dept"><td><b>${name}</b><div class="muted">${who}</div></td><td class="num">${c.due}</td><td class="num ${c.overdue ? 'late' : ''}">${c.overdue}</td><td class="num">${c.done}</td><td class="num">${c.closed}</td>
<td>${ds.map((d) => html`<div><a href="/cycles/${cycleId}/d/${d.id}">${pick(lang, d.title)}</a> ${stateBadge(lang, d.state)} <span class="muted">${formatLocal(d.due, zone)}</span>${d.overdueDays > 0 && d.state !== 'closed' ? html` <span class="late">${overdueText(lang, d.overdueDays)}</span>` : ''}</div>`)}</td></tr>`;
}

/** A mail of the cycle held up, refused, or delivered after failures, as people read it. */
export interface MailNews {
  /** The recipient's name from the cycle's people (never an id). */
  to: string;
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
  const table = (rows: MailNews[], head: Key, last: (m: MailNews) => Html) => html`<table><thead><tr><th>${tr(lang, 'mailRecipient')}</th><th>${tr(lang, 'mailSubject')}</th><th>${tr(lang, head)}</th></tr></thead><tbody>
${rows.map((m) => html`<tr data-testid="mail"><td><b>${m.to}</b></td><td>${m.subject}</td><td>${last(m)}</td></tr>`)}</tbody></table>`;
  const failing = (m: MailNews) => html`<div>${m.reason ? mailReason(lang, m.reason.kind) : ''}</div>
<div class="muted">${tr(lang, 'mailAttempts', { n: m.attempts })} · ${tr(lang, 'mailSince', { at: formatLocal(m.since, zone) })}${m.reason?.detail ? html` · ${m.reason.detail}` : ''}</div>`;
  const part = (state: MailNews['state'], title: Html, last: (m: MailNews) => Html) => {
    const rows = news.filter((m) => m.state === state);
    return rows.length ? html`<div class="card" data-testid="mail-${state}"><h2>${title}</h2>${table(rows, state === 'delivered' ? 'state' : 'mailReason', last)}</div>` : '';
  };
  return html`${part('retrying', html`<span class="late">${tr(lang, 'mailBlocked')}</span>`, failing)}
${part('refused', html`<span class="late">${tr(lang, 'mailRefusedTitle')}</span>`, failing)}
${part('delivered', html`${tr(lang, 'mailDeliveredTitle')}`, (m) => html`<span class="badge s-accepted">${tr(lang, 'mailDelivered')}</span> <span class="muted">${tr(lang, 'mailDeliveredAfter', { at: m.sentAt ? formatLocal(m.sentAt, zone) : '', n: m.failures })}</span>`)}`;
}

/** The coordinator's import of the target table (考评表), while the workflow still takes one. */
function importCard(lang: Lang, input: CycleInput, status: StatusView): Html {
  const t = status.targets;
  const nameOf = (id: string) => input.people.find((p) => p.id === id)?.name ?? id;
  return html`<div class="card" data-testid="import-targets"><h2>${tr(lang, 'importTargets')}</h2>
${t ? html`<p>${tr(lang, 'importedBy', { n: t.count, who: nameOf(t.importedBy), at: formatLocal(t.importedAt, status.timeZone) })}${t.source ? html` · ${t.source.name}` : ''} · <a href="/cycles/${input.cycleId}/scores">${tr(lang, 'targets')}</a></p>` : ''}
<form class="stack" method="post" action="/cycles/${input.cycleId}/targets" enctype="multipart/form-data">
<label>${tr(lang, 'table')}<input type="file" name="file" accept=".csv,.xlsx,.json" required></label>
<p class="muted">${tr(lang, 'importHint')}</p>
<button class="primary" type="submit">${tr(lang, 'importTargets')}</button></form></div>`;
}

export function dashboardPage(f: Frame, o: { input: CycleInput; status?: StatusView; member?: Member; canStart: boolean; canImport?: boolean; mail?: MailNews[] }): string {
  const { input, status } = o;
  const lang = f.lang;
  const head = html`<h1>${input.unit.name} ${input.year} · ${tr(lang, 'dashboard')}</h1>
<div class="card"><div>${tr(lang, 'phase')}: <b data-testid="phase">${status ? pick(lang, status.phaseLabel) : tr(lang, 'notStarted')}</b>
${status ? html`<span class="muted"> · ${formatLocal(status.asOf, status.timeZone)}</span>` : ''}</div>
<h2>${tr(lang, 'timeline')}</h2>${timeline(lang, input.dates, status?.phase)}</div>`;
  if (!status) {
    return page(f, html`${head}${o.canStart ? html`<form method="post" action="/cycles/${input.cycleId}/start"><button class="primary" type="submit">${tr(lang, 'startCycle')}</button></form>` : ''}`);
  }
  const nameOf = (id: string) => input.people.find((p) => p.id === id)?.name ?? id;
  const depts = input.departments
    .map((d) => ({ d, ds: status.deliverables.filter((x) => x.department === d.id) }))
    .filter(({ d, ds }) => ds.length > 0 || o.member?.unitWide || o.member?.owns.includes(d.id) || o.member?.leads.includes(d.id));
  const bureau = status.deliverables.filter((x) => !x.department);
  return page(f, html`${head}${o.mail?.length ? mailCard(lang, status.timeZone, o.mail) : ''}<h2>${tr(lang, 'byDepartment')}</h2>
<table><thead><tr><th>${tr(lang, 'department')}</th><th>${tr(lang, 'dueCount')}</th><th>${tr(lang, 'overdue')}</th><th>${tr(lang, 'done')}</th><th>${tr(lang, 'closed')}</th><th>${tr(lang, 'item')}</th></tr></thead><tbody>
${bureau.length ? group(lang, input.cycleId, status.timeZone, tr(lang, 'bureau'), nameOf(input.roles.coordinator), bureau) : ''}
${depts.map(({ d, ds }) => group(lang, input.cycleId, status.timeZone, d.name, `${tr(lang, 'owner')} ${nameOf(d.owner)} · ${tr(lang, 'leader')} ${nameOf(d.leader)}`, ds))}
</tbody></table>
${o.canImport && status.reviewWindow !== 'closed' ? importCard(lang, input, status) : ''}`);
}
