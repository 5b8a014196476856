// Notice channels in the portal (issue 9): the account page's 通知渠道 section (e-mail, DingTalk, WeCom,
// quiet hours, and plainly which chat channels have no robot for the person yet), the robots of units and
// departments (on /admin, and on /robots for a unit's coordinator), and per department which channel
// reached whom in a cycle. Units, departments and people by name; a robot's address and secret are never
// written into a page (the form's fields are always empty), nor its hash.
import type { CycleInput } from '../../../domain/cycle.js';
import { NOTICE_CHANNELS, ROBOT_CHANNELS, type RobotChannel } from '../../../domain/notice-settings.js';
import type { NoticeView, ReachDepartment, RobotRow } from '../../api/notice-settings.js';
import { auditNames, channelText, spoken } from '../audit-text.js';
import { cardTable, html, type Html } from '../html.js';
import { hasKey, momentText, tr, type Lang } from '../i18n.js';
import { page, type Frame } from './layout.js';

const ZONE = 'Asia/Shanghai';

/**
 * An error of the API (bilingual, `field: message` per line) for a page: the reader's half, each field
 * named in words (`webhook: 须为 https 地址` → `Webhook 地址：须为 https 地址`).
 */
export function formError(lang: Lang, message: string): string {
  return spoken(lang, message, auditNames(undefined)).split('\n').map((line) => {
    const m = /^(?:body\.|form\.)?([\w.]+): (.*)$/s.exec(line);
    const key = m && `field.${m[1]}`;
    return m && key && hasKey(key) ? `${tr(lang, key)}${lang === 'en' ? ': ' : '：'}${m[2]}` : line;
  }).join('\n');
}

const messages = (o: { message?: string; error?: string }) => html`${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}${o.error ? html`<div class="msg err" role="alert" data-testid="form-error">${o.error}</div>` : ''}`;

// ---- the account page's section ----

/** What the form shows when a save was refused: what the person chose, not what is stored. */
export interface NoticeAttempt { channels: string[]; quietStart: string; quietEnd: string }

function robotNotes(lang: Lang, v: NoticeView): Html {
  if (!v.unit) return html`<li data-testid="no-robot">${tr(lang, 'noRobotNoUnit')}</li>`;
  const unit = v.unit.name;
  const dept = v.department?.name;
  return html`${ROBOT_CHANNELS.map((c) => {
    const r = v.robots[c];
    const channel = channelText(lang, c);
    if (r.available) return html`<li data-testid="robot-${c}">${tr(lang, r.scope === 'department' && dept ? 'robotDept' : 'robotUnit', { channel, dept: dept ?? '', unit })}</li>`;
    return html`<li class="late" data-testid="no-robot-${c}">${tr(lang, dept ? 'noRobotDept' : 'noRobotUnit', { channel, dept: dept ?? '', unit })}</li>`;
  })}`;
}

export function noticeSection(lang: Lang, o: { view: NoticeView; attempt?: NoticeAttempt; canManageRobots: boolean }): Html {
  const v = o.view;
  const chosen = new Set<string>(o.attempt?.channels ?? v.channels);
  const start = o.attempt ? o.attempt.quietStart : v.quiet?.start ?? '';
  const end = o.attempt ? o.attempt.quietEnd : v.quiet?.end ?? '';
  const now = v.channels.map((c) => channelText(lang, c)).join(lang === 'en' ? ', ' : '、');
  return html`<div class="card" data-testid="notices"><h2 id="notices">${tr(lang, 'noticeChannels')}</h2>
<p class="muted">${tr(lang, 'noticeChannelsHint')}</p>
<p data-testid="notices-now">${tr(lang, 'noticesCurrent', { channels: now })}${v.quiet ? tr(lang, 'noticesQuietNow', { start: v.quiet.start, end: v.quiet.end }) : ''}</p>
<form class="stack" method="post" action="/account/notices">
<fieldset><legend>${tr(lang, 'noticeChannels')}</legend>
${NOTICE_CHANNELS.map((c) => html`<label class="check"><input type="checkbox" name="channels" value="${c}"${chosen.has(c) ? html` checked` : ''}> ${channelText(lang, c)}</label>`)}
</fieldset>
<ul class="plain muted" data-testid="robot-notes">${robotNotes(lang, v)}</ul>
<fieldset><legend>${tr(lang, 'quietHours')}</legend>
<div class="row"><label>${tr(lang, 'quietStart')}<input type="time" name="quietStart" value="${start}"></label><label>${tr(lang, 'quietEnd')}<input type="time" name="quietEnd" value="${end}"></label></div>
<p class="muted" data-testid="quiet-hint">${tr(lang, 'quietHint')}</p></fieldset>
<button class="primary" type="submit">${tr(lang, 'save')}</button></form>
${o.canManageRobots ? html`<p><a href="/robots" data-testid="manage-robots">${tr(lang, 'manageRobots')}</a></p>` : ''}</div>`;
}

// ---- the robots of units and departments ----

export interface RobotsView {
  rows: RobotRow[];
  /** Where the reader may set a robot: `unit` or `unit/department`, by name. */
  places: { value: string; label: string }[];
  /** The page the forms come back to. */
  back: '/admin' | '/robots';
  /** After a refused save: the place and channel chosen (never the address or secret). */
  attempt?: { place?: string; channel?: string };
}

