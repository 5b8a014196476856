// 委托 / 转办 on the pages: the delegations that stand (with a button to take each back), the form that
// hands one item to a colleague, and the out-of-office form that hands all one's items for some days.
import type { Delegation } from '../../../domain/delegation.js';
import { html, type Html } from '../html.js';
import { dayText, momentText, tr, type Lang } from '../i18n.js';

export interface DelegationView { d: Delegation; canRevoke: boolean }

/** Whoever is named: people of the cycle, and the colleagues delegations name. */
type NameOf = (id: string) => string;

export function delegationList(lang: Lang, cycleId: string, zone: string, list: DelegationView[], nameOf: NameOf, back: string): Html {
  if (!list.length) return html``;
  const line = ({ d, canRevoke }: DelegationView) => {
    const vars = { to: d.toName, from: nameOf(d.from) };
    const what = d.deliverableId ? tr(lang, 'delegationItem', vars)
      : tr(lang, 'delegationSpan', { ...vars, start: dayText(lang, d.start ?? '', zone), end: dayText(lang, d.end ?? '', zone) });
    return html`<li data-testid="delegation">${what}${d.reason ? html` · ${d.reason}` : ''} <span class="muted">${tr(lang, 'delegationBy', { by: nameOf(d.by), at: momentText(lang, d.at, zone) })}</span>
${canRevoke ? html` <form class="inline" method="post" action="/cycles/${cycleId}/delegations/${String(d.id)}/revoke"><input type="hidden" name="back" value="${back}"><button class="secondary" type="submit">${tr(lang, 'revokeDelegation')}</button></form>` : ''}</li>`;
  };
  return html`<h2>${tr(lang, 'delegations')}</h2><div class="card"><ul class="plain">${list.map(line)}</ul></div>`;
}

const colleagueSelect = (lang: Lang, colleagues: { id: string; name: string }[]) =>
  html`<label>${tr(lang, 'delegateTo')}<select name="to" required><option value=""></option>${colleagues.map((c) => html`<option value="${c.id}">${c.name}</option>`)}</select></label>`;

/** One item handed on: by one of its people, or by the coordinator for whoever must act now (`from`). */
export function delegateForm(lang: Lang, cycleId: string, deliverableId: string, colleagues: { id: string; name: string }[], from?: { id: string; name: string }): Html {
  return html`<h2>${from ? tr(lang, 'delegateOnBehalf', { who: from.name }) : tr(lang, 'delegateTitle')}</h2><div class="card"><form class="stack" method="post" action="/cycles/${cycleId}/delegations" data-testid="delegate-form">
<input type="hidden" name="deliverableId" value="${deliverableId}"><input type="hidden" name="back" value="/cycles/${cycleId}/d/${deliverableId}">
${from ? html`<input type="hidden" name="from" value="${from.id}">` : ''}${colleagueSelect(lang, colleagues)}
<label>${tr(lang, 'delegateReason')}<input name="reason" maxlength="2000"></label><p class="muted">${tr(lang, 'delegateHint')}</p>
<button class="primary" type="submit">${tr(lang, 'delegateButton')}</button></form></div>`;
}

/** All one's items for some days (out of office), in one cycle. */
export function awayForm(lang: Lang, cycleId: string, unit: string, colleagues: { id: string; name: string }[]): Html {
  // Folded: most days nobody is away.
  return html`<details class="card"><summary><b>${tr(lang, 'awayTitle')}</b> <span class="muted">${unit}</span></summary><form class="stack" method="post" action="/cycles/${cycleId}/delegations" data-testid="away-form">
<input type="hidden" name="back" value="/tasks">${colleagueSelect(lang, colleagues)}
<div class="row"><label>${tr(lang, 'awayStart')}<input type="date" name="start" required></label><label>${tr(lang, 'awayEnd')}<input type="date" name="end" required></label></div>
<label>${tr(lang, 'delegateReason')}<input name="reason" maxlength="2000"></label><p class="muted">${tr(lang, 'awayHint')}</p>
<button class="primary" type="submit">${tr(lang, 'delegateButton')}</button></form></details>`;
}
