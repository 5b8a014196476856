// The frame of every page: header with navigation and the language toggle, then the content.
// Every action is a plain form, so the portal works in any browser and behind strict proxies; the only
// scripts are the dashboard's charts, served from this site (client/portal/assets.ts), never inline.
// No inline style attributes either: the one <style> element is allowed by its hash (STYLE_HASH, in the
// Content-Security-Policy of client/api/plugins/csrf.ts), so injected markup could not style anything.
import { createHash } from 'node:crypto';
import { Html, html } from '../html.js';
import { tr, type Lang } from '../i18n.js';

export interface Frame {
  lang: Lang;
  title: string;
  /** The page's own address (path and query), for the language toggle. */
  url: string;
  user?: { id: string; name: string };
  cycleId?: string;
  /** An administrator of the organisation directory: the header links to /admin. */
  admin?: boolean;
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.55 "PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",system-ui,sans-serif;color:#1f2933;background:#f5f7fa}
header{background:#8f1d21;color:#fff;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none}header .app{font-weight:600;font-size:1.05rem;margin-right:1rem}
header nav{display:flex;gap:.9rem;flex-wrap:wrap;flex:1}header .me{display:flex;gap:.8rem;align-items:center}
header form{margin:0}header button{background:none;border:1px solid #fff8;color:#fff;padding:.15rem .6rem;border-radius:4px;cursor:pointer}
main{max-width:1100px;margin:1.2rem auto;padding:0 1rem}h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .6rem}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:1rem 1.2rem;margin-bottom:1rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #e4e7eb;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8;font-weight:600;font-size:.9rem}td.num{text-align:right}
.badge{display:inline-block;padding:0 .45rem;border-radius:3px;font-size:.85rem;white-space:nowrap}
.s-open{background:#fff3c4;color:#8d2b0b}.s-in-review{background:#dceefb;color:#0b4f71}.s-accepted{background:#e3f9e5;color:#0e5814}.s-closed{background:#e4e7eb;color:#52606d}
.late{color:#b3261e;font-weight:600}.muted{color:#7b8794}
ol.timeline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}ol.timeline li{flex:1 1 130px;padding:.5rem .6rem;border-radius:5px;background:#fff;border:1px solid #d9e2ec}
ol.timeline li.done{background:#e3f9e5}ol.timeline li.current{background:#8f1d21;color:#fff;border-color:#8f1d21}ol.timeline li .d{font-size:.85rem}
form.stack{display:flex;flex-direction:column;gap:.6rem;max-width:520px}label{display:flex;flex-direction:column;gap:.2rem;font-size:.92rem}
input,textarea,select{font:inherit;padding:.4rem;border:1px solid #bcccdc;border-radius:4px}textarea{min-height:5rem}
button.primary{background:#8f1d21;color:#fff;border:0;padding:.5rem 1rem;border-radius:4px;font:inherit;cursor:pointer;align-self:flex-start}
button.secondary{background:#fff;color:#8f1d21;border:1px solid #8f1d21;padding:.5rem 1rem;border-radius:4px;font:inherit;cursor:pointer;align-self:flex-start}
.msg{padding:.6rem .9rem;border-radius:5px;margin-bottom:1rem;white-space:pre-line}.msg.ok{background:#e3f9e5}.msg.err{background:#ffe3e3;color:#8a1c1c}
.row{display:flex;gap:1rem;flex-wrap:wrap}form.inline{display:inline}details.card>summary{cursor:pointer}details.card[open]>summary{margin-bottom:.6rem}ul.plain{list-style:none;margin:0;padding:0}ul.plain li{padding:.3rem 0}.row>*{flex:1 1 300px}code{background:#f0f4f8;padding:.1rem .3rem;border-radius:3px;word-break:break-all}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}form.filters label{min-width:0}form.filters select{max-width:16rem}
b.grade{font-size:1.3rem}label.check{flex-direction:row;gap:.4rem}
td{overflow-wrap:anywhere}th.c,td.c{white-space:nowrap;width:1%}th{white-space:nowrap}th.wrap{white-space:normal}
.box{max-width:100%;overflow-x:auto}table.audit td.n{width:3rem}table.audit td.when{white-space:nowrap}table.audit td.who{min-width:8rem}table.audit td.what{white-space:nowrap}
.deadlines{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;margin:.4rem 0}.deadlines div{white-space:nowrap}.pager{display:flex;gap:1rem;align-items:center;margin:.8rem 0}
.card h2{margin-top:0}.card>p:last-child{margin-bottom:0}input,select,textarea{max-width:100%}
@media (max-width:640px){
body{font-size:14px}header{padding:.5rem .7rem;gap:.4rem .8rem}header .app{margin-right:0}header nav{gap:.3rem .8rem;flex-basis:100%;order:3}
main{margin:.7rem auto;padding:0 .6rem}h1{font-size:1.2rem}.card{padding:.7rem .8rem}.row>*{flex-basis:100%}
ol.timeline{gap:.25rem}ol.timeline li{flex:1 1 45%;padding:.3rem .5rem}
table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:auto}table.cards thead{display:none}
table.cards tr{background:#fff;border:1px solid #d9e2ec;border-radius:6px;margin-bottom:.6rem;padding:.3rem .2rem}
table.cards td{border:0;padding:.15rem .5rem;white-space:normal}table.cards td[data-label]::before{content:attr(data-label);display:block;font-size:.78rem;color:#7b8794}
table.cards td:empty{display:none}table.cards td:first-child::before{display:none}table.cards td.c,table.cards td.i{display:inline-block;width:auto;margin-right:.4rem}table.cards td.c::before,table.cards td.i::before{display:inline;margin-right:.3rem}table.cards td.num{text-align:left}
form.filters label{flex:1 1 45%}form.filters select{max-width:100%}
}
`;

/** The CSP source that allows the page's <style> element and nothing else inline. */
export const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

export function page(f: Frame, body: Html): string {
  const other: Lang = f.lang === 'en' ? 'zh' : 'en';
  const here = new URL(f.url, 'http://portal');
  here.searchParams.set('lang', other);
  const toggle = `${here.pathname}${here.search}`;
  const c = f.cycleId;
  return html`<!doctype html>
<html lang="${f.lang === 'en' ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${f.title} · ${tr(f.lang, 'app')}</title><style>${new Html(CSS)}</style></head>
<body><header><a class="app" href="/">${tr(f.lang, 'app')}</a>
<nav>${f.user ? html`<a href="/">${tr(f.lang, 'cycles')}</a><a href="/tasks">${tr(f.lang, 'tasks')}</a>${c ? html`<a href="/cycles/${c}">${tr(f.lang, 'dashboard')}</a><a href="/cycles/${c}/audit">${tr(f.lang, 'audit')}</a><a href="/cycles/${c}/scores">${tr(f.lang, 'scores')}</a>` : ''}${f.admin ? html`<a href="/admin">${tr(f.lang, 'directory')}</a>` : ''}` : ''}</nav>
<div class="me"><a href="${toggle}" data-testid="lang">${other === 'en' ? 'English' : '中文'}</a>${f.user ? html`<a href="/account" data-testid="me">${f.user.name}</a><form method="post" action="/logout"><button type="submit">${tr(f.lang, 'signOut')}</button></form>` : ''}</div>
</header><main>${body}</main></body></html>`.value;
}
