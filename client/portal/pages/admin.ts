// The organisation directory's page (/admin), for its administrators: units with their coordinator,
// departments and people by name, an import form, and the one form that changes a person's e-mail.
import type { DirectoryEntry, OrgDepartment, OrgUnit } from '../../../store/directory.js';
import { html, type Html } from '../html.js';
import { tr } from '../i18n.js';
import { page, type Frame } from './layout.js';

export interface AdminView {
  units: OrgUnit[];
  departments: OrgDepartment[];
  people: DirectoryEntry[];
  /** The person whose edit form is open. */
  editing?: DirectoryEntry;
  message?: string;
  error?: string;
}

const who = (id: string, name?: string): Html => html`${name ?? id} <span class="muted">${id}</span>`;

function editForm(f: Frame, p: DirectoryEntry): Html {
  const l = f.lang;
  return html`<div class="card" data-testid="edit-person"><h2>${tr(l, 'editPerson')}: ${who(p.id, p.name)}</h2><p class="muted">${tr(l, 'editHint')}</p>
<form class="stack" method="post" action="/admin/people/${p.id}">
<label>${tr(l, 'name')}<input name="name" value="${p.name}" required></label>
<label>${tr(l, 'email')}<input name="email" type="email" value="${p.email}" required></label>
<label>${tr(l, 'phone')}<input name="phone" value="${p.phone ?? ''}"></label>
<button class="primary" type="submit">${tr(l, 'save')}</button></form></div>`;
}

export function adminPage(f: Frame, o: AdminView): string {
  const l = f.lang;
  const names = new Map(o.people.map((p) => [p.id, p.name]));
  const units = new Map(o.units.map((u) => [u.id, u.name]));
  const depts = new Map(o.departments.map((d) => [`${d.unit}/${d.id}`, d.name]));
  return page(f, html`<h1>${tr(l, 'directory')}</h1>
${o.message ? html`<div class="msg ok" role="status" data-testid="done">${o.message}</div>` : ''}${o.error ? html`<div class="msg err" role="alert">${o.error}</div>` : ''}
${o.editing ? editForm(f, o.editing) : ''}
<div class="card" data-testid="import-directory"><h2>${tr(l, 'importDirectory')}</h2>
<form class="stack" method="post" action="/admin/import" enctype="multipart/form-data">
<label>${tr(l, 'table')}<input type="file" name="file" accept=".csv,.xlsx,.json" required></label>
<p class="muted">${tr(l, 'directoryHint')}</p>
<button class="primary" type="submit">${tr(l, 'importDirectory')}</button></form></div>
<h2>${tr(l, 'units')}</h2>
<table data-testid="units"><thead><tr><th>${tr(l, 'unit')}</th><th>${tr(l, 'coordinator')}</th></tr></thead><tbody>
${o.units.map((u) => html`<tr><td>${who(u.id, u.name)}</td><td>${u.coordinator ? who(u.coordinator, names.get(u.coordinator)) : '-'}</td></tr>`)}
</tbody></table>
<h2>${tr(l, 'department')}</h2>
<table data-testid="departments"><thead><tr><th>${tr(l, 'unit')}</th><th>${tr(l, 'department')}</th></tr></thead><tbody>
${o.departments.map((d) => html`<tr><td>${units.get(d.unit) ?? d.unit}</td><td>${who(d.id, d.name)}</td></tr>`)}
</tbody></table>
<h2>${tr(l, 'people')}</h2>
<table data-testid="people"><thead><tr><th>${tr(l, 'name')}</th><th>${tr(l, 'email')}</th><th>${tr(l, 'phone')}</th><th>${tr(l, 'unit')}</th><th>${tr(l, 'department')}</th><th>${tr(l, 'roles')}</th><th></th></tr></thead><tbody>
${o.people.map((p) => html`<tr data-testid="person"><td>${who(p.id, p.name)}</td><td>${p.email}</td><td>${p.phone ?? ''}</td>
<td>${p.unit ? units.get(p.unit) ?? p.unit : ''}</td><td>${p.unit && p.department ? depts.get(`${p.unit}/${p.department}`) ?? p.department : ''}</td>
<td>${p.admin ? html`<span class="badge s-in-review">${tr(l, 'admin')}</span>` : ''}</td><td><a href="/admin?edit=${encodeURIComponent(p.id)}">${tr(l, 'edit')}</a></td></tr>`)}
</tbody></table>`);
}
