// Sign-in, the link's confirmation step, and the account page (password, calendar feed, notice channels).
import { html, type Html } from '../html.js';
import { tr } from '../i18n.js';
import { PASSWORD_MIN } from '../password.js';
import { page, type Frame } from './layout.js';

export function loginPage(f: Frame, o: { next?: string; message?: string; error?: string; outboxDir?: string }): string {
  const next = o.next ? html`<input type="hidden" name="next" value="${o.next}">` : '';
  return page(f, html`<h1>${tr(f.lang, 'signIn')}</h1>
${o.message ? html`<div class="msg ok" role="status">${o.message}</div>` : ''}${o.error ? html`<div class="msg err" role="alert">${o.error}</div>` : ''}
<div class="row">
<section class="card" aria-labelledby="by-link"><h2 id="by-link">${tr(f.lang, 'linkHeading')}</h2><p class="muted">${tr(f.lang, 'linkHint')}</p>
<form class="stack" method="post" action="/login/link">${next}
<label>${tr(f.lang, 'login')}<input name="login" autocomplete="username" required></label>
<button class="primary" type="submit">${tr(f.lang, 'sendLink')}</button></form>
${o.outboxDir ? html`<p class="muted">${tr(f.lang, 'outboxHint', { dir: o.outboxDir })}</p>` : ''}</section>
<section class="card" aria-labelledby="by-password"><h2 id="by-password">${tr(f.lang, 'passwordHeading')}</h2><p class="muted">${tr(f.lang, 'passwordHint')}</p>
<form class="stack" method="post" action="/login/password">${next}
<label>${tr(f.lang, 'login')}<input name="login" autocomplete="username" required></label>
<label>${tr(f.lang, 'password')}<input name="password" type="password" autocomplete="current-password" required></label>
<button class="secondary" type="submit">${tr(f.lang, 'signInPassword')}</button></form></section>
</div>`);
}

export function linkPage(f: Frame, token: string): string {
  return page(f, html`<h1>${tr(f.lang, 'signIn')}</h1><div class="card"><p>${tr(f.lang, 'confirmLink')}</p>
<form method="post" action="/auth/link"><input type="hidden" name="token" value="${token}"><button class="primary" type="submit">${tr(f.lang, 'signIn')}</button></form></div>`);
}

export function accountPage(f: Frame, o: { id: string; email: string; roles: string[]; hasPassword: boolean; needCurrent: boolean; icalUrl: string; message?: string; error?: string; notices?: Html }): string {
  return page(f, html`<h1>${tr(f.lang, 'account')}</h1>
${o.message ? html`<div class="msg ok" role="status">${o.message}</div>` : ''}${o.error ? html`<div class="msg err" role="alert">${o.error}</div>` : ''}
<div class="card"><p><b>${f.user?.name}</b> · <code>${o.id}</code> · ${o.email}</p><p>${tr(f.lang, 'roles')}: ${o.roles.join('；') || '-'}</p></div>
<div class="row">
<div class="card"><h2>${tr(f.lang, 'setPassword')}</h2><form class="stack" method="post" action="/account/password">
${o.needCurrent ? html`<label>${tr(f.lang, 'currentPassword')}<input name="current" type="password" autocomplete="current-password" required></label>` : ''}
<label>${tr(f.lang, 'newPassword')}<input name="password" type="password" minlength="${PASSWORD_MIN}" autocomplete="new-password" required></label>
<button class="primary" type="submit">${tr(f.lang, 'setPassword')}</button></form></div>
<div class="card"><h2>${tr(f.lang, 'ical')}</h2><p><code data-testid="ical">${o.icalUrl}</code></p><p class="muted">${tr(f.lang, 'icalHint')}</p>
<form method="post" action="/account/ical"><button class="secondary" type="submit">${tr(f.lang, 'newIcal')}</button></form></div>
</div>${o.notices ?? ''}`);
}

export function errorPage(f: Frame, o: { status: number; message: string; back?: string }): string {
  const title = o.status === 403 ? tr(f.lang, 'refused') : tr(f.lang, 'error');
  return page({ ...f, title }, html`<h1>${title}</h1><div class="msg err" role="alert" data-testid="error">${o.message}</div>
<p><a href="${o.back ?? '/'}">${tr(f.lang, 'back')}</a></p>`);
}