const signing = (lang: Lang, r: RobotRow): Html => (r.channel === 'wecom'
  ? html`<span class="muted">${tr(lang, 'signNone')}</span>`
  : r.signed ? html`<span class="badge s-accepted">${tr(lang, 'signed')}</span>` : html`<span class="badge s-open">${tr(lang, 'unsigned')}</span>`);

const whoSet = (lang: Lang, r: RobotRow): string => {
  const who = r.updatedBy.startsWith('operator:') ? tr(lang, 'operator', { who: r.updatedBy.slice('operator:'.length) }) : r.updatedByName;
  return tr(lang, 'setByAt', { who, at: momentText(lang, r.updatedAt, ZONE) });
};

function removeForm(lang: Lang, r: RobotRow, back: string): Html {
  return html`<form class="inline" method="post" action="/robots/remove"><input type="hidden" name="unit" value="${r.unit}"><input type="hidden" name="department" value="${r.department ?? ''}"><input type="hidden" name="channel" value="${r.channel}"><input type="hidden" name="back" value="${back}"><button class="secondary" type="submit">${tr(lang, 'removeRobot')}</button></form>`;
}

export function robotsSection(lang: Lang, v: RobotsView): Html {
  const option = (value: string, label: string, current?: string) => html`<option value="${value}"${value === current ? html` selected` : ''}>${label}</option>`;
  const rows = v.rows.map((r) => ({
    testid: 'robot',
    cells: [r.unitName, r.departmentName ?? html`<span class="muted">${tr(lang, 'wholeUnit')}</span>`, channelText(lang, r.channel), signing(lang, r), whoSet(lang, r), removeForm(lang, r, v.back)],
  }));
  return html`<section data-testid="robots"><h2 id="robots">${tr(lang, 'robots')}</h2><p class="muted">${tr(lang, 'robotsHint')}</p>
${rows.length ? cardTable([tr(lang, 'unit'), tr(lang, 'department'), { label: tr(lang, 'channel'), cls: 'c' }, { label: tr(lang, 'signing'), cls: 'c' }, tr(lang, 'setBy'), { label: '', cls: 'c' }], rows, { testid: 'robot-list' })
    : html`<p class="card muted" data-testid="no-robots">${tr(lang, 'noRobots')}</p>`}
${v.places.length ? html`<div class="card" data-testid="set-robot"><h3>${tr(lang, 'setRobot')}</h3>
<form class="stack" method="post" action="/robots/set" autocomplete="off"><input type="hidden" name="back" value="${v.back}">
<label>${tr(lang, 'unit')} / ${tr(lang, 'department')}<select name="place" required>${v.places.map((p) => option(p.value, p.label, v.attempt?.place))}</select></label>
<label>${tr(lang, 'channel')}<select name="channel" required>${ROBOT_CHANNELS.map((c: RobotChannel) => option(c, channelText(lang, c), v.attempt?.channel))}</select></label>
<label>${tr(lang, 'webhook')}<input name="webhook" type="url" inputmode="url" autocomplete="off" spellcheck="false" maxlength="1000" required></label>
<label>${tr(lang, 'secret')}<input name="secret" type="password" autocomplete="new-password" maxlength="200"></label>
<p class="muted">${tr(lang, 'webhookHint')}</p>
<button class="primary" type="submit">${tr(lang, 'save')}</button></form></div>` : ''}</section>`;
}

export function robotsPage(f: Frame, v: RobotsView & { message?: string; error?: string }): string {
  return page(f, html`<h1>${tr(f.lang, 'robots')}</h1>${messages(v)}${robotsSection(f.lang, v)}`);
}

// ---- which channel reached whom in a cycle ----

export function reachPage(f: Frame, o: { input: CycleInput; departments: ReachDepartment[] }): string {
  const lang = f.lang;
  const zone = o.input.timeZone;
  const cols = [tr(lang, 'name'), { label: tr(lang, 'channel'), cls: 'c' }, { label: tr(lang, 'reachSent'), cls: 'num c' }, { label: tr(lang, 'reachRefused'), cls: 'num c' },
    { label: tr(lang, 'reachPending'), cls: 'num c' }, tr(lang, 'reachLast')];
  const part = (d: ReachDepartment) => html`<section class="card" data-testid="reach-dept"><h2>${d.name ?? tr(lang, 'noDepartment')}</h2>
${cardTable(cols, d.people.flatMap((p) => p.channels.map((c) => ({
    testid: 'reach',
    cells: [html`<b>${p.name}</b>`, channelText(lang, c.channel), String(c.sent), c.refused ? html`<span class="late">${c.refused}</span>` : '0', String(c.pending),
      c.lastSentAt ? momentText(lang, c.lastSentAt, zone) : html`<span class="muted">—</span>`],
  }))))}</section>`;
  return page(f, html`<h1>${o.input.unit.name} ${o.input.year} · ${tr(lang, 'reach')}</h1>
<p class="muted">${tr(lang, 'reachHint')}</p>
${o.departments.length ? o.departments.map(part) : html`<div class="card muted" data-testid="reach-none">${tr(lang, 'reachNone')}</div>`}
<p><a href="/cycles/${o.input.cycleId}">${tr(lang, 'back')}</a></p>`);
}
