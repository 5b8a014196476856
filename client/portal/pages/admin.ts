// The organisation directory's page (/admin), for its administrators: units with their coordinator,
// departments and people by name, an import form, the one form that changes a person's e-mail, and the
// notice robots of units and departments (issue 9).
import type { DirectoryEntry, OrgDepartment, OrgUnit } from '../../../store/directory.js';
import { cardTable, html, type Html } from '../html.js';
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
  /** The notice robots of units and departments (pages/notices.ts). */
  robots?: Html;
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
${o.robots ?? ''}
<h2>${tr(l, 'units')}</h2>
${cardTable([tr(l, 'unit'), tr(l, 'coordinator')], o.units.map((u) => ({ cells: [who(u.id, u.name), u.coordinator ? who(u.coordinator, names.get(u.coordinator)) : '-'] })), { testid: 'units' })}
<h2>${tr(l, 'department')}</h2>
${cardTable([tr(l, 'unit'), tr(l, 'department')], o.departments.map((d) => ({ cells: [units.get(d.unit) ?? d.unit, who(d.id, d.name)] })), { testid: 'departments' })}
<h2>${tr(l, 'people')}</h2>
${cardTable([tr(l, 'name'), tr(l, 'email'), tr(l, 'phone'), tr(l, 'unit'), tr(l, 'department'), { label: tr(l, 'roles'), cls: 'c' }, { label: '', cls: 'c' }], o.people.map((p) => ({
    testid: 'person',
    cells: [who(p.id, p.name), p.email, p.phone ?? '', p.unit ? units.get(p.unit) ?? p.unit : '', p.unit && p.department ? depts.get(`${p.unit}/${p.department}`) ?? p.department : '',
      p.admin ? html`<span class="badge s-in-review">${tr(l, 'admin')}</span>` : '', html`<a href="/admin?edit=${encodeURIComponent(p.id)}">${tr(l, 'edit')}</a>`],
  })), { testid: 'people' })}`);
}
